/**
 * Reads one input file, in whatever format it comes, into a DuckDB table of text columns in file
 * order (delimited text, when asked lazily, as a view that reads the file when queried). A record's row (LoadedFile.row): for delimited text and spreadsheets the row as the user
 * sees it (header = row 1); for Parquet, JSON and SPSS files the record's number (first record = 1).
 * Columns the config drops are removed before anything else sees them.
 * Delimited text is read with its columns declared from its header (csv-header.ts), so that the
 * reader checks every row against them rather than guessing the file's shape from rows that may be
 * broken; each row it cannot read (too many or too few cells, an unclosed quote, bytes that are not
 * text in the encoding) is kept in a table of rejects, and rejectedRows names each by its line.
 */
import { basename } from "node:path";
import { closeSync, openSync, readSync } from "node:fs";
import type { InputFormat } from "../../config/types.ts";
import type { InputSource } from "../../config/study.ts";
import { type Db, queryRows, sqlIdent, sqlString } from "../../db.ts";
import { detectDelimiter, detectFormat, isUtf8 } from "./detect-format.ts";
import { columnLetter, columnNames, duplicateNames, firstRecord } from "./csv-header.ts";
import { problem } from "../../messages.ts";
import { fail, ok, type Problem, type Result } from "../../problem.ts";

/** How delimited text is read typed (loadSource). */
export interface TypedRead {
  /** Column → DuckDB type (DATE, DOUBLE); columns not listed are read as text. */
  types: Record<string, string>;
  /** Codes read as missing besides the empty cell. */
  missing: string[];
  decimalMark: "." | ",";
}

