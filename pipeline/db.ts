/** The embedded DuckDB connection that ingest, validate and derive share for one run. */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

export type Db = DuckDBConnection;

/** An in-memory database; nothing is written to disk and nothing leaves the process. */
export async function openDb(): Promise<Db> {
  const instance = await DuckDBInstance.create(":memory:", { preserve_insertion_order: "true" });
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
