/**
 * Stage 1, ingest: reads the input files (CSV/TSV, xlsx, SPSS, Parquet, JSON, NDJSON; see
 * pipeline/input/) into DuckDB as text, refuses to go on while any column holds a direct identifier
 * (pipeline/input/identifiers.ts), and builds the two canonical tables, raw_episodes and
 * raw_sessions, whatever the layout: episodes + sessions, one long table, or one wide table (in the
 * episodes + sessions layout they are views over the tables of mapped fields, unless asked editable).
 * Each record keeps its row in its file (src_row); missing-value codes become empty. Every value
 * stays text here so that validate can name the exact cell that is wrong.
 * Artifact: internal/01-ingest.json (files, format, SHA-256, rows, columns, dropped columns).
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type { InputFormat } from "../config/types.ts";
import type { InputSource, Study } from "../config/study.ts";
import { type Db, queryRows, sqlIdent, sqlString } from "../db.ts";
import { fail, ok, type Problem, type Result } from "../problem.ts";
import { problem } from "../messages.ts";
import { loadSource, rejectedRows, type LoadedFile } from "../input/load-source.ts";
import { findIdentifiers, identifierProblem, medianDateYear } from "../input/identifiers.ts";
import { itemField } from "../instruments/score-sql.ts";

export type TableRole = "episodes" | "sessions";

export interface IngestedFile {
  role: TableRole;
  path: string;
  sha256: string;
  rows: number;
  columns: string[];
  format: InputFormat;
  read_as: Record<string, string>;
  /** Columns dropped as the file was read (privacy.drop_columns); their values were never loaded into a table used later. */
  dropped_columns: string[];
  row_unit: "row" | "record";
}

export interface IngestOutput {
  files: IngestedFile[];
  layout: Study["layout"];
}

/** Canonical table names created by ingest: one text column per canonical field plus src_row. */
export const RAW_TABLE: Record<TableRole, string> = { episodes: "raw_episodes", sessions: "raw_sessions" };

/** The table under the raw_* view of the episodes + sessions layout: the mapped fields of each record, in file order. */
const rowsTable = (role: TableRole) => `${RAW_TABLE[role]}_rows`;

/** Drops the raw text tables and views once validation has built the typed tables from them: on large studies they hold gigabytes. */
export async function dropRawTables(db: Db): Promise<void> {
  const names = (["episodes", "sessions"] as const).flatMap((role) => [RAW_TABLE[role], rowsTable(role), srcTable(role)]);
  const present = await queryRows<{ name: string; type: string }>(db, `SELECT table_name AS name, table_type AS type FROM information_schema.tables WHERE table_name IN (${names.map(sqlString).join(", ")})`);
  // Views first: they read the tables.
  for (const { name } of present.filter((t) => t.type === "VIEW")) await db.run(`DROP VIEW ${sqlIdent(name)}`);
  for (const { name } of present.filter((t) => t.type !== "VIEW")) await db.run(`DROP TABLE ${sqlIdent(name)}`);
}

export interface IngestOptions {
  /**
   * Build raw_episodes and raw_sessions as tables that can be edited (a quarterly batch deletes the
   * records of the sites it leaves out). Otherwise, in the episodes + sessions layout, they are views
   * that add each record's row to its table of mapped fields: ten million rows are not copied again.
   */
  editable?: boolean;
}

/** Fields whose SPSS value labels replace the codes (labels are what the config's reasons and tiers name). */
const LABELLED_FIELDS = ["site", "therapist_id", "discharge_reason"];

