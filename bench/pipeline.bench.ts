/**
 * Benchmark of `alliance run` on a generated study of a given shape.
 *   npm run bench -- --episodes 1000000 --therapists 50000 --sites 50 --order shuffled [--runs 3] [--no-pdf] [--dynamics-cost]
 * (`npm run bench -- --groups` times quarterly batches against the number of sites: groups.bench.ts)
 * (every shape option: bench/shape-options.ts). The study's files are written once, into a cache
 * folder in the system's temporary directory that later runs of the same shape reuse. Each run is the
 * real command (`node bin/alliance.mjs run`, as a user runs it) in a fresh process: its phases' times
 * are the lines it prints on stderr, its peak resident memory is what /usr/bin/time reports, and the
 * whole run is timed from outside, start-up included. Prints each phase's seconds and rows per second,
 * CSV → derived episodes, the whole run and the peak memory; with several runs, the median of each.
 * `--dynamics-cost` runs the study with a sudden-gain cut-off (so that every part of the alliance over
 * the sessions runs), alternating with the same study with `dynamics.enabled: false`, and prints
 * what the session-level work costs: the median difference of each phase, of the whole run and of
 * the peak memory.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median } from "simple-statistics";
import { SHAPE_OPTIONS, shapeFrom } from "./shape-options.ts";
import { cachedStudy } from "./study-cache.ts";
import { phaseTimes } from "./phase-lines.ts";

// `--groups`: the quarterly batches against the number of sites instead (bench/groups.bench.ts).
if (process.argv.includes("--groups")) {
  await import("./groups.bench.ts");
  process.exit(0);
}
const { values } = parseArgs({
  options: {
    ...SHAPE_OPTIONS,
    "no-pdf": { type: "boolean", default: false },
    runs: { type: "string", default: "1" },
    "dynamics-cost": { type: "boolean", default: false },
  },
});
const BIN = fileURLToPath(new URL("../bin/alliance.mjs", import.meta.url));

interface RunTimes {
  phases: Record<string, number>;
  wall: number;
  /** Peak resident memory, KiB (/usr/bin/time's %M). */
  peakKib: number;
}

/** One run of the command in a fresh process. */
function runOnce(dir: string, config = "study.yaml"): RunTimes {
  const out = mkdtempSync(join(tmpdir(), "alliance-bench-out-"));
  const timeFile = join(out, "time.txt");
  const args = [
    "-f",
    "%M",
    "-o",
    timeFile,
    process.execPath,
    BIN,
    "run",
    "--config",
    join(dir, config),
    "--out",
    join(out, "report"),
    ...(values["no-pdf"] ? ["--no-pdf"] : []),
  ];
  const started = performance.now();
  const run = spawnSync("/usr/bin/time", args, { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  if (run.status !== 0) {
    rmSync(out, { recursive: true, force: true });
    throw new Error(`the run failed: ${run.stderr ?? run.error}`);
  }
  const stderr = run.stderr;
  const wall = (performance.now() - started) / 1000;
  const peakKib = Number(readFileSync(timeFile, "utf8").trim().split("\n").at(-1));
  rmSync(out, { recursive: true, force: true });
  return { phases: phaseTimes(stderr), wall, peakKib };
}

const countLines = (path: string) => readFileSync(path).reduce((n, b) => n + (b === 10 ? 1 : 0), 0) - 1;

const shape = shapeFrom(values);
const dir = cachedStudy(shape);
const rows = countLines(join(dir, "episodes.csv")) + countLines(join(dir, "sessions.csv"));
// With and without the session-level work: the same study, its config with a sudden-gain cut-off
// (the generated study gives no outcome reliability, so sudden gains are looked for only with one),
// and with dynamics.enabled false.
const WITH = "study-with-dynamics.yaml";
const WITHOUT = "study-without-dynamics.yaml";
if (values["dynamics-cost"]) {
  const config = readFileSync(join(dir, "study.yaml"), "utf8");
  writeFileSync(join(dir, WITH), config + "\ndynamics:\n  sudden_gain_cutoff: 5\n");
  writeFileSync(join(dir, WITHOUT), config + "\ndynamics:\n  enabled: false\n");
}
const runs: RunTimes[] = [];
const without: RunTimes[] = [];
for (let i = 0; i < Number(values.runs); i++) {
  runs.push(runOnce(dir, values["dynamics-cost"] ? WITH : "study.yaml"));
  if (values["dynamics-cost"]) without.push(runOnce(dir, WITHOUT));
}

const line = (name: string, seconds: number) =>
  console.log(
    `${name.padEnd(16)} ${seconds.toFixed(2).padStart(7)} s  ${Math.round(rows / seconds)
      .toLocaleString("en-US")
      .padStart(12)} rows/s`,
  );
console.log(`shape: ${JSON.stringify(shape)}`);
console.log(
  `${rows.toLocaleString("en-US")} input rows (episodes + sessions), ${runs.length} run${runs.length > 1 ? "s, medians" : ""}${values["no-pdf"] ? ", no PDF" : ""}`,
);
for (const p of Object.keys(runs[0]!.phases)) line(p, median(runs.map((r) => r.phases[p] ?? 0)));
line(
  "CSV → derived",
  median(runs.map((r) => ["read", "validate", "derive"].reduce((a, p) => a + (r.phases[p] ?? 0), 0))),
);
line("whole run", median(runs.map((r) => r.wall)));
// In both units, since a target of "1.5 GB" reads either way: MiB (2^20 bytes) and decimal GB (10^9).
// The peak varies between runs (DuckDB's threads share its aggregations out differently), so the range too.
const peaks = runs.map((r) => r.peakKib);
const peak = median(peaks);
const gb = (kib: number) => ((kib * 1024) / 1e9).toFixed(3);
console.log(
  `peak RSS         ${Math.round(peak / 1024)} MiB = ${gb(peak)} GB (${peak.toLocaleString("en-US")} KiB)${runs.length > 1 ? `; runs ${gb(Math.min(...peaks))}–${gb(Math.max(...peaks))} GB` : ""}`,
);
if (without.length) {
  console.log(
    `\nthe session-level work (dynamics.enabled true − false), medians of ${without.length} alternating runs:`,
  );
  const diff = (f: (r: RunTimes) => number) => median(runs.map(f)) - median(without.map(f));
  for (const p of ["validate", "derive", "analyze", "render"])
    console.log(
      `${p.padEnd(16)} ${diff((r) => r.phases[p] ?? 0)
        .toFixed(2)
        .padStart(7)} s`,
    );
  console.log(
    `${"whole run".padEnd(16)} ${diff((r) => r.wall)
      .toFixed(2)
      .padStart(7)} s  (without: ${median(without.map((r) => r.wall)).toFixed(2)} s)`,
  );
  console.log(
    `${"peak RSS".padEnd(16)} ${Math.round(diff((r) => r.peakKib) / 1024)
      .toString()
      .padStart(7)} MiB`,
  );
}
