/**
 * queryColumns (pipeline/db.ts) reads a table column by column, the way derive hands a million
 * episodes to the analyses. Expected values are the rows written below, and, for a result longer than
 * one chunk (2,048 rows), the same rows read by DuckDB's own row objects.
 */
import { describe, expect, it } from "vitest";
import { type Db, queryColumns, queryRows } from "../../pipeline/db.ts";
import { testDb } from "../helpers/test-db.ts";

/** A database for this test holding the query's rows as table t. */
async function table(sql: string): Promise<Db> {
  const db = await testDb();
  await db.run(`CREATE TABLE t AS ${sql}`);
  return db;
}

describe("queryColumns", () => {
  it("reads numbers, text, booleans and nulls in the table's row order", async () => {
    const d = await table(`SELECT * FROM (VALUES (1, 2.5::DOUBLE, 'a', TRUE), (2, NULL, NULL, FALSE), (3, -1.25, 'c', NULL)) v(i, x, s, b)`);
    expect(await queryColumns(d, "t", ["i", "x", "s", "b"])).toEqual({ i: [1, 2, 3], x: [2.5, null, -1.25], s: ["a", null, "c"], b: [true, false, null] });
  });

  it("reads label columns through a dictionary, giving the same text", async () => {
    const d = await table(`SELECT * FROM (VALUES ('North'), (NULL), ('South'), ('North')) v(site)`);
    expect(await queryColumns(d, "t", ["site"], { labels: ["site"] })).toEqual({ site: ["North", null, "South", "North"] });
  });

  it("reads date columns as YYYY-MM-DD text, before 1970 and across a leap day too", async () => {
    const d = await table(`SELECT * FROM (VALUES ('2024-02-29'), (NULL), ('1969-12-31'), ('2025-01-01')) v(admit_date)`);
    expect(await queryColumns(d, "t", ["admit_date"], { dates: ["admit_date"] })).toEqual({ admit_date: ["2024-02-29", null, "1969-12-31", "2025-01-01"] });
  });

  it("reads a result of many chunks completely and in order", async () => {
    const d = await table(`SELECT i::INTEGER AS i, CASE WHEN i % 7 = 0 THEN NULL ELSE i / 4 END AS x, strftime(DATE '2024-01-01' + (i % 400)::INTEGER, '%Y-%m-%d') AS day, ['a', 'b', 'c'][i % 3 + 1] AS label FROM range(5000) r(i)`);
    const expected = await queryRows<{ i: number; x: number | null; day: string; label: string }>(d, "SELECT i, x, day, label FROM t");
    const read = await queryColumns(d, "t", ["i", "x", "day", "label"], { labels: ["label"], dates: ["day"] });
    expect(read["i"]).toEqual(expected.map((r) => r.i));
    expect(read["x"]).toEqual(expected.map((r) => r.x));
    expect(read["day"]).toEqual(expected.map((r) => r.day));
    expect(read["label"]).toEqual(expected.map((r) => r.label));
  });
});
