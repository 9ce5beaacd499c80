// One formulation of the sessions → per-episode work, in DuckDB alone (no pipeline), for
// bench/floor.bench.ts, which runs each in a fresh process. Usage: node bench/floor-step.mjs <step> <study dir>
//   scan        the sessions CSV read typed, rows counted (the reader's own floor)
//   per-client  the query of issue 18: per client, count, first three alliance ratings, first and last outcome, last date
//   view-join   sessions read typed from the file, joined to their episode by client and dates, summarised per episode in one statement
//   table-join  sessions typed into a table first, then the same join and summary (the pipeline's formulation)
//   js-summary  sessions read typed from the file and joined to their episode in DuckDB, the joined rows
//               streamed out in chunks as typed vectors and summarised per episode in JavaScript arrays
//   js-table    the same from a typed table of the sessions
//   js-fetch    js-summary's rows fetched from DuckDB and nothing done with them: what handing them over costs
//   one-pass    CSV → derived episodes at its leanest: table-join's statement also counting eight session
//               rules per episode (packed in one sum) and marking days in a 64-bit map, the episodes with a
//               day twice recounted from the table in file order, then each episode joined to its summary
//               with its early alliance, change and tier. No identifier guard, no text copy, no listing of
//               findings.
//   one-pass-file  the same with no table of the sessions: the pass reads the file, and the recount reads
//               it again, numbering its rows for the file order
//   sort        (untimed set-up) the sessions CSV sorted by client and date, written into the folder given
//               third, for per-client on sorted sessions
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
  await db.run(
    `CREATE TABLE episodes AS SELECT row_number() OVER () AS ep, ClientID AS client, AdmitDate::DATE AS admit, DischargeDate::DATE AS discharge FROM read_csv('${dir}/episodes.csv', all_varchar = true)`,
  );
  await db.run(`CREATE TABLE links AS SELECT ep, client, admit, discharge,
      CASE WHEN lag(ep) OVER w IS NULL THEN DATE '0001-01-01' ELSE admit END AS from_date, coalesce(lead(admit) OVER w, DATE '9999-12-31') AS to_date
    FROM episodes WINDOW w AS (PARTITION BY client ORDER BY admit, ep)`);
}
/** @param {string} from */
const joined = (
  from,
) => `(SELECT s.*, l.ep, l.admit, l.discharge, (s.d >= l.admit AND (l.discharge IS NULL OR s.d <= l.discharge)) AS kept
  FROM ${from} s LEFT JOIN links l ON l.client = s.client AND s.d >= l.from_date AND s.d < l.to_date)`;
const typed = `(SELECT ClientID AS client, SessionDate AS d, SRS_Total AS a, ORS_Total AS o FROM ${sessions})`;
if (step === "scan")
  await db.run(`SELECT count(*), count(SessionDate), sum(SRS_Total), sum(ORS_Total) FROM ${sessions}`);
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
} else if (step === "js-fetch") {
  await links();
  const result = await db.stream(
    `SELECT coalesce(ep, 0)::INTEGER, (d - DATE '1970-01-01')::INTEGER, coalesce(a, 'NaN'::DOUBLE), coalesce(o, 'NaN'::DOUBLE), coalesce(kept, FALSE)::UTINYINT FROM ${joined(typed)}`,
  );
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk())
    for (let c = 0; c < 5; c++) chunk.getColumnVector(c);
} else if (step === "js-summary" || step === "js-table") {
  await links();
  let from = typed;
  if (step === "js-table") {
    await db.run(`CREATE TABLE s AS SELECT * FROM ${typed}`);
    from = "s";
  }
  const n = (await db.runAndReadAll("SELECT max(ep)::INTEGER + 1 AS n FROM links")).getRows()[0]?.[0];
  await summariseInJs(
    await db.stream(
      `SELECT coalesce(ep, 0)::INTEGER, (d - DATE '1970-01-01')::INTEGER, coalesce(a, 'NaN'::DOUBLE), coalesce(o, 'NaN'::DOUBLE), coalesce(kept, FALSE)::UTINYINT FROM ${joined(from)}`,
    ),
    Number(n),
  );
} else if (step === "one-pass" || step === "one-pass-file") {
  await links();
  await onePass(step === "one-pass-file");
} else if (step === "sort") {
  await db.run(
    `COPY (SELECT * FROM read_csv('${dir}/sessions.csv', all_varchar = true) ORDER BY ClientID, SessionDate) TO '${process.argv[4]}/sessions.csv' (HEADER)`,
  );
} else throw new Error(`unknown step ${step}`);

/**
 * The one-pass formulations (see the top of this file): from a typed table of the sessions, or from the
 * file each time. The cutoff and the ranges are the bench study's.
 * @param {boolean} fromFile
 */
