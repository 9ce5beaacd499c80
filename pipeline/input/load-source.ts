/**
 * Reads one input file, in whatever format it comes, into a DuckDB table of text columns in file
 * order (delimited text, when asked lazily, as a view that reads the file when queried). A record's row is rowid + rowOffset: for delimited text and spreadsheets the row as the user
 * sees it (header = row 1); for Parquet, JSON and SPSS files the record's number (first record = 1).
 * Columns the config drops are removed before anything else sees them.
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { InputFormat } from "../config/types.ts";
import type { InputSource } from "../config/study.ts";
import { type Db, queryRows, sqlIdent, sqlString } from "../db.ts";
import { detectDelimiter, detectFormat, isUtf8 } from "./detect-format.ts";
import { readXlsx } from "./read-xlsx.ts";
import { readSav } from "./read-sav.ts";

export interface LoadedFile {
  format: InputFormat;
  /** How the file was read, as recorded in the ingest artifact (delimiter, encoding, sheet). */
  read_as: Record<string, string>;
  /** The file's columns after dropping, in file order. */
  columns: string[];
  /** Dropped columns that were present. */
  dropped: string[];
  /** Records in the file; null when it was attached lazily (counted later, as it is read). */
  rows: number | null;
  /** What a row number counts: spreadsheet rows (header = 1) or records (first = 1). */
  row_unit: "row" | "record";
  /** Added to a record's rowid to give its row number. */
  rowOffset: number;
}

const HEAD_BYTES = 64 * 1024;

/** The first bytes of a file, for format, delimiter and encoding detection. */
function readHead(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    return buf.subarray(0, readSync(fd, buf, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Loads `source` into `table`. Throws (with DuckDB's or the reader's message) when the file cannot
 * be parsed; ingest turns that into a problem naming the file.
 * @param labelled columns whose SPSS value labels replace their codes
 * @param lazy attach delimited text as a view that reads the file when queried, rather than copying
 *   every column into a table (a query then reads it in file order, so rowid is still the record's
 *   position); parse errors then surface when the view is first read
 */
export async function loadSource(db: Db, source: InputSource, table: string, drop: string[], labelled: Set<string>, lazy = false): Promise<LoadedFile> {
  const head = readHead(source.path);
  const format = source.format ?? detectFormat(source.path, head);
  const read_as: Record<string, string> = {};
  const path = sqlString(source.path);
  let rowUnit: "row" | "record" = "record";
  if (format === "csv" || format === "tsv") {
    const delimiter = source.delimiter ?? (format === "tsv" ? "\t" : detectDelimiter(head.toString("latin1")));
    const encoding = source.encoding ?? (isUtf8(head.subarray(0, lastCompleteChar(head))) ? "utf-8" : "latin-1");
    Object.assign(read_as, { delimiter: delimiter === "\t" ? "tab" : delimiter, encoding });
    const reader = `read_csv(${path}, header = true, all_varchar = true, delim = ${sqlString(delimiter)}, quote = '"', escape = '"', encoding = ${sqlString(encoding)}, auto_detect = true, null_padding = true)`;
    if (lazy) {
      const all = (await queryRows<{ column_name: string }>(db, `SELECT column_name FROM (DESCRIBE SELECT * FROM ${reader})`)).map((r) => r.column_name);
      const dropped = all.filter((c) => drop.includes(c));
      await db.run(`CREATE OR REPLACE VIEW ${table} AS SELECT * ${dropped.length ? `EXCLUDE (${dropped.map(sqlIdent).join(", ")})` : ""} FROM ${reader}`);
      return { format, read_as, columns: all.filter((c) => !drop.includes(c)), dropped, rows: null, row_unit: "row", rowOffset: 2 };
    }
    await db.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${reader}`);
    rowUnit = "row";
  } else if (format === "parquet") {
    await asText(db, table, `read_parquet(${path})`);
  } else if (format === "json" || format === "ndjson") {
    await asText(db, table, `read_json(${path}, format = ${sqlString(format === "json" ? "array" : "newline_delimited")}, records = true, sample_size = -1)`);
  } else if (format === "xlsx") {
    if (source.sheet !== null) read_as.sheet = source.sheet;
    await readXlsx(db, source.path, source.sheet, table);
    rowUnit = "row";
  } else {
    await readSav(db, source.path, labelled, table);
  }
  const all = (await queryRows<{ column_name: string }>(db, `SELECT column_name FROM (DESCRIBE ${table})`)).map((r) => r.column_name);
  const dropped = all.filter((c) => drop.includes(c));
  for (const c of dropped) await db.run(`ALTER TABLE ${table} DROP COLUMN ${sqlIdent(c)}`);
  const [{ n }] = (await queryRows<{ n: number }>(db, `SELECT count(*)::INTEGER AS n FROM ${table}`)) as [{ n: number }];
  return { format, read_as, columns: all.filter((c) => !drop.includes(c)), dropped, rows: n, row_unit: rowUnit, rowOffset: rowUnit === "row" ? 2 : 1 };
}

/** A typed source (Parquet, JSON) as text columns: dates as YYYY-MM-DD, timestamps at midnight as dates. */
async function asText(db: Db, table: string, from: string): Promise<void> {
  const cols = await queryRows<{ column_name: string; column_type: string }>(db, `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${from})`);
  const text = cols.map(({ column_name: c, column_type: t }) => {
    const id = sqlIdent(c);
    if (t.startsWith("TIMESTAMP")) return `CASE WHEN ${id}::TIME = TIME '00:00:00' THEN strftime(${id}, '%Y-%m-%d') ELSE strftime(${id}, '%Y-%m-%d %H:%M:%S') END AS ${id}`;
    return `${id}::VARCHAR AS ${id}`;
  });
  await db.run(`CREATE OR REPLACE TABLE ${table} AS SELECT ${text.join(", ")} FROM ${from}`);
}

/** Length of the head without a multi-byte character cut off at its end. */
function lastCompleteChar(head: Buffer): number {
  let end = head.length;
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = head[end - k]!;
    if ((b & 0xc0) === 0xc0) return end - k; // a lead byte whose continuation may be missing
    if ((b & 0x80) === 0) break;
  }
  return end;
}
