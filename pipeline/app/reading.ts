/**
 * How the app shows a file before anything is guessed from it: the reading (format, delimiter,
 * encoding) the pipeline would use, the decimal mark and date order its values suggest, and its first
 * rows typed exactly as the pipeline types cells (phases/read/cells.ts), so that a wrong choice shows
 * at once as cells that do not read. Also the rows around a finding, and a column's distinct values.
 */
import { basename } from "node:path";
import type { InputSource, Study } from "../config/study.ts";
import type { InputFormat } from "../config/types.ts";
import { closeDb, openDb, queryRows, sqlIdent, type Db } from "../db.ts";
import { loadSource } from "../phases/read/load-source.ts";
import { dateSql, numberSql, textSql } from "../phases/read/cells.ts";
import { DEFAULTS } from "../config/defaults.ts";
import { fail, ok, type Problem, type Result } from "../problem.ts";
import { problem } from "../messages.ts";

/** How one file is read: what the user confirms in the app's second step. */
export interface FileReading {
  format: InputFormat;
  /** Delimited text only: the delimiter and the encoding. */
  delimiter: string | null;
  encoding: "utf-8" | "latin-1" | null;
}

/** How values are written, for all files (the config's `values`). */
export interface ValueReading {
  decimal_mark: "." | ",";
  date_format: "iso" | "us" | "day_first";
}

/** A cell of the preview: its text, what the pipeline makes of it, and whether that worked. */
export interface PreviewCell {
  text: string | null;
  value: string | number | null;
  ok: boolean;
}

export interface Preview {
  reading: FileReading;
  columns: { name: string; kind: "date" | "number" | "text" }[];
  /** Row numbers as findings name them (header = row 1 for delimited text and spreadsheets). */
  rows: { row: number; cells: PreviewCell[] }[];
  /** The file as a whole could not be read so (e.g. a wrong delimiter makes ragged rows). */
  problems: Problem[];
}

const DETECT = { format: null, sheet: null, delimiter: null, encoding: null } as const;
const PREVIEW_ROWS = 12;

const source = (path: string, r?: Partial<FileReading>): InputSource => ({
  ...DETECT,
  path,
  format: r?.format ?? null,
  delimiter: r?.delimiter ?? null,
  encoding: r?.encoding ?? null,
});

const studyValues = (v: ValueReading): Study["values"] => ({
  missing: [...DEFAULTS.values.missing],
  dateFormat: v.date_format,
  excelSerialDates: false,
  decimalMark: v.decimal_mark,
});

/** Runs `work` on a fresh in-memory database with the file loaded (lazily for text) as table `t`. */
async function withFile<T>(
  path: string,
  reading: Partial<FileReading> | undefined,
  work: (db: Db, row: string, columns: string[], read: FileReading) => Promise<T>,
  lazy = true,
): Promise<Result<T>> {
  const unparseable = (e: unknown): Result<T> =>
    fail(
      problem(
        "E_FILE_UNPARSEABLE",
        { format: reading?.format ?? null, detail: (e as Error).message },
        { file: basename(path) },
      ),
    );
  const db = await openDb();
  try {
    let loaded;
    try {
      loaded = await loadSource(db, source(path, reading), "t", [], new Set(), lazy);
    } catch (e) {
      return unparseable(e);
    }
    if (!loaded.ok) return loaded;
    const f = loaded.value;
    const read: FileReading = {
      format: f.format,
      delimiter: f.read_as.delimiter === "tab" ? "\t" : (f.read_as.delimiter ?? null),
      encoding: (f.read_as.encoding as FileReading["encoding"]) ?? null,
    };
    // A lazily attached text file has no rowid: its records are numbered in file order (header = row 1).
    return ok(await work(db, f.rows === null ? "(row_number() OVER () + 1)" : f.row, f.columns, read));
  } catch (e) {
    // A wrong delimiter or encoding surfaces when the lazily attached file is first read.
    return unparseable(e);
  } finally {
    closeDb(db);
  }
}