export async function ingest(db: Db, study: Study, options: IngestOptions = {}): Promise<Result<IngestOutput>> {
  const roles: TableRole[] = study.layout === "tables" ? ["episodes", "sessions"] : ["episodes"];
  // Checksums are computed while DuckDB reads the files (each is read in full by both).
  const checksums = new Map(roles.map((role) => [role, sha256(study.sources[role].path).catch(() => "")]));
  const loaded = new Map<TableRole, LoadedFile>();
  const problems: Problem[] = [];
  // In the episodes + sessions layout each file is read once, straight into its table of mapped
  // fields, and the identifier guard runs there (buildRawRows); the long and wide layouts read the
  // files into tables first and guard those.
  const direct = study.layout === "tables";
  for (const role of roles) {
    const result = await loadChecked(db, study, study.sources[role], role, direct);
    if (result.ok) loaded.set(role, result.value);
    else problems.push(...result.problems);
  }
  if (problems.length) return fail(...problems);
  const sourceOf = (role: TableRole) => (study.layout === "tables" ? role : "episodes");
  for (const role of ["episodes", "sessions"] as const) {
    const file = loaded.get(sourceOf(role))!;
    const mapping = columnMapping(study, role);
    const missing = Object.entries(mapping).filter(([, col]) => !columnPresent(col, file.columns, study, role));
    if (missing.length) problems.push(...missing.map(([field, col]) => problem("E_COLUMN_MISSING", { field, column: col, present: file.columns }, { file: basename(study.sources[role].path), row: 1, column: col })));
  }
  if (problems.length) return fail(...problems);
  const nullify = missingCodes(study);
  if (direct) {
    // The episodes are read first: their admissions date the study for the guard's test of birth dates.
    let studyYear: number | null = null;
    for (const role of roles) {
      const built = await buildRawRows(db, study, role, loaded.get(role)!, nullify, options.editable ?? false, studyYear);
      if (built.ok) studyYear = built.value;
      else problems.push(...built.problems);
    }
    if (problems.length) return fail(...problems);
  } else {
    if (study.layout === "long") await buildLong(db, study, loaded.get("episodes")!.rowOffset, nullify);
    else await buildWide(db, study, loaded.get("episodes")!, nullify);
    await db.run(`DROP TABLE ${srcTable("episodes")}`);
  }
  const files: IngestedFile[] = [];
  for (const role of ["episodes", "sessions"] as const) {
    const source = study.sources[role];
    const file = loaded.get(sourceOf(role))!;
    const [{ n }] = (await queryRows<{ n: number }>(db, `SELECT count(*)::INTEGER AS n FROM ${RAW_TABLE[role]}`)) as [{ n: number }];
    files.push({ role, path: source.path, sha256: await checksums.get(sourceOf(role))!, rows: n, columns: file.columns, format: file.format, read_as: file.read_as, dropped_columns: file.dropped, row_unit: file.row_unit });
  }
  return ok({ files, layout: study.layout });
}

const srcTable = (role: TableRole) => `src_${role}`;

/** Loads one file (lazily: see loadSource) and, unless lazy, runs the identifier guard on every column it kept. */
async function loadChecked(db: Db, study: Study, source: InputSource, role: TableRole, lazy: boolean): Promise<Result<LoadedFile>> {
  const file = basename(source.path);
  const labelled = new Set(LABELLED_FIELDS.map((f) => (study.columns.episodes as unknown as Record<string, string | undefined>)[f]).filter((c): c is string => c !== undefined));
  if (study.tiers.column !== null) labelled.add(study.tiers.column);
  let loaded: LoadedFile;
  try {
    const read = await loadSource(db, source, srcTable(role), study.dropColumns, labelled, lazy, study.layout === "tables" ? role : study.layout);
    if (!read.ok) return read;
    loaded = read.value;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT" || err.code === "EACCES" || err.code === "EISDIR") return fail(problem("E_FILE_UNREADABLE", { role: study.layout === "tables" ? role : study.layout, reason: err.code }, { file: source.path }));
    return fail(problem("E_FILE_UNPARSEABLE", { format: source.format, detail: err.message ?? String(e) }, { file }));
  }
  if (lazy) return ok(loaded);
  const checked = loaded.columns.filter((c) => !study.notIdentifiers.includes(c));
  const admit = study.columns.episodes.admit_date;
  const studyYear = loaded.columns.includes(admit) ? await medianDateYear(db, srcTable(role), admit) : null;
  const found = await findIdentifiers(db, srcTable(role), checked, { studyYear, isStudyDate: studyDateColumn(study), isStaffOrPlace: staffOrPlaceColumn(study) });
  if (found.length) return fail(...found.map((f) => identifierProblem(file, f)));
  return ok(loaded);
}

/**
 * Episodes + sessions layout: reads one file into its table of mapped fields (trimmed, missing codes
 * as NULL), with the file's other columns alongside only until the identifier guard has checked every
 * column; then raw_<role> gives each record its row (rowid + offset: the table is written in file order).
 */
