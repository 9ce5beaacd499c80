/**
 * What DuckDB alone takes on the benchmark study's sessions file, without the pipeline: the floor
 * under the scale target of issue 4 (10 million sessions from CSV through derive in under 8 s and
 * 1.5 GB). Each step runs in a fresh child process with the pipeline's DuckDB settings (openDb), so
 * its peak memory is its own; prints the median seconds and peak resident memory of each.
 *   npm run bench:floor -- --episodes 1310000 [--seed N] [--runs 3]
 * The study is the one `npm run bench` uses (bench/study-cache.ts), generated once.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median } from "simple-statistics";
import { DEMO_PARAMETERS } from "../data/demo/model.ts";
import { closeDb, openDb, sqlString } from "../pipeline/db.ts";
import { runChild } from "./child-run.ts";
import { cachedStudy } from "./study-cache.ts";

const { values } = parseArgs({
  options: {
    episodes: { type: "string", default: "100000" },
    seed: { type: "string", default: String(DEMO_PARAMETERS.seed) },
    runs: { type: "string", default: "1" },
    child: { type: "string" },
    step: { type: "string" },
  },
});

const SCORES = ["SRS_Relationship", "SRS_Goals", "SRS_Approach", "SRS_Overall", "SRS_Total", "ORS_Total", "SRS_Therapist"];
const COLUMNS = ["ClientID", "SessionDate", ...SCORES];

/** The steps, from the least work up; each is SQL over the study's folder. */
const STEPS: { name: string; sql: (dir: string) => string[] }[] = [
  { name: "count the rows", sql: (d) => [`SELECT count(*) FROM ${csv(d, "sessions", true)}`] },
  { name: "read into a typed table", sql: (d) => [`CREATE TABLE s AS SELECT * FROM ${csv(d, "sessions", false)}`] },
  {
    name: "read into a text table, every cell trimmed and missing codes as NULL (as ingest does)",
    sql: (d) => [`CREATE TABLE s AS SELECT ${COLUMNS.map((c) => `CASE WHEN trim(${c}) IN ('', 'NA', 'N/A') THEN NULL ELSE trim(${c}) END AS ${c}`).join(", ")} FROM ${csv(d, "sessions", true)}`],
  },
  {
    name: "per-episode count and mean straight from the file, joined to the episodes (no validation)",
    sql: (d) => [episodesTable(d), `CREATE TABLE a AS SELECT e.r, count(*) AS n, avg(s.SRS_Total) AS mean ${fromSessions(d)} GROUP BY e.r`],
  },
  {
    name: "the same with the first three ratings of six scores (derive's early windows; no validation)",
    sql: (d) => [
      episodesTable(d),
      `CREATE TABLE a AS SELECT e.r, count(*) AS n, ${SCORES.slice(0, 6).map((c) => `list_avg(arg_min(s.${c}, s.SessionDate, 3) FILTER (WHERE s.${c} IS NOT NULL)) AS early_${c}`).join(", ")} ${fromSessions(d)} GROUP BY e.r`,
    ],
  },
];

function csv(dir: string, file: string, text: boolean): string {
  return `read_csv(${sqlString(join(dir, `${file}.csv`))}, header = true${text ? ", all_varchar = true" : ""})`;
}
const episodesTable = (d: string) => `CREATE TABLE ep AS SELECT row_number() OVER () AS r, ClientID AS c, AdmitDate AS a, DischargeDate AS dd FROM ${csv(d, "episodes", false)}`;
const fromSessions = (d: string) => `FROM ${csv(d, "sessions", false)} s JOIN ep e ON e.c = s.ClientID AND s.SessionDate >= e.a AND (e.dd IS NULL OR s.SessionDate <= e.dd)`;

if (values.child !== undefined) {
  // One step, in its own process; prints its seconds and peak memory as the last line.
  const db = await openDb();
  const started = performance.now();
  for (const sql of STEPS[Number(values.step)]!.sql(values.child)) await db.run(sql);
  const seconds = (performance.now() - started) / 1000;
  closeDb(db);
  console.log(JSON.stringify({ seconds, peakMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
} else {
  const dir = cachedStudy(values.episodes, values.seed);
  console.log(`DuckDB alone on ${join(dir, "sessions.csv")}, ${values.runs} run(s) of each step, medians:`);
  for (const [i, step] of STEPS.entries()) {
    const runs = Array.from({ length: Number(values.runs) }, () => runChild<{ seconds: number; peakMb: number }>(fileURLToPath(import.meta.url), ["--child", dir, "--step", String(i)]));
    console.log(`${median(runs.map((r) => r.seconds)).toFixed(2).padStart(6)} s ${String(median(runs.map((r) => r.peakMb))).padStart(6)} MB  ${step.name}`);
  }
}