/**
 * What the pipeline would detect for a file, and the decimal mark and date order its values suggest
 * (null when they leave it open: no slashed date with a part above 12).
 * @example await detectReading("data/demo/sessions.csv") // => { ok: true, value: { reading: { format: "csv", delimiter: ",", encoding: "utf-8" }, values: { decimal_mark: ".", date_format: "iso" } } }
 */
export async function detectReading(
  path: string,
): Promise<Result<{ reading: FileReading; columns: string[]; rows: number; values: Partial<ValueReading> }>> {
  return withFile(path, undefined, async (db, _row, columns, reading) => {
    const cells = columns.map((c) => `trim(${sqlIdent(c)}::VARCHAR)`);
    const any = (pattern: string) =>
      cells.map((c) => `count(*) FILTER (WHERE regexp_full_match(${c}, '${pattern}'))`).join(" + ") || "0";
    const [r] = await queryRows<Record<string, number | bigint>>(
      db,
      `SELECT count(*) AS n, ${any("-?\\d+,\\d+")} AS comma, ${any("-?\\d+\\.\\d+")} AS point,
              ${any("(1[3-9]|2\\d|3[01])[/.-](0?\\d|1[0-2])[/.-]\\d{4}")} AS day_first,
              ${any("(0?\\d|1[0-2])[/.-](1[3-9]|2\\d|3[01])[/.-]\\d{4}")} AS month_first,
              ${any("\\d{4}-\\d{2}-\\d{2}.*")} AS iso
       FROM t`,
    );
    const n = (k: string) => Number(r![k] ?? 0);
    const values: Partial<ValueReading> = {};
    // A comma between digits is a decimal comma only where the file's delimiter is not the comma.
    if (n("comma") > n("point") && reading.delimiter !== ",") values.decimal_mark = ",";
    else if (n("point") > 0) values.decimal_mark = ".";
    if (n("day_first") > 0 && n("month_first") === 0) values.date_format = "day_first";
    else if (n("month_first") > 0 && n("day_first") === 0) values.date_format = "us";
    else if (n("iso") > 0 && n("day_first") + n("month_first") === 0) values.date_format = "iso";
    return { reading, columns, rows: n("n"), values };
  });
}

/** Combines the values read from several files: a choice any file makes, unless they disagree. */
export function combineValues(found: Partial<ValueReading>[]): ValueReading {
  const pick = <K extends keyof ValueReading>(k: K, fallback: ValueReading[K]): ValueReading[K] => {
    const seen = [
      ...new Set(
        found.map((f) => f[k]).filter((v): v is ValueReading[K] => v !== undefined && v !== "iso" && v !== "."),
      ),
    ];
    return seen.length === 1 ? seen[0]! : fallback;
  };
  return { decimal_mark: pick("decimal_mark", "."), date_format: pick("date_format", "iso") };
}

/** A column's kind from its first cells: what most of its non-empty cells look like. */
function kindOf(texts: (string | null)[]): "date" | "number" | "text" {
  const filled = texts.filter(
    (t): t is string =>
      t !== null && t.trim() !== "" && !(DEFAULTS.values.missing as readonly string[]).includes(t.trim()),
  );
  if (!filled.length) return "text";
  const share = (re: RegExp) => filled.filter((t) => re.test(t.trim())).length / filled.length;
  if (share(/^(\d{4}-\d{2}-\d{2}.*|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})$/) >= 0.5) return "date";
  if (share(/^-?\d+([.,]\d+)?$/) >= 0.5) return "number";
  return "text";
}

/**
 * The file's first rows, read as `reading` says and typed under `values` by the pipeline's own cell
 * rules: a cell that the pipeline would not read as its column's kind has ok = false.
 * @example (await previewFile(path, { format: "csv", delimiter: ";", encoding: "utf-8" }, { decimal_mark: ",", date_format: "day_first" })).value.rows[0].cells[3] // => { text: "16/04/2024", value: "2024-04-16", ok: true }
 */
