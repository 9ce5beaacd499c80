/**
 * queryColumns and queryTyped (pipeline/db.ts) read a table column by column; queryTyped is how derive
 * hands a million episodes to the analyses, its labels and dates as codes into their text. Expected values are the rows written below, and, for a result longer than
 * one chunk (2,048 rows), the same rows read by DuckDB's own row objects.
 */
import { describe, expect, it } from "vitest";
import { type Db, type LabelColumn, queryColumns, queryRows, queryTyped } from "../../pipeline/db.ts";
import { testDb } from "../helpers/test-db.ts";

/** A database for this test holding the query's rows as table t. */
async function table(sql: string): Promise<Db> {
  const db = await testDb();
  await db.run(`CREATE TABLE t AS ${sql}`);
  return db;
}

describe("queryColumns", () => {
  it("reads numbers, text, booleans and nulls in the table's row order", async () => {
    const d = await table(
      `SELECT * FROM (VALUES (1, 2.5::DOUBLE, 'a', TRUE), (2, NULL, NULL, FALSE), (3, -1.25, 'c', NULL)) v(i, x, s, b)`,
    );
    expect(await queryColumns(d, "t", ["i", "x", "s", "b"])).toEqual({
      i: [1, 2, 3],
      x: [2.5, null, -1.25],
      s: ["a", null, "c"],
      b: [true, false, null],
    });
  });

  it("reads a result of many chunks completely and in order", async () => {
    const d = await table(
      `SELECT i::INTEGER AS i, CASE WHEN i % 7 = 0 THEN NULL ELSE i / 4 END AS x, strftime(DATE '2024-01-01' + (i % 400)::INTEGER, '%Y-%m-%d') AS day, ['a', 'b', 'c'][i % 3 + 1] AS label FROM range(5000) r(i)`,
    );
    const expected = await queryRows<{ i: number; x: number | null; day: string; label: string }>(
      d,
      "SELECT i, x, day, label FROM t",
    );
    const read = await queryColumns(d, "t", ["i", "x", "day", "label"]);
    expect(read["i"]).toEqual(expected.map((r) => r.i));
    expect(read["x"]).toEqual(expected.map((r) => r.x));
    expect(read["day"]).toEqual(expected.map((r) => r.day));
    expect(read["label"]).toEqual(expected.map((r) => r.label));
  });
});

/** A label column's text, row by row (null for −1). */
const text = (c: LabelColumn) => Array.from(c.codes, (k) => (k < 0 ? null : c.values[k]!));

describe("queryTyped", () => {
  it("reads numbers with NaN for null, and flags as 0 and 1", async () => {
    const d = await table(
      `SELECT * FROM (VALUES (1, 2.5::DOUBLE, TRUE), (2, NULL, FALSE), (3, -1.25, NULL)) v(i, x, b)`,
    );
    const read = await queryTyped(d, "t", { i: "number", x: "number", b: "flag" });
    expect(read["i"]).toEqual(Float64Array.of(1, 2, 3));
    expect(read["x"]).toEqual(Float64Array.of(2.5, NaN, -1.25));
    expect(read["b"]).toEqual(Uint8Array.of(1, 0, 0));
  });

  it("reads label columns through a dictionary, giving the same text", async () => {
    const d = await table(`SELECT * FROM (VALUES ('North'), (NULL), ('South'), ('North')) v(site)`);
    expect(text((await queryTyped(d, "t", { site: "label" }))["site"] as LabelColumn)).toEqual([
      "North",
      null,
      "South",
      "North",
    ]);
  });

  it("reads date columns as YYYY-MM-DD text, before 1970 and across a leap day too", async () => {
    const d = await table(
      `SELECT * FROM (VALUES ('2024-02-29'), (NULL), ('1969-12-31'), ('2025-01-01')) v(admit_date)`,
    );
    expect(text((await queryTyped(d, "t", { admit_date: "date" }))["admit_date"] as LabelColumn)).toEqual([
      "2024-02-29",
      null,
      "1969-12-31",
      "2025-01-01",
    ]);
  });

  it("reads labels and dates as codes into their values, −1 for null", async () => {
    const d = await table(
      `SELECT * FROM (VALUES ('North', '2024-02-29'), (NULL, NULL), ('South', '1969-12-31'), ('North', '2024-02-29')) v(site, admit_date)`,
    );
    const read = await queryTyped(d, "t", { site: "label", admit_date: "date" });
    expect(text(read["site"] as LabelColumn)).toEqual(["North", null, "South", "North"]);
    expect(text(read["admit_date"] as LabelColumn)).toEqual(["2024-02-29", null, "1969-12-31", "2024-02-29"]);
    expect((read["admit_date"] as LabelColumn).values).toEqual(["2024-02-29", "1969-12-31"]);
  });

  it("reads a result of many chunks completely and in order, as queryColumns does", async () => {
    const d = await table(
      `SELECT i::INTEGER AS i, CASE WHEN i % 7 = 0 THEN NULL ELSE i / 4 END AS x, strftime(DATE '2024-01-01' + (i % 400)::INTEGER, '%Y-%m-%d') AS day, CASE WHEN i % 11 = 0 THEN NULL ELSE ['a', 'b', 'c'][i % 3 + 1] END AS label, i % 5 = 0 AS flag FROM range(5000) r(i)`,
    );
    const expected = await queryColumns(d, "t", ["i", "x", "day", "label", "flag"]);
    const read = await queryTyped(d, "t", { i: "number", x: "number", day: "date", label: "label", flag: "flag" });
    expect(Array.from(read["i"] as Float64Array)).toEqual(expected["i"]);
    expect(Array.from(read["x"] as Float64Array, (v) => (Number.isNaN(v) ? null : v))).toEqual(expected["x"]);
    expect(text(read["day"] as LabelColumn)).toEqual(expected["day"]);
    expect(text(read["label"] as LabelColumn)).toEqual(expected["label"]);
    expect(Array.from(read["flag"] as Uint8Array, (v) => v === 1)).toEqual(expected["flag"]);
  });
});
