/** Loads rows parsed in JavaScript (xlsx, SPSS) into a DuckDB text table, in order (rowid = index). */
import type { Db } from "../../db.ts";
import { sqlIdent } from "../../db.ts";

/**
 * Creates `table` with one VARCHAR column per name and appends the rows; returns how many.
 */
export async function appendRows(
  db: Db,
  table: string,
  columns: string[],
  rows: Iterable<(string | null)[]>,
): Promise<number> {
  await db.run(`CREATE OR REPLACE TABLE ${table} (${columns.map((c) => `${sqlIdent(c)} VARCHAR`).join(", ")})`);
  const appender = await db.createAppender(table);
  let n = 0;
  for (const row of rows) {
    for (let j = 0; j < columns.length; j++) {
      const v = row[j];
      if (v === null || v === undefined) appender.appendNull();
      else appender.appendVarchar(v);
    }
    appender.endRow();
    n++;
  }
  appender.closeSync();
  return n;
}
