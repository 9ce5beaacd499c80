// What any run of the demo starts with, for bench/floor-demo.ts to time from outside: Node started, DuckDB
// and the chart modules (vega, vega-lite) loaded, an in-memory database opened and the demo's two CSV
// files read into tables. No validation, analysis, chart or report.
import { fileURLToPath } from "node:url";

const demo = (/** @type {string} */ name) => fileURLToPath(new URL(`../data/demo/${name}`, import.meta.url));
const [{ DuckDBInstance }] = await Promise.all([import("@duckdb/node-api"), import("vega"), import("vega-lite")]);
const db = await (await DuckDBInstance.create(":memory:")).connect();
await db.run(`CREATE TABLE episodes AS SELECT * FROM read_csv('${demo("episodes.csv")}')`);
await db.run(`CREATE TABLE sessions AS SELECT * FROM read_csv('${demo("sessions.csv")}')`);
