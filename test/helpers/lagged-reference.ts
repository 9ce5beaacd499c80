/** The lmerTest reference of the lagged models (test/reference/dynamics-lagged-reference.out), read by model. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../pipeline/root.ts";

const ref = (name: string) => join(ROOT, "test/reference", name);

/** Each model's block of the reference output: name → [estimate, se, df], and the variances. */
export function laggedReference(model: string) {
  const text = readFileSync(ref("dynamics-lagged-reference.out"), "utf8");
  const lines = text
    .slice(text.indexOf(`## ${model}`))
    .split("\n")
    .slice(1);
  const coef = new Map<string, [number, number, number]>();
  const other = new Map<string, number>();
  for (const line of lines) {
    if (line.startsWith("##") || !line.trim()) break;
    const [k, ...v] = line.split(" ");
    if (v.length === 3) coef.set(k!, v.map(Number) as [number, number, number]);
    else other.set(k!, Number(v[0]));
  }
  return { coef, other };
}
