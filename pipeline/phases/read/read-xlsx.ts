/** Excel .xlsx sheets, read with read-excel-file (maintained; the npm `xlsx` package carries known CVEs). */
import { readSheet } from "read-excel-file/node";
import type { Db } from "../../db.ts";
import { appendRows } from "./append-rows.ts";
import { cellText } from "./cell-text.ts";
import { duplicateNames } from "./csv-header.ts";

/**
 * Reads one sheet (by name, or the first) into `table`; the first row is the header, and
 * the rows keep their order. A header that names two columns alike loads nothing: its duplicates
 * are returned for the caller to refuse.
 */
export async function readXlsx(
  db: Db,
  path: string,
  sheet: string | null,
  table: string,
): Promise<{ columns: string[]; rows: number; duplicates: ReturnType<typeof duplicateNames> }> {
  const data = (await readSheet(path, sheet ?? 1)) as unknown[][];
  const header = (data[0] ?? []).map((h, j) => cellText(h) ?? `column_${j + 1}`);
  const duplicates = duplicateNames(header);
  if (duplicates.length) return { columns: header, rows: 0, duplicates };
  const body = data.slice(1).map((row) => header.map((_, j) => cellText(row[j])));
  return { columns: header, rows: await appendRows(db, table, header, body), duplicates };
}
