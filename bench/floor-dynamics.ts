/**
 * The floor of the session-level work (docs/dynamics.md, docs/performance.md): the least DuckDB
 * does to look at each episode's sessions in date order, in several formulations, on a generated
 * study's sessions file (10.5 M sessions for a million episodes).
 *   node bin/run-ts.mjs bench/floor-dynamics.ts /tmp/alliance-bench-1000000-…/sessions.csv
 * F1 one window pass (partition by episode, order by date) with a lag, aggregated; F2 every window
 * the rules need (lag, leads, framed counts and means) in one window specification; F3 the sessions
 * sorted once into a table, then a lag over the global order; F4 a GROUP BY episode (no order).
 */
import { DuckDBInstance } from "@duckdb/node-api";

const csv = process.argv[2];
if (!csv) throw new Error("usage: bench/floor-dynamics.ts <sessions.csv>");
const db = await (await DuckDBInstance.create(":memory:", { preserve_insertion_order: "true" })).connect();
async function time(label: string, sql: string): Promise<void> {
  const start = performance.now();
  await db.run(sql);
  console.log(`${label.padEnd(44)} ${((performance.now() - start) / 1000).toFixed(2)} s`);
}
await time(
  "load (episode numbers, dates, scores)",
  `CREATE TABLE v_course AS SELECT dense_rank() OVER (ORDER BY ClientID)::INTEGER AS ep, SessionDate AS session_date,
     SRS_Total AS alliance, ORS_Total AS outcome FROM read_csv('${csv.replace(/'/g, "''")}')`,
);
await time(
  "F1 lag over (partition ep order date)",
  `CREATE OR REPLACE TEMP TABLE r AS SELECT count(*) FILTER (WHERE p - alliance >= 3) AS n FROM (
     SELECT alliance, lag(alliance) OVER (PARTITION BY ep ORDER BY session_date) AS p FROM v_course)`,
);
await time(
  "F2 every window in one specification",
  `CREATE OR REPLACE TEMP TABLE r AS SELECT count(*) FILTER (WHERE p - a >= 3 AND (a1 >= p OR a2 >= p OR a3 >= p)) AS rep,
     count(*) FILTER (WHERE npre >= 2 AND mpost > 0) AS g FROM (
     SELECT alliance AS a, lag(alliance) OVER w AS p, lead(alliance, 1) OVER w AS a1, lead(alliance, 2) OVER w AS a2,
            lead(alliance, 3) OVER w AS a3, count(outcome) OVER (w ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS npre,
            avg(outcome) OVER (w ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS mpost
     FROM v_course WINDOW w AS (PARTITION BY ep ORDER BY session_date))`,
);
await time("F3a sorted into a table", `CREATE TABLE s AS SELECT * FROM v_course ORDER BY ep, session_date`);
await time(
  "F3b lag over the global order",
  `CREATE OR REPLACE TEMP TABLE r AS SELECT count(*) FILTER (WHERE pe = ep AND p - alliance >= 3) AS n FROM (
     SELECT ep, alliance, lag(alliance) OVER (ORDER BY ep, session_date) AS p, lag(ep) OVER (ORDER BY ep, session_date) AS pe FROM s)`,
);
await time(
  "F4 group by episode (count, SD)",
  `CREATE OR REPLACE TEMP TABLE r AS SELECT ep, count(alliance) AS n, stddev_samp(alliance) AS sd FROM v_course GROUP BY ep`,
);
