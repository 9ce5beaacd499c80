/**
 * How fast DuckDB itself does the data path's core work on a study of a given shape, without the
 * pipeline: each formulation of bench/floor-step.mjs in a fresh process, timed from outside with its
 * peak memory (/usr/bin/time), medians over the runs.
 *   npm run bench:floor -- --episodes 1000000 --therapists 50000 --sites 50 --order shuffled --runs 3
 * The study is the one `npm run bench` generates for the same shape (bench/study-cache.ts).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median } from "simple-statistics";
import { SHAPE_OPTIONS, shapeFrom } from "./shape-options.ts";
import { cachedStudy } from "./study-cache.ts";

const { values } = parseArgs({ options: { ...SHAPE_OPTIONS, runs: { type: "string", default: "3" } } });
const STEP = fileURLToPath(new URL("./floor-step.mjs", import.meta.url));
const STEPS = ["scan", "per-client", "view-join", "table-join", "js-summary", "js-table", "js-fetch"];
const dir = cachedStudy(shapeFrom(values));

function once(step: string): { seconds: number; peakMb: number } {
  const tmp = mkdtempSync(join(tmpdir(), "alliance-floor-"));
  const timeFile = join(tmp, "time.txt");
  execFileSync("/usr/bin/time", ["-f", "%e %M", "-o", timeFile, process.execPath, STEP, step, dir], { stdio: "inherit" });
  const [seconds, kb] = readFileSync(timeFile, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
  rmSync(tmp, { recursive: true, force: true });
  return { seconds: seconds!, peakMb: Math.round(kb! / 1024) };
}

console.log(`study: ${dir}; ${values.runs} runs each, medians (seconds include starting Node and DuckDB)`);
for (const step of STEPS) {
  const runs = Array.from({ length: Number(values.runs) }, () => once(step));
  console.log(`${step.padEnd(12)} ${median(runs.map((r) => r.seconds)).toFixed(2).padStart(6)} s  ${String(median(runs.map((r) => r.peakMb))).padStart(6)} MB`);
}