async function onePass(fromFile) {
  const cutoff = "DATE '2025-06-30'";
  const rules = [
    "client IS NULL",
    "d IS NULL",
    "a < 0 OR a > 40",
    "o < 0 OR o > 40",
    "ep IS NULL",
    `admit > ${cutoff}`,
    `d > ${cutoff}`,
    "d < admit OR d > discharge",
  ];
  /** @param {string} from */
  const flagged = (from) =>
    `(SELECT *, ${rules.map((r, i) => `coalesce(${r}, FALSE) AS c${i}`).join(", ")}, NOT (${rules.map((_, i) => `c${i}`).join(" OR ")}) AS ok FROM ${from})`;
  const packed = rules.map((_, i) => `(c${i}::BIGINT << ${8 * i})`).join(" + ");
  if (!fromFile) await db.run(`CREATE TABLE s AS SELECT * FROM ${typed}`);
  const numbered = fromFile
    ? `(SELECT row_number() OVER () AS src_row, * FROM ${typed})`
    : "(SELECT rowid AS src_row, * FROM s)";
  await db.run(`CREATE TABLE pass AS SELECT ep, sum(${packed}) AS rule_counts, count(d)::INTEGER AS n_dated,
      bit_count(bit_or(1::UBIGINT << ((d - DATE '2000-01-01') & 63)))::INTEGER AS day_bits, ${summary("ok")}
    FROM ${flagged(joined(fromFile ? typed : "s"))} GROUP BY ep`);
  await db.run(`CREATE TABLE twice AS SELECT ep FROM pass WHERE ep IS NULL OR day_bits < n_dated`);
  await db.run(`CREATE TABLE recount AS SELECT ep, ${summary("ok AND NOT duplicate")}, count(*) FILTER (WHERE duplicate) AS duplicates
    FROM (SELECT *, d IS NOT NULL AND row_number() OVER (PARTITION BY ep, client, d ORDER BY src_row) > 1 AS duplicate
          FROM ${flagged(joined(`(SELECT * FROM ${numbered} WHERE client IN (SELECT l.client FROM links l JOIN twice t ON t.ep = l.ep))`))}
          WHERE ep IN (SELECT ep FROM twice)) GROUP BY ep`);
  await db.run(`CREATE TABLE derived AS
    WITH summary AS (SELECT ep, n, last_session, mean_alliance, outcome_first, outcome_last, early FROM pass WHERE ep IS NOT NULL AND ep NOT IN (SELECT ep FROM twice WHERE ep IS NOT NULL)
                     UNION ALL SELECT ep, n, last_session, mean_alliance, outcome_first, outcome_last, early FROM recount)
    SELECT e.*, s.n, s.last_session, s.mean_alliance, list_avg(s.early) AS early_alliance, s.outcome_last - s.outcome_first AS change,
           CASE WHEN list_avg(s.early) < 30 THEN 'low' WHEN list_avg(s.early) < 36 THEN 'medium' WHEN list_avg(s.early) IS NOT NULL THEN 'high' END AS tier
    FROM episodes e LEFT JOIN summary s ON s.ep = e.ep ORDER BY e.ep`);
}

/**
 * The per-episode summary of `summary("kept")` over streamed chunks (episode, day, alliance, outcome,
 * kept): count, last day, mean alliance, first and last outcome by day, the first three alliance
 * ratings by day and their mean. Returns the episodes summarised.
 * @param {import("@duckdb/node-api").DuckDBResult} result
 * @param {number} episodes
 */
async function summariseInJs(result, episodes) {
  const n = new Int32Array(episodes),
    last = new Int32Array(episodes).fill(-2147483648),
    sum = new Float64Array(episodes),
    rated = new Int32Array(episodes);
  const firstDay = new Int32Array(episodes).fill(2147483647),
    firstO = new Float64Array(episodes),
    lastDay = new Int32Array(episodes).fill(-2147483648),
    lastO = new Float64Array(episodes);
  const early = new Uint8Array(episodes),
    eDay = new Int32Array(3 * episodes),
    eA = new Float64Array(3 * episodes);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    /** @type {(c: number) => any} */
    const items = (c) => /** @type {any} */ (chunk.getColumnVector(c)).items;
    /** @type {Int32Array} */ const ep = items(0);
    /** @type {Int32Array} */ const day = items(1);
    /** @type {Float64Array} */ const a = items(2);
    /** @type {Float64Array} */ const o = items(3);
    /** @type {Uint8Array} */ const kept = items(4);
    for (let i = 0; i < chunk.rowCount; i++) {
      if (!kept[i]) continue;
      const e = /** @type {number} */ (ep[i]),
        d = /** @type {number} */ (day[i]),
        x = /** @type {number} */ (a[i]),
        y = /** @type {number} */ (o[i]);
      n[e] = /** @type {number} */ (n[e]) + 1;
      if (d > /** @type {number} */ (last[e])) last[e] = d;
      if (x === x) {
        sum[e] = /** @type {number} */ (sum[e]) + x;
        rated[e] = /** @type {number} */ (rated[e]) + 1;
        // Insert into the first three by day.
        let k = /** @type {number} */ (early[e]);
        if (k < 3 || d < /** @type {number} */ (eDay[3 * e + 2])) {
          if (k === 3) k = 2;
          let j = k;
          while (j > 0 && /** @type {number} */ (eDay[3 * e + j - 1]) > d) {
            eDay[3 * e + j] = /** @type {number} */ (eDay[3 * e + j - 1]);
            eA[3 * e + j] = /** @type {number} */ (eA[3 * e + j - 1]);
            j--;
          }
          eDay[3 * e + j] = d;
          eA[3 * e + j] = x;
          early[e] = k + 1;
        }
      }
      if (y === y) {
        if (d < /** @type {number} */ (firstDay[e])) {
          firstDay[e] = d;
          firstO[e] = y;
        }
        if (d > /** @type {number} */ (lastDay[e])) {
          lastDay[e] = d;
          lastO[e] = y;
        }
      }
    }
  }
  let summarised = 0;
  const mean = new Float64Array(episodes),
    earlyMean = new Float64Array(episodes);
  for (let e = 0; e < episodes; e++) {
    const k = /** @type {number} */ (early[e]);
    if (n[e] === 0) continue;
    summarised++;
    mean[e] = rated[e] ? /** @type {number} */ (sum[e]) / /** @type {number} */ (rated[e]) : NaN;
    let s = 0;
    for (let j = 0; j < k; j++) s += /** @type {number} */ (eA[3 * e + j]);
    earlyMean[e] = k ? s / k : NaN;
  }
  return summarised;
}
