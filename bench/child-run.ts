/**
 * One timed run of a benchmark in a fresh child process (through tsx), so that its peak memory is its
 * own and nothing is warm from an earlier run. The child prints its result as JSON on its last line.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RUN_TS = join(fileURLToPath(new URL("..", import.meta.url)), "bin/run-ts.mjs");

/** @example runChild<{ seconds: number }>(fileURLToPath(import.meta.url), ["--child", dir]) */
export function runChild<T>(script: string, args: string[]): T {
  const output = execFileSync(process.execPath, [RUN_TS, script, ...args], { encoding: "utf8", maxBuffer: 1 << 26 }).trim().split("\n");
  return JSON.parse(output[output.length - 1]!) as T;
}
