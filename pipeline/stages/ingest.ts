/**
 * Stage 1, ingest: reads the episodes and sessions CSV files into DuckDB as text, keeping
 * each record's row in its file, and renames the user's columns to the canonical fields
 * (alliance subscales and other raters' scores become `subscale_<name>` and `rater_<perspective>`).
 * Every value stays text here so that validate can name the exact cell that is wrong.
 * Artifact: internal/01-ingest.json (files, SHA-256, rows, columns).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Study } from "../config/study.ts";
import { type Db, queryRows, sqlIdent, sqlString } from "../db.ts";
import { fail, ok, type Problem, type Result } from "../problem.ts";
import { messages } from "../messages.ts";

export type TableRole = "episodes" | "sessions";

export interface IngestedFile {
  role: TableRole;
  path: string;
  sha256: string;
  rows: number;
  columns: string[];
}

export interface IngestOutput {
  files: IngestedFile[];
}

/** Canonical table names created by ingest: one text column per canonical field plus src_row. */
export const RAW_TABLE: Record<TableRole, string> = { episodes: "raw_episodes", sessions: "raw_sessions" };

export async function ingest(db: Db, study: Study): Promise<Result<IngestOutput>> {
  const files: IngestedFile[] = [];
  const problems: Problem[] = [];
  for (const role of ["episodes", "sessions"] as const) {
    const result = await ingestOne(db, study, role);
    if (result.ok) files.push(result.value);
    else problems.push(...result.problems);
  }
  return problems.length ? fail(...problems) : ok({ files });
}

async function ingestOne(db: Db, study: Study, role: TableRole): Promise<Result<IngestedFile>> {
  const path = study.files[role];
  const file = basename(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return fail(messages.fileUnreadable(path, role, (e as NodeJS.ErrnoException).code ?? String(e)));
  }
  const table = `${RAW_TABLE[role]}_file`;
  try {
    await db.run(
      `CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv(${sqlString(path)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', auto_detect = true)`,
    );
  } catch (e) {
    return fail(messages.csvUnparseable(file, (e as Error).message));
  }
  const columns = (await queryRows<{ column_name: string }>(db, `SELECT column_name FROM (DESCRIBE ${table})`)).map((r) => r.column_name);
  const mapping = columnMapping(study, role);
  const missing = Object.entries(mapping).filter(([, col]) => !columns.includes(col));
  if (missing.length) return fail(...missing.map(([field, col]) => messages.columnMissing(file, field, col, columns)));
  // rowid follows file order (preserve_insertion_order); +2 turns it into the spreadsheet row (header = row 1).
  const select = Object.entries(mapping).map(([field, col]) => `NULLIF(TRIM(${sqlIdent(col)}), '') AS ${field}`);
  await db.run(`CREATE OR REPLACE TABLE ${RAW_TABLE[role]} AS SELECT rowid + 2 AS src_row, ${select.join(", ")} FROM ${table}`);
  await db.run(`DROP TABLE ${table}`);
  const [{ n }] = (await queryRows<{ n: number }>(db, `SELECT count(*)::INTEGER AS n FROM ${RAW_TABLE[role]}`)) as [{ n: number }];
  return ok({ role, path, sha256: createHash("sha256").update(bytes).digest("hex"), rows: n, columns });
}

/** Canonical field → the user's column, for one file; the tier column joins the episodes when tiers come from the data. */
export function columnMapping(study: Study, role: TableRole): Record<string, string> {
  const base = study.columns[role] as unknown as Record<string, string>;
  if (role === "sessions") return { ...base, ...Object.fromEntries(study.allianceComponents.map((c) => [c.key, c.column])) };
  return study.tiers.column !== null ? { ...base, tier: study.tiers.column } : base;
}
