/**
 * How fast DuckDB itself does the data path's core work on a study of a given shape, without the
 * pipeline: each formulation of bench/floor-step.mjs in a fresh process, timed from outside with its
 * peak memory (/usr/bin/time), medians over the runs.
 *   npm run bench:floor -- --episodes 1000000 --therapists 50000 --sites 50 --order shuffled --runs 3
 * `--steps one-pass,one-pass-file` runs only those formulations.
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

const { values } = parseArgs({
  options: { ...SHAPE_OPTIONS, runs: { type: "string", default: "3" }, steps: { type: "string" } },
});
const STEP = fileURLToPath(new URL("./floor-step.mjs", import.meta.url));
const dir = cachedStudy(shapeFrom(values));
// The per-client query was first timed on sessions in client order; "per-client-sorted" runs it
// on a copy of the sessions sorted by client and date (made once, untimed), to show what the order costs.
const chosen = values.steps?.split(",") ?? null;
const sorted = mkdtempSync(join(tmpdir(), "alliance-floor-sorted-"));
process.on("exit", () => rmSync(sorted, { recursive: true, force: true }));
if (!chosen || chosen.includes("per-client-sorted"))
  execFileSync(process.execPath, [STEP, "sort", dir, sorted], { stdio: "inherit" });
/** Each formulation: its name, its step in floor-step.mjs, and the study folder it reads. */
const ALL_STEPS: [string, string, string][] = [
  ...["scan", "per-client"].map((s): [string, string, string] => [s, s, dir]),
  ["per-client-sorted", "per-client", sorted],
  ...["view-join", "table-join", "js-summary", "js-table", "js-fetch", "one-pass", "one-pass-file"].map(
    (s): [string, string, string] => [s, s, dir],
  ),
];
const STEPS = chosen ? ALL_STEPS.filter(([name]) => chosen.includes(name)) : ALL_STEPS;
if (chosen && STEPS.length !== chosen.length)
  throw new Error(`--steps takes some of ${ALL_STEPS.map(([name]) => name).join(", ")}`);

function once(step: string, from: string): { seconds: number; peakMb: number } {
  const tmp = mkdtempSync(join(tmpdir(), "alliance-floor-"));
  const timeFile = join(tmp, "time.txt");
  execFileSync("/usr/bin/time", ["-f", "%e %M", "-o", timeFile, process.execPath, STEP, step, from], {
    stdio: "inherit",
  });
  const [seconds, kb] = readFileSync(timeFile, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
  rmSync(tmp, { recursive: true, force: true });
  return { seconds: seconds!, peakMb: Math.round(kb! / 1024) };
}

console.log(`study: ${dir}; ${values.runs} runs each, medians (seconds include starting Node and DuckDB)`);
for (const [name, step, from] of STEPS) {
  const runs = Array.from({ length: Number(values.runs) }, () => once(step, from));
  console.log(
    `${name.padEnd(18)} ${median(runs.map((r) => r.seconds))
      .toFixed(2)
      .padStart(6)} s  ${String(median(runs.map((r) => r.peakMb))).padStart(6)} MB`,
  );
}
