// One formulation of the sessions → per-episode work, in DuckDB alone (no pipeline), for
// bench/floor.bench.ts, which runs each in a fresh process. Usage: node bench/floor-step.mjs <step> <study dir>
//   scan        the sessions CSV read typed, rows counted (the reader's own floor)
//   per-client  the query of issue 18: per client, count, first three alliance ratings, first and last outcome, last date
//   view-join   sessions read typed from the file, joined to their episode by client and dates, summarised per episode in one statement
//   table-join  sessions typed into a table first, then the same join and summary (the pipeline's formulation)
import { DuckDBInstance } from "@duckdb/node-api";

const [step, dir] = process.argv.slice(2);
const db = await (await DuckDBInstance.create(":memory:", { preserve_insertion_order: "true" })).connect();
const sessions = `read_csv('${dir}/sessions.csv', header = true, auto_detect = false, columns = {'ClientID': 'VARCHAR', 'SessionDate': 'DATE', 'SRS_Total': 'DOUBLE', 'ORS_Total': 'DOUBLE'}, nullstr = ['', 'NA', 'N/A'], store_rejects = true)`;
/** @param {string} k */
const summary = (k) =>
  `count(*) FILTER (WHERE ${k}) AS n, max(d) FILTER (WHERE ${k}) AS last_session, avg(a) FILTER (WHERE ${k}) AS mean_alliance,
   arg_min(o, d) FILTER (WHERE ${k} AND o IS NOT NULL) AS outcome_first, arg_max(o, d) FILTER (WHERE ${k} AND o IS NOT NULL) AS outcome_last,
   arg_min(a, d, 3) FILTER (WHERE ${k} AND a IS NOT NULL) AS early`;
async function links() {
  await db.run(`CREATE TABLE episodes AS SELECT row_number() OVER () AS ep, ClientID AS client, AdmitDate::DATE AS admit, DischargeDate::DATE AS discharge FROM read_csv('${dir}/episodes.csv', all_varchar = true)`);
  await db.run(`CREATE TABLE links AS SELECT ep, client, admit, discharge,
      CASE WHEN lag(ep) OVER w IS NULL THEN DATE '0001-01-01' ELSE admit END AS from_date, coalesce(lead(admit) OVER w, DATE '9999-12-31') AS to_date
    FROM episodes WINDOW w AS (PARTITION BY client ORDER BY admit, ep)`);
}
/** @param {string} from */
const joined = (from) => `(SELECT s.*, l.ep, l.admit, l.discharge, (s.d >= l.admit AND (l.discharge IS NULL OR s.d <= l.discharge)) AS kept
  FROM ${from} s LEFT JOIN links l ON l.client = s.client AND s.d >= l.from_date AND s.d < l.to_date)`;
const typed = `(SELECT ClientID AS client, SessionDate AS d, SRS_Total AS a, ORS_Total AS o FROM ${sessions})`;
if (step === "scan") await db.run(`SELECT count(*), count(SessionDate), sum(SRS_Total), sum(ORS_Total) FROM ${sessions}`);
else if (step === "per-client")
  await db.run(`CREATE TABLE per_client AS SELECT ClientID, count(*) AS n, arg_min(SRS_Total, SessionDate, 3) FILTER (WHERE SRS_Total IS NOT NULL) AS early,
    arg_min(ORS_Total, SessionDate) FILTER (WHERE ORS_Total IS NOT NULL) AS first, arg_max(ORS_Total, SessionDate) FILTER (WHERE ORS_Total IS NOT NULL) AS last, max(SessionDate) AS last_session
    FROM ${sessions} GROUP BY 1`);
else if (step === "view-join") {
  await links();
  await db.run(`CREATE TABLE per_episode AS SELECT ep, ${summary("kept")} FROM ${joined(typed)} GROUP BY ep`);
} else if (step === "table-join") {
  await links();
  await db.run(`CREATE TABLE s AS SELECT * FROM ${typed}`);
  await db.run(`CREATE TABLE per_episode AS SELECT ep, ${summary("kept")} FROM ${joined("s")} GROUP BY ep`);
} else throw new Error(`unknown step ${step}`);
