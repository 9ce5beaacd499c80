/**
 * What the demo's run costs at least on this machine, without the pipeline's own work: each
 * formulation in a fresh process, timed from outside (/usr/bin/time: wall seconds, and CPU seconds of
 * the process and the browser it waited for), medians over the runs.
 *   npm run bench:floor-demo -- --runs 5
 *   start        start Node, load DuckDB and the chart modules, read the demo's two files (bench/floor-start.mjs)
 *   launch       start the system Chromium as a run does, and close it
 *   print        the same, printing the demo's report.html to PDF in between
 *   print-cli    the browser printing that file by itself (`--headless --print-to-pdf`), without puppeteer
 *   demo-no-pdf  the whole `alliance demo --no-pdf` (Node, DuckDB, the analyses, the charts, the check)
 *   demo         the whole `alliance demo`
 * On a 2-core machine a run cannot take less wall time than half its CPU time, however its parts
 * overlap: the last two lines say what that bound is for the demo with its PDF, and for start and print
 * alone (the floor of any run with a PDF, before the pipeline's own work).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median } from "simple-statistics";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "bin", "alliance.mjs");
const step = join(root, "bench", "floor-pdf-step.mjs");
const work = mkdtempSync(join(tmpdir(), "alliance-floor-demo-"));
const html = join(work, "report", "report.html");
execFileSync(process.execPath, [cli, "demo", "--no-pdf", "--quiet", "--out", join(work, "report")], {
  stdio: ["ignore", "ignore", "inherit"],
});

function once(args: string[]): { wall: number; cpu: number } {
  const timeFile = join(work, "time.txt");
  execFileSync("/usr/bin/time", ["-f", "%e %U %S", "-o", timeFile, process.execPath, ...args], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const [wall, user, sys] = readFileSync(timeFile, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
  return { wall: wall!, cpu: user! + sys! };
}

const FORMULATIONS: [string, string[]][] = [
  ["start", [join(root, "bench", "floor-start.mjs")]],
  ["launch", [step, "launch"]],
  ["print", [step, "print", html]],
  ["print-cli", [step, "cli", html]],
  ["demo-no-pdf", [cli, "demo", "--no-pdf", "--quiet", "--out", join(work, "a")]],
  ["demo", [cli, "demo", "--quiet", "--out", join(work, "b")]],
];
console.log(`${values.runs} runs each, medians; ${cpus().length} cores`);
const cpu = new Map<string, number>();
const wall = new Map<string, number>();
for (const [name, args] of FORMULATIONS) {
  const runs = Array.from({ length: Number(values.runs) }, () => once(args));
  cpu.set(name, median(runs.map((r) => r.cpu)));
  wall.set(name, median(runs.map((r) => r.wall)));
  console.log(
    `${name.padEnd(12)} wall ${wall.get(name)!.toFixed(2).padStart(5)} s  cpu ${cpu.get(name)!.toFixed(2).padStart(5)} s`,
  );
}
console.log(
  `demo's CPU over ${cpus().length} cores: no run of it can take less than ${(cpu.get("demo")! / cpus().length).toFixed(2)} s of wall time`,
);
// Any run with a PDF does at least what "start" and "print" do: however they overlap, it takes the longer
// of print's wall time and their CPU shared over the cores, before a single rule, analysis or chart.
const floor = Math.max(wall.get("print")!, (cpu.get("start")! + cpu.get("print")!) / cpus().length);
console.log(`start and print alone, overlapped at best: at least ${floor.toFixed(2)} s of wall time`);
rmSync(work, { recursive: true, force: true });
