/** The embedded DuckDB connection that read, validate and derive share for one run. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection, type DuckDBVector } from "@duckdb/node-api";
import { forgetLeftover, ownPrefix, TEMP_PREFIXES, trackLeftover } from "./leftovers.ts";

export type Db = DuckDBConnection;

const instances = new WeakMap<Db, { instance: DuckDBInstance; spill: string }>();

/**
 * An in-memory database; nothing leaves the process. Should a study need more memory than DuckDB may
 * take (80% of the machine's), DuckDB moves data it is not using to disk: to a folder of its own in
 * the system's temporary folder, readable by this user only, which closeDb removes, as does a run
 * that stops early, or the next run when this one was killed outright (leftovers.ts). Left to itself, DuckDB would write it to ".tmp" in the current
 * directory, which may be a shared drive. The allocator's background thread hands the memory of
 * dropped tables back to the system while the run goes on: on ten million sessions it lowered the
 * peak by about half a gigabyte, at no cost in time. Close it with closeDb.
 */
export async function openDb(options: { progress?: boolean } = {}): Promise<Db> {
  const spill = mkdtempSync(join(tmpdir(), ownPrefix(TEMP_PREFIXES.spill)));
  trackLeftover(spill);
  try {
    const instance = await DuckDBInstance.create(":memory:", {
      preserve_insertion_order: "true",
      allocator_background_threads: "true",
      temp_directory: spill,
    });
    const db = await instance.connect();
    // Query progress (rows read so far) for the live line on a terminal, never printed by DuckDB itself.
    if (options.progress)
      await db.run("SET enable_progress_bar = true; SET enable_progress_bar_print = false; SET progress_bar_time = 0");
    instances.set(db, { instance, spill });
    return db;
  } catch (e) {
    rmSync(spill, { recursive: true, force: true });
    forgetLeftover(spill);
    throw e;
  }
}

/** Closes a database that openDb opened, and removes its folder for data moved out of memory. Closing it again does nothing. */
export function closeDb(db: Db): void {
  const opened = instances.get(db);
  if (!opened) return;
  db.closeSync();
  opened.instance.closeSync();
  rmSync(opened.spill, { recursive: true, force: true });
  forgetLeftover(opened.spill);
  instances.delete(db);
}

/**
 * Another connection to the same database, for a query to run while the first connection is busy
 * (e.g. writing an artifact while derived columns are read). Close it with closeSync() when done.
 */
export async function secondConnection(db: Db): Promise<Db> {
  const opened = instances.get(db);
  if (!opened) throw new Error("secondConnection: the connection was not opened by openDb");
  return opened.instance.connect();
}

/** Rows of a query as plain objects. */
export async function queryRows<T = Record<string, unknown>>(db: Db, sql: string): Promise<T[]> {
  const reader = await db.runAndReadAll(sql);
  return reader.getRowObjectsJS() as T[];
}

/** A SQL string literal. @example sqlString("it's") // => "'it''s'" */
export const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** A quoted SQL identifier. @example sqlIdent('a"b') // => '"a""b"' */
export const sqlIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/**
 * Columns of a table, by name, in the table's row order, as plain arrays of values: read column by
 * column, which is many times faster than row objects for large results. For numbers, labels and
 * dates of many rows, queryTyped reads typed arrays and codes without a value per cell.
 * @example await queryColumns(db, "t", ["a", "b"]) // => { a: [1], b: ["x"] }
 */
export async function queryColumns(db: Db, table: string, columns: string[]): Promise<Record<string, unknown[]>> {
  const select = columns.map(sqlIdent);
  // Without ORDER BY a table is read in insertion order (the database keeps it: preserve_insertion_order).
  const result = await db.run(`SELECT ${select.join(", ")} FROM ${table}`);
  const chunks = await result.fetchAllChunks();
  const total = chunks.reduce((n, chunk) => n + chunk.rowCount, 0);
  // Written by index into arrays of the final length: pushing cell by cell was most of the read.
  const out: unknown[][] = columns.map(() => new Array<unknown>(total));
  let at = 0;
  for (const chunk of chunks) {
    for (const [c, column] of out.entries()) readVector(chunk.getColumnVector(c), column, at);
    at += chunk.rowCount;
  }
  return Object.fromEntries(columns.map((name, i) => [name, out[i]!]));
}