export async function previewFile(
  path: string,
  reading: Partial<FileReading>,
  values: ValueReading,
): Promise<Result<Preview>> {
  const rules = studyValues(values);
  return withFile(path, reading, async (db, row, columns, read) => {
    const raw = await queryRows<Record<string, unknown>>(
      db,
      `SELECT ${row}::INTEGER AS __row, * FROM t LIMIT ${PREVIEW_ROWS}`,
    );
    const kinds = columns.map((c) =>
      kindOf(raw.map((r) => (r[c] === null || r[c] === undefined ? null : String(r[c])))),
    );
    const typedCols = columns.map((c, j) => {
      const text = textSql(`${sqlIdent(c)}::VARCHAR`, rules);
      const kind = kinds[j]!;
      const typed =
        kind === "date"
          ? `strftime(${dateSql(`(${text})`, rules)}, '%Y-%m-%d')`
          : kind === "number"
            ? numberSql(`(${text})`, rules)
            : text;
      return `${typed} AS ${sqlIdent(`v${j}`)}, (${text}) IS NULL AS ${sqlIdent(`e${j}`)}`;
    });
    const typed = columns.length
      ? await queryRows<Record<string, unknown>>(db, `SELECT ${typedCols.join(", ")} FROM t LIMIT ${PREVIEW_ROWS}`)
      : [];
    const rows = raw.map((r, i) => ({
      row: Number(r.__row),
      cells: columns.map((c, j) => {
        const value = typed[i]?.[`v${j}`];
        const empty = typed[i]?.[`e${j}`] === true;
        const text = r[c] === null || r[c] === undefined ? null : String(r[c]);
        // With a decimal comma the CSV reader refuses a point ("7.4"), though the text rule would take it.
        const wrongMark = kinds[j] === "number" && values.decimal_mark === "," && text !== null && /\d\.\d/.test(text);
        return {
          text,
          value: value === null || value === undefined ? null : (value as string | number),
          ok: empty || (value !== null && value !== undefined && !wrongMark),
        };
      }),
    }));
    return { reading: read, columns: columns.map((name, j) => ({ name, kind: kinds[j]! })), rows, problems: [] };
  });
}

/**
 * The rows `from`…`to` of a file (numbered as findings number them), each cell as text.
 * @example (await fileRows(path, reading, 4, 6)).value.rows.map((r) => r.row) // => [4, 5, 6]
 */
export async function fileRows(
  path: string,
  reading: Partial<FileReading>,
  from: number,
  to: number,
): Promise<Result<{ columns: string[]; rows: { row: number; cells: (string | null)[] }[] }>> {
  return withFile(
    path,
    reading,
    async (db, row, columns) => {
      const found = await queryRows<Record<string, unknown>>(
        db,
        `SELECT * FROM (SELECT ${row}::INTEGER AS __row, * FROM t) WHERE __row BETWEEN ${Math.trunc(from)} AND ${Math.trunc(to)} ORDER BY __row`,
      );
      return {
        columns,
        rows: found.map((r) => ({
          row: Number(r.__row),
          cells: columns.map((c) => (r[c] === null || r[c] === undefined ? null : String(r[c]))),
        })),
      };
    },
    false,
  ); // read whole, so that rows after a rejected one keep the numbers findings give them
}

/**
 * A column's most frequent values (trimmed, empty cells left out) with their counts: the discharge
 * reasons the user sorts into dropout, completed and other.
 */
export async function columnValues(
  path: string,
  reading: Partial<FileReading>,
  column: string,
  limit = 40,
): Promise<Result<{ value: string; n: number }[]>> {
  return withFile(path, reading, async (db, _row, columns) => {
    if (!columns.includes(column)) return [];
    const c = `trim(${sqlIdent(column)}::VARCHAR)`;
    const found = await queryRows<{ value: string; n: number }>(
      db,
      `SELECT ${c} AS value, count(*)::INTEGER AS n FROM t WHERE ${c} <> '' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${Math.trunc(limit)}`,
    );
    return found;
  });
}