export interface LoadedFile {
  format: InputFormat;
  /** How the file was read, as recorded in the read artifact (delimiter, encoding, sheet). */
  read_as: Record<string, string>;
  /** The file's columns after dropping, in file order. */
  columns: string[];
  /** Dropped columns that were present. */
  dropped: string[];
  /** Records in the file; null when it was attached lazily (counted later, as it is read). */
  rows: number | null;
  /** What a row number counts: spreadsheet rows (header = 1) or records (first = 1). */
  row_unit: "row" | "record";
  /** SQL: a record's row number in the file (from its rowid in the table loaded). */
  row: string;
  /** Rows of delimited text the reader could not read (too many or too few cells, an unclosed quote, bytes that are not text), one problem each. */
  rejected: Problem[];
  /** Delimited text: the table of rows the reader rejected (filled as the file is read; see rejectedRows). */
  rejects: string | null;
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

/** The bytes of a UTF-8 byte-order mark. */
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Loads `source` into `table`. A file with no records, or not text where text is expected, is a
 * problem naming it; a file that cannot be parsed throws (with DuckDB's or the reader's message),
 * which read turns into a problem naming the file. Rows of delimited text the reader rejects are
 * named by rejectedRows, once the file has been read.
 * @param labelled columns whose SPSS value labels replace their codes
 * @param role what the file is, for messages ("episodes", "sessions", "long", …)
 * @param lazy attach delimited text as a view that reads the file when queried, rather than copying
 *   every column into a table (a query then reads it in file order, so rowid is still the record's
 *   position); parse errors then surface when the view is first read
 * @param typed for delimited text: the DuckDB type of each column read typed (others are text), the
 *   codes read as missing, and the decimal mark; a cell that does not read as its type is a reject,
 *   named by rejectedRows
 */
/**
 * Loads delimited text (CSV, TSV) with its columns declared from its header, each row the reader
 * refuses kept in a table of rejects (see loadSource).
 */
async function loadDelimited(
  db: Db,
  source: InputSource,
  table: string,
  drop: string[],
  lazy: boolean,
  role: string,
  typed: TypedRead | undefined,
  head: Buffer,
  format: "csv" | "tsv",
): Promise<Result<LoadedFile>> {
  const file = basename(source.path);
  const path = sqlString(source.path);
  const read_as: Record<string, string> = {};
  const notText = binaryKind(head);
  if (notText) return fail(problem("E_FILE_NOT_TEXT", { what: notText }, { file }));
  const delimiter = source.delimiter ?? (format === "tsv" ? "\t" : detectDelimiter(head.toString("latin1")));
  const encoding = source.encoding ?? (isUtf8(head.subarray(0, lastCompleteChar(head))) ? "utf-8" : "latin-1");
  Object.assign(read_as, { delimiter: delimiter === "\t" ? "tab" : delimiter, encoding });
  // A UTF-8 byte-order mark before Latin-1 text (an export re-saved, or files joined) is not part of
  // the first column's name.
  const latin1 = head.subarray(0, 3).equals(UTF8_BOM) ? head.subarray(3) : head;
  const header = firstRecord(
    encoding === "utf-8" ? head.subarray(0, lastCompleteChar(head)).toString("utf8") : latin1.toString("latin1"),
    delimiter,
  );
  if (header === null) return fail(problem("E_FILE_EMPTY", { role }, { file }));
  const twice = duplicateNames(header);
  if (twice.length) return fail(...twice.map((d) => duplicateProblem(d, file)));
  const all = columnNames(header);
  const rejects = `rejects_${table}`;
  const declared = `{${all.map((c) => `${sqlString(c)}: ${sqlString(typed?.types[c] ?? "VARCHAR")}`).join(", ")}}`;
  // Typed: the empty cell and the missing codes read as NULL (text columns are trimmed and cleared of
  // the same codes by the query that reads them); decimal commas when the study declares them.
  const options = typed
    ? `, nullstr = [${["", ...typed.missing].map(sqlString).join(", ")}], decimal_separator = ${sqlString(typed.decimalMark)}`
    : "";
  const reader = `read_csv(${path}, header = true, auto_detect = false, columns = ${declared}, delim = ${sqlString(delimiter)}, quote = '"', escape = '"', encoding = ${sqlString(encoding)}${options}, store_rejects = true, rejects_table = ${sqlString(rejects)}, rejects_scan = ${sqlString(`${rejects}_scan`)})`;
  const dropped = all.filter((c) => drop.includes(c));
  const kept = `SELECT * ${dropped.length ? `EXCLUDE (${dropped.map(sqlIdent).join(", ")})` : ""} FROM ${reader}`;
  if (lazy) {
    await db.run(`CREATE OR REPLACE VIEW ${table} AS ${kept}`);
    return ok({
      format,
      read_as,
      columns: all.filter((c) => !drop.includes(c)),
      dropped,
      rows: null,
      row_unit: "row",
      row: "(rowid + 2)",
      rejects,
      rejected: [],
    });
  }
  await db.run(`CREATE OR REPLACE TABLE ${table} AS ${kept}`);
  const bad = await rejectedRows(db, rejects, file, encoding);
  const lines = await rejectedLines(db, rejects);
  await dropRejects(db, rejects);
  const [{ n }] = (await queryRows<{ n: number }>(db, `SELECT count(*)::INTEGER AS n FROM ${table}`)) as [
    { n: number },
  ];
  // Rows the reader could not read are handed on as findings, and the rows it read keep their
  // lines; a file with more of them than are listed, or with nothing else, is refused here.
  if (bad.length && (n === 0 || lines.length > MAX_REJECTS_LISTED)) return fail(...bad);
  if (n === 0) return fail(problem("E_FILE_EMPTY", { role }, { file }));
  return ok({
    format,
    read_as,
    columns: all.filter((c) => !drop.includes(c)),
    dropped,
    rows: n + lines.length,
    row_unit: "row",
    row: lineOf("rowid + 1", lines),
    rejects: null,
    rejected: bad,
  });
}

export async function loadSource(
  db: Db,
  source: InputSource,
  table: string,
  drop: string[],
  labelled: Set<string>,
  lazy = false,
  role = "data",
  typed?: TypedRead,
): Promise<Result<LoadedFile>> {
  const head = readHead(source.path);
  const file = basename(source.path);
  const format = source.format ?? detectFormat(source.path, head);
  const read_as: Record<string, string> = {};
  const path = sqlString(source.path);
  let rowUnit: "row" | "record" = "record";
  if (format === "csv" || format === "tsv")
    return loadDelimited(db, source, table, drop, lazy, role, typed, head, format);
  if (format === "parquet") {
    await asText(db, table, `read_parquet(${path})`);
  } else if (format === "json" || format === "ndjson") {
    await asText(
      db,
      table,
      `read_json(${path}, format = ${sqlString(format === "json" ? "array" : "newline_delimited")}, records = true, sample_size = -1)`,
    );
  } else if (format === "xlsx") {
    if (source.sheet !== null) read_as.sheet = source.sheet;
    // The spreadsheet and SPSS readers load only for their files: the first took 50 ms at every start.
    const { readXlsx } = await import("./read-xlsx.ts");
    const read = await readXlsx(db, source.path, source.sheet, table);
    if (read.duplicates.length) return fail(...read.duplicates.map((d) => duplicateProblem(d, file)));
    rowUnit = "row";
  } else {
    const { readSav } = await import("./read-sav.ts");
    await readSav(db, source.path, labelled, table);
  }
  const all = (await queryRows<{ column_name: string }>(db, `SELECT column_name FROM (DESCRIBE ${table})`)).map(
    (r) => r.column_name,
  );
  const dropped = all.filter((c) => drop.includes(c));
  for (const c of dropped) await db.run(`ALTER TABLE ${table} DROP COLUMN ${sqlIdent(c)}`);
  const [{ n }] = (await queryRows<{ n: number }>(db, `SELECT count(*)::INTEGER AS n FROM ${table}`)) as [
    { n: number },
  ];
  if (n === 0) return fail(problem("E_FILE_EMPTY", { role }, { file }));
  return ok({
    format,
    read_as,
    columns: all.filter((c) => !drop.includes(c)),
    dropped,
    rows: n,
    row_unit: rowUnit,
    row: `(rowid + ${rowUnit === "row" ? 2 : 1})`,
    rejects: null,
    rejected: [],
  });
}

/** Rows of rejects listed; the rest are counted in one line. */
const MAX_REJECTS_LISTED = 200;

/**
 * The rows of a delimited file that its reader rejected, one problem each, named by line (header =
 * line 1) and, where the reader knows it, column. Never quotes the line.
 */
export async function rejectedRows(db: Db, rejects: string | null, file: string, encoding: string): Promise<Problem[]> {
  if (!(await hasRejects(db, rejects))) return [];
  // A file read several times stores its rejects once per scan: each line counts once.
  const rows = await queryRows<{
    line: number;
    column_name: string | null;
    column_idx: number | null;
    error_type: string;
    error_message: string;
    n: number;
  }>(
    db,
    `SELECT line::BIGINT::DOUBLE AS line, column_name, column_idx::DOUBLE AS column_idx, error_type, error_message, count(*) OVER ()::INTEGER AS n
     FROM (SELECT DISTINCT ON (line, column_name, error_type) line, column_name, column_idx, error_type, error_message FROM ${sqlIdent(rejects!)}) ORDER BY line, column_name LIMIT ${MAX_REJECTS_LISTED}`,
  );
  const problems = rows.map((r): Problem => {
    const at = { file, row: r.line, ...(r.column_name ? { column: r.column_name } : {}) };
    const found = /Found:\s*(\d+)/i.exec(r.error_message);
    const expected = /Expected Number of Columns:\s*(\d+)/i.exec(r.error_message);
    switch (r.error_type) {
      case "TOO MANY COLUMNS":
      case "MISSING COLUMNS":
        // The first missing column by name; an extra cell by its position (past the header's last).
        return problem(
          "E_ROW_RAGGED",
          { expected: expected ? Number(expected[1]) : 0, found: found ? Number(found[1]) : null },
          {
            file,
            row: r.line,
            ...(r.column_name
              ? { column: r.column_name }
              : r.column_idx !== null
                ? { column: String(r.column_idx) }
                : {}),
          },
        );
      case "UNQUOTED VALUE":
        return problem("E_QUOTE_UNCLOSED", {}, at);
      case "INVALID ENCODING":
      case "INVALID UNICODE":
        return problem("E_ENCODING_INVALID", { encoding }, at);
      default:
        return problem("E_FILE_UNPARSEABLE", { format: "csv", detail: `${r.error_type.toLowerCase()}` }, at);
    }
  });
  const total = rows[0]?.n ?? 0;
  if (total > rows.length)
    problems.push(
      problem(
        "E_FILE_UNPARSEABLE",
        { format: "csv", detail: `and ${total - rows.length} more rows that cannot be read` },
        { file },
      ),
    );
  return problems;
}

/** The lines the reader rejected, in order. */
async function rejectedLines(db: Db, rejects: string | null): Promise<number[]> {
  if (!(await hasRejects(db, rejects))) return [];
  return (
    await queryRows<{ line: number }>(db, `SELECT DISTINCT line::DOUBLE AS line FROM ${sqlIdent(rejects!)} ORDER BY 1`)
  ).map((r) => r.line);
}

/**
 * SQL: the line of the k-th row read (k from 1), when the reader skipped some lines: k + 1 for the
 * header, plus one for each rejected line R_j (the j-th, from 1) with R_j − j ≤ k.
 * @example lineOf("rowid + 1", [5]) // => "((rowid + 1) + 1 + ((rowid + 1) >= 4)::INTEGER)"
 */
export function lineOf(k: string, rejected: number[]): string {
  const shifts = rejected.map((line, j) => ` + ((${k}) >= ${line - (j + 1)})::INTEGER`);
  return `((${k}) + 1${shifts.join("")})`;
}

/** Whether the reader rejected any row of a file read with a rejects table. */
export async function hasRejects(db: Db, rejects: string | null): Promise<boolean> {
  if (rejects === null) return false;
  const exists = await queryRows(
    db,
    `SELECT 1 FROM information_schema.tables WHERE table_name = ${sqlString(rejects)}`,
  );
  return exists.length > 0 && (await queryRows(db, `SELECT 1 FROM ${sqlIdent(rejects)} LIMIT 1`)).length > 0;
}

/** Drops a file's rejects tables (they quote its lines). */
export async function dropRejects(db: Db, rejects: string | null): Promise<void> {
  if (rejects !== null)
    await db.run(`DROP TABLE IF EXISTS ${sqlIdent(rejects)}; DROP TABLE IF EXISTS ${sqlIdent(`${rejects}_scan`)}`);
}

/**
 * What makes a file's head not text, or null: NUL bytes (a spreadsheet, an archive, or UTF-16 text).
 * @example binaryKind(Buffer.from("a,b\n1,2\n")) // => null
 */
function binaryKind(head: Buffer): string | null {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)))
    return "it is UTF-16 text; save it as UTF-8";
  return head.includes(0) ? "it holds NUL bytes, as a spreadsheet or an archive does" : null;
}

/** A typed source (Parquet, JSON) as text columns: dates as YYYY-MM-DD, timestamps at midnight as dates. */
async function asText(db: Db, table: string, from: string): Promise<void> {
  const cols = await queryRows<{ column_name: string; column_type: string }>(
    db,
    `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${from})`,
  );
  const text = cols.map(({ column_name: c, column_type: t }) => {
    const id = sqlIdent(c);
    if (t.startsWith("TIMESTAMP"))
      return `CASE WHEN ${id}::TIME = TIME '00:00:00' THEN strftime(${id}, '%Y-%m-%d') ELSE strftime(${id}, '%Y-%m-%d %H:%M:%S') END AS ${id}`;
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

/** The problem of a header naming two columns alike, each named by position and spreadsheet letter. */
function duplicateProblem(d: { name: string; positions: [number, number] }, file: string): Problem {
  const [a, b] = d.positions.map((p) => `column ${p} (${columnLetter(p)})`) as [string, string];
  return problem("E_COLUMN_DUPLICATE", { name: d.name, first: a, second: b }, { file, row: 1, column: d.name });
}
