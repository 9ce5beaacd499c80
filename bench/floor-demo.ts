/**
 * What the demo's run costs at least on this machine, without the pipeline's own work: each
 * formulation in a fresh process, timed from outside (/usr/bin/time: wall seconds, and CPU seconds of
 * the process and the browser it waited for), medians over the runs.
 *   npm run bench:floor-demo -- --runs 5
 *   launch       start the system Chromium as a run does, and close it
 *   print        the same, printing the demo's report.html to PDF in between
 *   demo-no-pdf  the whole `alliance demo --no-pdf` (Node, DuckDB, the analyses, the charts, the check)
 *   demo         the whole `alliance demo`
 * On a 2-core machine a run cannot take less wall time than half its CPU time, however its parts
 * overlap: the last line says what that bound is for the demo with its PDF.
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
execFileSync(process.execPath, [cli, "demo", "--no-pdf", "--quiet", "--out", join(work, "report")], { stdio: ["ignore", "ignore", "inherit"] });

function once(args: string[]): { wall: number; cpu: number } {
  const timeFile = join(work, "time.txt");
  execFileSync("/usr/bin/time", ["-f", "%e %U %S", "-o", timeFile, process.execPath, ...args], { stdio: ["ignore", "ignore", "inherit"] });
  const [wall, user, sys] = readFileSync(timeFile, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
  return { wall: wall!, cpu: user! + sys! };
}

const FORMULATIONS: [string, string[]][] = [
  ["launch", [step, "launch"]],
  ["print", [step, "print", html]],
  ["demo-no-pdf", [cli, "demo", "--no-pdf", "--quiet", "--out", join(work, "a")]],
  ["demo", [cli, "demo", "--quiet", "--out", join(work, "b")]],
];
console.log(`${values.runs} runs each, medians; ${cpus().length} cores`);
const cpu = new Map<string, number>();
for (const [name, args] of FORMULATIONS) {
  const runs = Array.from({ length: Number(values.runs) }, () => once(args));
  cpu.set(name, median(runs.map((r) => r.cpu)));
  console.log(`${name.padEnd(12)} wall ${median(runs.map((r) => r.wall)).toFixed(2).padStart(5)} s  cpu ${cpu.get(name)!.toFixed(2).padStart(5)} s`);
}
console.log(`demo's CPU over ${cpus().length} cores: no run of it can take less than ${(cpu.get("demo")! / cpus().length).toFixed(2)} s of wall time`);
rmSync(work, { recursive: true, force: true });