/** A text column with few distinct values: each row's code into `values`, −1 for null. */
export interface LabelColumn {
  codes: Int32Array;
  values: string[];
}

/**
 * How queryTyped reads each column: a number (DOUBLE, INTEGER, …) into a Float64Array with NaN for
 * null; a flag (BOOLEAN) into a Uint8Array of 0 and 1 (null as 0); a label (text) or a date (DATE, or
 * text written YYYY-MM-DD) into a LabelColumn, a date's values written YYYY-MM-DD.
 */
export type TypedKind = "number" | "flag" | "label" | "date";

/** A day number no DATE has (DuckDB's dates lie strictly between ±2^31 days): a null date as read. */
const NO_DAY = -(2 ** 31);

/** The array queryTyped reads each kind into, and what a null becomes there. */
const READ_INTO = {
  number: { array: Float64Array, nullAs: NaN },
  flag: { array: Uint8Array, nullAs: 0 },
  label: { array: Int32Array, nullAs: -1 },
  date: { array: Int32Array, nullAs: NO_DAY },
} as const;
export type TypedColumn = Float64Array | Uint8Array | LabelColumn;

/**
 * Columns of a table as typed arrays, in the table's row order: no cell becomes a JavaScript value
 * of its own, so a million rows make no garbage (queryColumns gives plain arrays of values).
 * @example await queryTyped(db, "t", { x: "number", site: "label" }) // => { x: Float64Array [2.5, NaN], site: { codes: Int32Array [0, 0], values: ["North"] } }
 */
export async function queryTyped(
  db: Db,
  table: string,
  kinds: Record<string, TypedKind>,
): Promise<Record<string, TypedColumn>> {
  const names = Object.keys(kinds);
  const dictionaries = new Map<string, string[]>();
  const select: string[] = [];
  for (const [i, name] of names.entries()) {
    const col = sqlIdent(name);
    const kind = kinds[name]!;
    // Numbers as DOUBLE; flags, codes and day numbers in as few bytes as hold them (what is copied
    // out of DuckDB is most of the read: about 20 ms per DOUBLE column of a million rows).
    if (kind === "number") select.push(`${col}::DOUBLE`);
    else if (kind === "flag") select.push(`${col}::UTINYINT`);
    else if (kind === "date") select.push(`(${col}::DATE - DATE '1970-01-01')::INTEGER`);
    else {
      // A column with no values gets an empty ENUM, which reads back as nulls. The codes are read as
      // numbers: read as an ENUM, the client rebuilt the list of values for every chunk of 2,048 rows,
      // which at 50,000 therapists took most of a minute.
      await db.run(
        `CREATE OR REPLACE TYPE query_typed_${i} AS ENUM (SELECT DISTINCT ${col} FROM ${table} WHERE ${col} IS NOT NULL ORDER BY 1)`,
      );
      const [row] = await queryRows<{ v: string[] | null }>(db, `SELECT enum_range(NULL::query_typed_${i}) AS v`);
      dictionaries.set(name, row?.v ?? []);
      select.push(`enum_code(${col}::query_typed_${i})::INTEGER`);
    }
  }
  const result = await db.run(`SELECT ${select.join(", ")} FROM ${table}`);
  for (const [i, name] of names.entries())
    if (kinds[name] === "label") await db.run(`DROP TYPE IF EXISTS query_typed_${i}`);
  // The result is held whole: its chunks are taken in order, without an await per chunk.
  const total = result.rowCount;
  const read = names.map((name) => new READ_INTO[kinds[name]!].array(total));
  let at = 0;
  for (let k = 0; k < result.chunkCount; k++) {
    const chunk = result.getChunk(k);
    for (const [c, column] of read.entries())
      readValues(chunk.getColumnVector(c), column, at, READ_INTO[kinds[names[c]!]!].nullAs);
    at += chunk.rowCount;
  }
  return Object.fromEntries(
    names.map((name, c): [string, TypedColumn] => {
      const column = read[c]!;
      const kind = kinds[name]!;
      if (kind === "number" || kind === "flag") return [name, column as Float64Array | Uint8Array];
      if (kind === "label") return [name, { codes: column as Int32Array, values: dictionaries.get(name)! }];
      return [name, dayLabels(column as Int32Array)];
    }),
  );
}

