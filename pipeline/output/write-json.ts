/** Writes JSON as every output of the project does: two-space indents and a final newline. */
import { writeFileSync } from "node:fs";

/** @example writeJson("out/results.json", { a: 1 }) // writes "{\n  \"a\": 1\n}\n" */
export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + "\n");
}