async function buildRawRows(db: Db, study: Study, role: TableRole, file: LoadedFile, read: (c: string) => string, editable: boolean, studyYear: number | null): Promise<Result<number | null>> {
  const name = basename(study.sources[role].path);
  const mapping = Object.entries(columnMapping(study, role));
  const key = episodeKeyColumn(study, role);
  // Where the guard finds each of the file's columns in the table: a mapped column under its field.
  const at = new Map<string, string>();
  for (const [field, col] of mapping) if (!at.has(col)) at.set(col, field);
  if (key && !at.has(key)) at.set(key, "episode_key");
  const others = file.columns.filter((c) => !at.has(c));
  others.forEach((c, i) => at.set(c, `other_${i}`));
  const select = [
    ...mapping.map(([field, col]) => `${read(sqlIdent(col))} AS ${field}`),
    // Without a key column the key is empty: the view gives it, rather than a stored column of nulls.
    ...(key ? [`${read(sqlIdent(key))} AS episode_key`] : []),
    ...others.map((c) => `${sqlIdent(c)} AS ${at.get(c)!}`),
  ];
  try {
    await db.run(`CREATE OR REPLACE TABLE ${rowsTable(role)} AS SELECT ${select.join(", ")} FROM ${srcTable(role)}`);
  } catch (e) {
    return fail(problem("E_FILE_UNPARSEABLE", { format: study.sources[role].format, detail: (e as Error).message ?? String(e) }, { file: name }));
  } finally {
    await db.run(file.rows === null ? `DROP VIEW ${srcTable(role)}` : `DROP TABLE ${srcTable(role)}`);
  }
  // Rows the reader could not read (ragged, an unclosed quote, bad bytes), named by line.
  const rejected = await rejectedRows(db, file.rejects, name, file.read_as.encoding ?? "utf-8");
  if (rejected.length) return fail(...rejected);
  const [{ n }] = (await queryRows<{ n: number }>(db, `SELECT count(*)::INTEGER AS n FROM ${rowsTable(role)}`)) as [{ n: number }];
  if (n === 0) return fail(problem("E_FILE_EMPTY", { role }, { file: name }));
  const checked = file.columns.filter((c) => !study.notIdentifiers.includes(c));
  // The median admission year, from the episodes' own table (returned for the sessions file's guard).
  const year = role === "episodes" ? await medianDateYear(db, rowsTable(role), "admit_date") : studyYear;
  const found = await findIdentifiers(db, rowsTable(role), checked, { inTable: (c) => at.get(c)!, studyYear: year, isStudyDate: studyDateColumn(study), isStaffOrPlace: staffOrPlaceColumn(study) });
  if (found.length) return fail(...found.map((f) => identifierProblem(name, f)));
  for (const [i] of others.entries()) await db.run(`ALTER TABLE ${rowsTable(role)} DROP COLUMN other_${i}`);
  const rows = `SELECT (rowid + ${file.rowOffset})::INTEGER AS src_row, NULL::INTEGER AS src_slot, * ${key ? "EXCLUDE (episode_key), episode_key" : ", NULL::VARCHAR AS episode_key"}, NULL::INTEGER AS conflict_row FROM ${rowsTable(role)}`;
  if (!editable) {
    await db.run(`CREATE OR REPLACE VIEW ${RAW_TABLE[role]} AS ${rows}`);
    return ok(year);
  }
  await db.run(`CREATE OR REPLACE TABLE ${RAW_TABLE[role]} AS ${rows}`);
  await db.run(`DROP TABLE ${rowsTable(role)}`);
  return ok(year);
}

/**
 * Whether a column holds the study's own dates (admission, discharge, session; in the wide layout
 * every numbered session-date column), which the guard never takes for dates of birth.
 */
function studyDateColumn(study: Study): (column: string) => boolean {
  const { admit_date, discharge_date } = study.columns.episodes;
  const session = columnPattern(study.columns.sessions.session_date);
  return (column) => column === admit_date || column === discharge_date || session.test(column);
}

/**
 * A mapped column, or in the wide layout every numbered column of its pattern.
 * @example columnPattern("SessionDate_{i}").test("SessionDate_7") // => true
 */
