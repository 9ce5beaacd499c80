/**
 * Benchmark of quarterly batches against the number of groups: is their cost linear in the sites?
 *   npm run bench -- --groups [--runs 3] [--pdf]
 * Studies of N sites of one episode each (the generator's episodes, each given a site of its own, so
 * every site's counts are small cells and the batch's suppression has the most to do), written once
 * into the system's temporary folder. Times, as a user runs them (`node bin/alliance.mjs report`, a
 * fresh process, start-up included), with --no-pdf unless --pdf:
 *   - the program's report (`--period latest`) at 2,000 and 20,000 sites;
 *   - every site's report too (`--by site`) at 200 and 2,000 sites, with the release check's share.
 * Prints the median of each, and the cost per site, so that growth faster than linear shows.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median } from "simple-statistics";
import { writeStudy } from "../data/generator/write-study.ts";
import { DEFAULT_SHAPE } from "../data/generator/shape.ts";

const { values } = parseArgs({
  options: {
    groups: { type: "boolean" },
    runs: { type: "string", default: "3" },
    pdf: { type: "boolean", default: false },
  },
  strict: false,
});
const BIN = fileURLToPath(new URL("../bin/alliance.mjs", import.meta.url));

/** A study of `sites` sites of one episode each, written once. */
function oneEpisodeSites(sites: number): string {
  const dir = join(tmpdir(), `alliance-bench-groups-${sites}`);
  if (existsSync(join(dir, "study.yaml"))) return dir;
  writeStudy(
    { ...DEFAULT_SHAPE, seed: 11, episodes: sites, sites: 1, therapists: Math.min(sites, 2000), readmissionShare: 0 },
    dir,
  );
  const [header, ...rows] = readFileSync(join(dir, "episodes.csv"), "utf8").trimEnd().split("\n");
  const site = header!.split(",").indexOf("Site");
  const width = String(sites).length;
  writeFileSync(
    join(dir, "episodes.csv"),
    [
      header,
      ...rows.map((r, i) =>
        r
          .split(",")
          .map((c, j) => (j === site ? `Site ${String(i + 1).padStart(width, "0")}` : c))
          .join(","),
      ),
    ].join("\n") + "\n",
  );
  return dir;
}

/** One batch in a fresh process: wall seconds and the release check's seconds (its progress line). */
function batch(dir: string, bySite: boolean): { wall: number; check: number } {
  const out = mkdtempSync(join(tmpdir(), "alliance-bench-groups-out-"));
  const args = [
    BIN,
    "report",
    "--config",
    join(dir, "study.yaml"),
    "--period",
    "latest",
    "--out",
    join(out, "batch"),
    ...(bySite ? ["--by", "site"] : []),
    ...(values.pdf ? [] : ["--no-pdf"]),
  ];
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  const wall = (performance.now() - started) / 1000;
  rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`the batch failed: ${r.stderr}`);
  return { wall, check: Number(/alliance: check\s+([\d.]+) s/.exec(r.stderr)?.[1] ?? NaN) };
}

const runs = Number(values.runs);
console.log(
  `quarterly batches of sites of one episode each, ${runs} runs each, medians${values.pdf ? ", with PDFs" : ", --no-pdf"}`,
);
for (const [label, sites, bySite] of [
  ["program report", 2_000, false],
  ["program report", 20_000, false],
  ["--by site", 200, true],
  ["--by site", 2_000, true],
] as const) {
  const dir = oneEpisodeSites(sites);
  const times = Array.from({ length: runs }, () => batch(dir, bySite));
  const wall = median(times.map((t) => t.wall));
  const check = median(times.map((t) => t.check));
  console.log(
    `${label.padEnd(15)} ${String(sites).padStart(6)} sites  ${wall.toFixed(2).padStart(7)} s  (release check ${check.toFixed(2)} s; ${((1000 * wall) / sites).toFixed(1)} ms a site)`,
  );
}
