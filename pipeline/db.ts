/** The embedded DuckDB connection that ingest, validate and derive share for one run. */
import { DuckDBInstance, type DuckDBConnection, type DuckDBVector } from "@duckdb/node-api";

export type Db = DuckDBConnection;

const instances = new WeakMap<Db, DuckDBInstance>();

/** An in-memory database; nothing is written to disk and nothing leaves the process. */
export async function openDb(): Promise<Db> {
  const instance = await DuckDBInstance.create(":memory:", { preserve_insertion_order: "true" });
  const db = await instance.connect();
  instances.set(db, instance);
  return db;
}

/**
 * Another connection to the same database, for a query to run while the first connection is busy
 * (e.g. writing an artifact while derived columns are read). Close it with closeSync() when done.
 */
export async function secondConnection(db: Db): Promise<Db> {
  const instance = instances.get(db);
  if (!instance) throw new Error("secondConnection: the connection was not opened by openDb");
  return instance.connect();
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
 * Columns of a table, by name, in the table's row order: read column by column, which is many times
 * faster than row objects for large results. Text columns named in `labels` have few distinct values
 * (sites, dates, reasons); they are read through a dictionary (a DuckDB ENUM), since decoding text
 * cell by cell is what makes large reads slow.
 * @example await queryColumns(db, "t", ["a", "b"], ["b"]) // => { a: [1], b: ["x"] }
 */
export async function queryColumns(db: Db, table: string, columns: string[], labels: string[] = []): Promise<Record<string, unknown[]>> {
  const select: string[] = [];
  for (const column of columns) {
    const i = labels.indexOf(column);
    if (i < 0) {
      select.push(sqlIdent(column));
      continue;
    }
    // A column with no values gets an empty ENUM, which reads back as nulls.
    await db.run(`CREATE OR REPLACE TYPE query_labels_${i} AS ENUM (SELECT DISTINCT ${sqlIdent(column)} FROM ${table} WHERE ${sqlIdent(column)} IS NOT NULL ORDER BY 1)`);
    select.push(`${sqlIdent(column)}::query_labels_${i} AS ${sqlIdent(column)}`);
  }
  // Without ORDER BY a table is read in insertion order (the database keeps it: preserve_insertion_order).
  const result = await db.run(`SELECT ${select.join(", ")} FROM ${table}`);
  const out: unknown[][] = columns.map(() => []);
  for (const chunk of await result.fetchAllChunks()) {
    for (const [c, column] of out.entries()) readVector(chunk.getColumnVector(c), column);
  }
  for (const [i] of labels.entries()) await db.run(`DROP TYPE IF EXISTS query_labels_${i}`);
  return Object.fromEntries(columns.map((name, i) => [name, out[i]!]));
}

/** What a numeric or ENUM vector of @duckdb/node-api holds (fields it does not declare public). */
interface VectorInternals {
  items?: unknown;
  validity?: { data: BigUint64Array | null; offset: number };
  enumType?: { values: string[] };
}

/**
 * Appends a vector's values to `out`. Numbers and ENUM codes are read from the vector's typed array
 * and its validity mask directly: the client's getItem tests validity through BigInt arithmetic per
 * cell, which dominated reading a million episodes. Other types (text, booleans) go through getItem.
 */
function readVector(vector: DuckDBVector, out: unknown[]): void {
  const v = vector as unknown as VectorInternals;
  const n = vector.itemCount;
  const fast = (v.items instanceof Float64Array || v.items instanceof Int32Array || v.items instanceof Int16Array || v.items instanceof Uint8Array || v.items instanceof Uint16Array || v.items instanceof Uint32Array || v.items instanceof Int8Array) && v.validity?.offset === 0;
  if (!fast) {
    for (let i = 0; i < n; i++) out.push(vector.getItem(i));
    return;
  }
  const items = v.items as ArrayLike<number>;
  const mask = v.validity!.data;
  const bits = mask ? new Uint8Array(mask.buffer, mask.byteOffset, mask.byteLength) : null;
  const labels = v.enumType?.values;
  for (let i = 0; i < n; i++) {
    if (bits && !(bits[i >> 3]! & (1 << (i & 7)))) out.push(null);
    else out.push(labels ? labels[items[i]!] : items[i]);
  }
}