function columnPattern(mapped: string): RegExp {
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${mapped.split(/\{[is]\}/).map(escape).join("\\d+")}$`);
}

/**
 * Whether a column is one the config maps to a site, a therapist, a discharge reason or a tier: names
 * of places, staff and categories, which the guard never takes for clients' names by their values.
 */
function staffOrPlaceColumn(study: Study): (column: string) => boolean {
  const { site, therapist_id, discharge_reason } = study.columns.episodes;
  const mapped = [site, therapist_id, discharge_reason, study.columns.sessions.therapist_id, study.tiers.column].filter((c): c is string => typeof c === "string").map(columnPattern);
  return (column) => mapped.some((m) => m.test(column));
}

async function sha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** SQL that reads a text cell: trimmed, with the empty cell and every missing-value code as NULL. */
function missingCodes(study: Study): (col: string) => string {
  const codes = study.values.missing.map(sqlString).join(", ");
  return (col) => (codes ? `CASE WHEN trim(${col}) IN ('', ${codes}) THEN NULL ELSE trim(${col}) END` : `NULLIF(trim(${col}), '')`);
}

/** Whether a mapped column is in the file; in the wide layout a {i} pattern must match at least session 1. */
function columnPresent(col: string, columns: string[], study: Study, role: TableRole): boolean {
  if (study.layout === "wide" && role === "sessions" && col.includes("{")) return columns.includes(slotColumn(col, 1));
  return columns.includes(col);
}

/**
 * A wide-layout column pattern for session s: {i} is the session number, except in item columns,
 * whose {i} is already the item number and whose {s} is the session number.
 * @example slotColumn("srs_{i}", 3) // => "srs_3"; slotColumn("wai2_s{s}", 3) // => "wai2_s3"
 */
export function slotColumn(pattern: string, session: number): string {
  return pattern.includes("{s}") ? pattern.replaceAll("{s}", String(session)) : pattern.replaceAll("{i}", String(session));
}

/** Session numbers tried in the wide layout before giving up. */
const MAX_SLOTS = 1000;

async function buildRaw(db: Db, study: Study, role: TableRole, from: string, rowOffset: number, read: (c: string) => string, where = "TRUE"): Promise<void> {
  const select = Object.entries(columnMapping(study, role)).map(([field, col]) => `${read(sqlIdent(col))} AS ${field}`);
  const key = episodeKeyColumn(study, role);
  await db.run(`CREATE OR REPLACE TABLE ${RAW_TABLE[role]} AS SELECT (rowid + ${rowOffset})::INTEGER AS src_row, NULL::INTEGER AS src_slot, ${select.join(", ")}, ${key ? read(sqlIdent(key)) : "NULL::VARCHAR"} AS episode_key, NULL::INTEGER AS conflict_row FROM ${from} WHERE ${where}`);
}

/** Session fields that make a row of a long file a session (all but the ids and the therapist). */
function sessionValueColumns(study: Study): string[] {
  return Object.entries(columnMapping(study, "sessions"))
    .filter(([field]) => !["client_id", "episode_id", "therapist_id"].includes(field))
    .map(([, col]) => col);
}

/**
 * The column that tells a client's episodes apart in one table: the episode id; in the long layout
 * without one, the admission date. Null when sessions are linked to episodes by date.
 */
function episodeKeyColumn(study: Study, role: TableRole): string | null {
  if (study.layout === "long") return study.columns.episodes.episode_id ?? study.columns.episodes.admit_date;
  return (role === "episodes" ? study.columns.episodes.episode_id : study.columns.sessions.episode_id) ?? null;
}

/**
 * Long layout: every row is a session (or, with every session field empty, an episode without
 * sessions); its episode is the client with the episode id (or, without
 * one, the admission date). The episode's fields are read from its first row; conflict_row names the
 * first later row whose episode fields (other than the therapist) differ, for validate to report.
 */
async function buildLong(db: Db, study: Study, rowOffset: number, read: (c: string) => string): Promise<void> {
  // A row whose session fields are all empty carries only its episode (an episode without sessions).
  const isSession = sessionValueColumns(study).map((c) => `${read(sqlIdent(c))} IS NOT NULL`).join(" OR ");
  await buildRaw(db, study, "sessions", srcTable("episodes"), rowOffset, read, isSession);
  const ep = columnMapping(study, "episodes");
  const fields = Object.keys(ep);
  const compared = fields.filter((x) => x !== "therapist_id" && x !== "client_id");
  await db.run(`
    CREATE OR REPLACE TABLE ${RAW_TABLE.episodes} AS
    WITH rows AS (
      SELECT (rowid + ${rowOffset})::INTEGER AS src_row, ${fields.map((f) => `${read(sqlIdent(ep[f]!))} AS ${f}`).join(", ")}, ${read(sqlIdent(episodeKeyColumn(study, "episodes")!))} AS episode_key
      FROM ${srcTable("episodes")}),
    w AS (
      SELECT *, row_number() OVER p AS k${compared.map((x) => `, first_value(${x}) OVER p AS first_${x}`).join("")}
      FROM rows WINDOW p AS (PARTITION BY client_id, episode_key ORDER BY src_row)),
    c AS (
      SELECT client_id, episode_key, min(src_row) FILTER (WHERE ${compared.map((x) => `${x} IS DISTINCT FROM first_${x}`).join(" OR ") || "FALSE"})::INTEGER AS conflict_row
      FROM w GROUP BY ALL)
    SELECT w.src_row, NULL::INTEGER AS src_slot, ${fields.map((x) => `w.${x}`).join(", ")}, w.episode_key, c.conflict_row
    FROM w JOIN c ON c.client_id IS NOT DISTINCT FROM w.client_id AND c.episode_key IS NOT DISTINCT FROM w.episode_key
    WHERE w.k = 1 ORDER BY w.src_row`);
}

/**
 * Wide layout: every row is an episode, with its sessions in numbered columns (date_1, srs_1, …).
 * Each numbered group with any value becomes a session row that remembers its number (src_slot),
 * so a finding names the exact column, e.g. srs_7.
 */
async function buildWide(db: Db, study: Study, file: LoadedFile, read: (c: string) => string): Promise<void> {
  await buildRaw(db, study, "episodes", srcTable("episodes"), file.rowOffset, read);
  await db.run(`UPDATE ${RAW_TABLE.episodes} SET episode_key = src_row::VARCHAR`);
  const sessionFields = Object.entries(columnMapping(study, "sessions")).filter(([f]) => f !== "client_id" && f !== "episode_id");
  const slots: number[] = [];
  for (let s = 1; s <= MAX_SLOTS && sessionFields.some(([, p]) => file.columns.includes(slotColumn(p, s))); s++) slots.push(s);
  const parts = slots.map((s) => {
    const cols = sessionFields.map(([field, p]) => {
      const col = slotColumn(p, s);
      return file.columns.includes(col) ? `${read(sqlIdent(col))} AS ${field}` : `NULL::VARCHAR AS ${field}`;
    });
    const any = sessionFields.map(([, p]) => slotColumn(p, s)).filter((c) => file.columns.includes(c)).map((c) => `${read(sqlIdent(c))} IS NOT NULL`).join(" OR ");
    return `SELECT (rowid + ${file.rowOffset})::INTEGER AS src_row, ${s} AS src_slot, ${read(sqlIdent(study.columns.sessions.client_id))} AS client_id, ${cols.join(", ")}, (rowid + ${file.rowOffset})::VARCHAR AS episode_key, NULL::INTEGER AS conflict_row FROM ${srcTable("episodes")} WHERE ${any}`;
  });
  await db.run(`CREATE OR REPLACE TABLE ${RAW_TABLE.sessions} AS ${parts.join(" UNION ALL ")} ORDER BY src_row, src_slot`);
}

/** Canonical field → the user's column, for one table: mapped fields, tier, item columns and component columns. */
export function columnMapping(study: Study, role: TableRole): Record<string, string> {
  const { episode_id: _e, ...base } = study.columns[role] as unknown as Record<string, string>;
  if (role === "sessions") {
    const items = study.itemScoring?.columns.map((c, i): [string, string] => [itemField(i + 1), c]) ?? [];
    const components = study.allianceComponents.filter((c) => c.column !== null).map((c): [string, string] => [c.key, c.column!]);
    return { ...base, ...Object.fromEntries(items), ...Object.fromEntries(components) };
  }
  return study.tiers.column !== null ? { ...base, tier: study.tiers.column } : base;
}