/**
 * Day numbers (days since 1970-01-01, NO_DAY for null) as a LabelColumn of YYYY-MM-DD text, days
 * numbered in order of first appearance; a study has a few hundred distinct dates, so each is
 * formatted once. Ignoring the time zone is right: a DATE has none.
 */
function dayLabels(days: Int32Array): LabelColumn {
  const index = new Map<number, number>();
  const values: string[] = [];
  const codes = new Int32Array(days.length);
  for (let i = 0; i < days.length; i++) {
    const day = days[i]!;
    if (day === NO_DAY) {
      codes[i] = -1;
      continue;
    }
    let k = index.get(day);
    if (k === undefined) {
      index.set(day, (k = values.length));
      values.push(new Date(day * 86_400_000).toISOString().slice(0, 10));
    }
    codes[i] = k;
  }
  return { codes, values };
}

/**
 * Writes a vector's values into `out` from index `at`, `nullAs` where null: a DOUBLE vector into a
 * Float64Array, an INTEGER one into an Int32Array, a UTINYINT one into a Uint8Array (through getItem
 * when the vector's internals differ).
 */
function readValues(
  vector: DuckDBVector,
  out: Float64Array | Int32Array | Uint8Array,
  at: number,
  nullAs: number,
): void {
  const v = vector as unknown as VectorInternals;
  const n = vector.itemCount;
  if (!(v.items instanceof out.constructor) || v.validity?.offset !== 0) {
    for (let i = 0; i < n; i++) out[at + i] = (vector.getItem(i) as number | null) ?? nullAs;
    return;
  }
  out.set((v.items as typeof out).subarray(0, n), at);
  const mask = v.validity.data;
  if (!mask) return;
  // Then `nullAs` where the validity mask says null, a byte (8 rows) at a time: most bytes are all valid.
  const bits = new Uint8Array(mask.buffer, mask.byteOffset, mask.byteLength);
  for (let byte = 0; byte << 3 < n; byte++) {
    const b = bits[byte]!;
    if (b === 0xff) continue;
    for (let j = 0, i = byte << 3; j < 8 && i < n; j++, i++) if (!(b & (1 << j))) out[at + i] = nullAs;
  }
}

/** What a numeric or ENUM vector of @duckdb/node-api holds (fields it does not declare public). */
interface VectorInternals {
  items?: unknown;
  validity?: { data: BigUint64Array | null; offset: number };
  enumType?: { values: string[] };
}

/**
 * Writes a vector's values into `out` from index `at`. Numbers and ENUM codes are read from the
 * vector's typed array and its validity mask directly: the client's getItem tests validity through
 * BigInt arithmetic per cell, which dominated reading a million episodes. Other types (text,
 * booleans) go through getItem.
 */
function readVector(vector: DuckDBVector, out: unknown[], at: number): void {
  const v = vector as unknown as VectorInternals;
  const n = vector.itemCount;
  const fast =
    (v.items instanceof Float64Array ||
      v.items instanceof Int32Array ||
      v.items instanceof Int16Array ||
      v.items instanceof Uint8Array ||
      v.items instanceof Uint16Array ||
      v.items instanceof Uint32Array ||
      v.items instanceof Int8Array) &&
    v.validity?.offset === 0;
  if (!fast) {
    for (let i = 0; i < n; i++) out[at + i] = vector.getItem(i);
    return;
  }
  // One array type for the loop below (a native copy): indexing several kinds of typed array from one
  // loop made every access slow.
  const items = v.items instanceof Float64Array ? v.items : new Float64Array(v.items as ArrayLike<number>);
  const mask = v.validity!.data;
  const bits = mask ? new Uint8Array(mask.buffer, mask.byteOffset, mask.byteLength) : null;
  const labels = v.enumType?.values;
  if (labels)
    for (let i = 0; i < n; i++) out[at + i] = bits && !(bits[i >> 3]! & (1 << (i & 7))) ? null : labels[items[i]!];
  else for (let i = 0; i < n; i++) out[at + i] = bits && !(bits[i >> 3]! & (1 << (i & 7))) ? null : items[i];
}
