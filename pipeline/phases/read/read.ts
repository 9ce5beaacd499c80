/**
 * Phase 1, read: the input files (CSV/TSV, xlsx, SPSS, Parquet, JSON, NDJSON) into DuckDB, typed, after
 * the identifier guard (identifiers.ts) has refused any column that holds a direct identifier. It
 * hands validate the relations of phases/tables.ts, whatever the layout:
 *   r_episodes         one row per episode record, typed (a table);
 *   r_sessions         one row per session record, typed: for a CSV or TSV file in the episodes +
 *                      sessions layout, a view numbering the rows of r_sessions_rows, which the reader
 *                      filled typed in one pass (no text copy of ten million rows is made); otherwise
 *                      a table typed from the file's text;
 *   r_session_clients  the sessions file's distinct client ids and their rows.
 * Every record keeps its row in its file (src_row). A CSV whose every cell the typed reader reads is
 * read that way; one with a cell it cannot type is read again as text, the cell typed in SQL and kept
 * beside (`<field>_text`) for validate to name; rows with too many or too few cells, unclosed quotes
 * and bad bytes are refused here, by file and line.
 * Artifact: 01-read.json (files, format, SHA-256, rows, columns, dropped columns).
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type { InputSource, Study } from "../../config/study.ts";
import { type TableRole } from "../../config/columns.ts";
import { type Db, queryRows } from "../../db.ts";
import { fail, ok, type Problem, type Result } from "../../problem.ts";
import { problem } from "../../messages.ts";
import { SILENT, type Progress } from "../../progress.ts";
import { loadSource, type LoadedFile } from "./load-source.ts";
import { findIdentifiers, identifierProblem, medianDateYear } from "./identifiers.ts";
import { textSql } from "./cells.ts";
import { TABLES } from "../tables.ts";
import { columnPresent, readPlan, REL, srcTable, TEXT_TABLE, type ReadPlan } from "./read-plan.ts";
import { readTypedCsv } from "./typed-csv.ts";
import {
  keepSessionOnlyClients,
  sessionClients,
  typeFromText,
  typeTextTable,
  type TypedRelation,
} from "./text-relations.ts";
import { buildLong, buildWide } from "./layouts.ts";
import { type ReadFile, type ReadOutput } from "../handoff.ts";
export type { ReadFile, ReadOutput };

export type { TableRole } from "../../config/columns.ts";

export interface ReadOptions {
  /** Keep the sessions as a table that can be edited (a quarterly batch deletes the records of the sites it leaves out), not a view over the file. */
  editable?: boolean;
  progress?: Progress;
}

/** A problem for each column the config maps that its file lacks. */
function missingColumns(plan: ReadPlan, loaded: Map<TableRole, LoadedFile>): Problem[] {
  const { study } = plan;
  const problems: Problem[] = [];
  const sourceOf = (role: TableRole) => (study.layout === "tables" ? role : "episodes");
  for (const role of ["episodes", "sessions"] as const) {
    const file = loaded.get(sourceOf(role))!;
    const mapping = plan.mapping[role];
    const missing = Object.entries(mapping).filter(([, col]) => !columnPresent(col, file.columns, study, role));
    if (missing.length)
      problems.push(
        ...missing.map(([field, col]) =>
          problem(
            "E_COLUMN_MISSING",
            { field, column: col, present: file.columns },
            { file: basename(study.sources[role].path), row: 1, column: col },
          ),
        ),
      );
  }
  return problems;
}

/**
 * The mapped fields typed, into the relations validate reads: CSV of the two-table layout read typed
 * (again as text where a row or cell did not read), other formats and layouts typed from their text.
 */
async function typeRelations(
  db: Db,
  plan: ReadPlan,
  roles: TableRole[],
  loaded: Map<TableRole, LoadedFile>,
  options: ReadOptions,
): Promise<Result<{ textBacked: Record<TableRole, string[]>; unreadable: Map<TableRole, Problem[]> }>> {
  const { study } = plan;
  const typedCsv = study.layout === "tables";
  const textBacked: Record<TableRole, string[]> = { episodes: [], sessions: [] };
  const unreadable = new Map<TableRole, Problem[]>();
  if (typedCsv) {
    // The episodes first: their admissions date the study for the guard's test of dates of birth.
    let studyYear: number | null = null;
    for (const role of roles) {
      const file = loaded.get(role)!;
      let built: Result<TypedRelation | "rejects"> =
        file.rejects !== null
          ? await readTypedCsv(db, plan, role, file, studyYear, options.editable ?? false)
          : await typeFromText(db, plan, role, file, studyYear);
      // A file with a row or cell the typed reader refused is read again as text, so that validate
      // names each cell under its rule, and each row that is not a row by its line.
      if (built.ok && built.value === "rejects") built = await readAsText(db, plan, role, studyYear);
      if (!built.ok) return built;
      const relation = built.value as TypedRelation;
      studyYear = relation.studyYear;
      textBacked[role] = relation.textBacked;
      unreadable.set(role, relation.unreadable);
    }
  } else {
    const read = textSql;
    const cells = (c: string) => read(c, study.values);
    unreadable.set("episodes", loaded.get("episodes")!.rejected);
    if (study.layout === "long") await buildLong(db, plan, loaded.get("episodes")!.row, cells);
    else await buildWide(db, plan, loaded.get("episodes")!, cells);
    await db.run(`DROP TABLE ${srcTable("episodes")}`);
    for (const role of ["episodes", "sessions"] as const)
      textBacked[role] = await typeTextTable(db, plan, role, TEXT_TABLE[role]);
    await sessionClients(db, REL.sessions);
  }
  return ok({ textBacked, unreadable });
}

/** What read records of each file: its path, SHA-256, rows (the unreadable ones too), columns and how it was read. */
async function readFiles(
  db: Db,
  plan: ReadPlan,
  loaded: Map<TableRole, LoadedFile>,
  unreadable: Map<TableRole, Problem[]>,
  checksums: Map<TableRole, Promise<string>>,
): Promise<Result<ReadFile[]>> {
  const { study } = plan;
  const sourceOf = (role: TableRole) => (study.layout === "tables" ? role : "episodes");
  const files: ReadFile[] = [];
  for (const role of ["episodes", "sessions"] as const) {
    const source = study.sources[role];
    const file = loaded.get(sourceOf(role))!;
    const [{ n }] = (await queryRows<{ n: number }>(
      db,
      role === "episodes"
        ? `SELECT count(*)::INTEGER AS n FROM ${REL.episodes}`
        : `SELECT coalesce(sum(n), 0)::INTEGER AS n FROM ${TABLES.sessionClients.name}`,
    )) as [{ n: number }];
    if (n === 0)
      return fail(
        problem(
          "E_FILE_EMPTY",
          { role: study.layout === "tables" ? role : study.layout },
          { file: basename(source.path) },
        ),
      );
    files.push({
      role,
      path: source.path,
      sha256: await checksums.get(sourceOf(role))!,
      rows: n + (unreadable.get(role)?.length ?? 0),
      columns: file.columns,
      format: file.format,
      read_as: file.read_as,
      dropped_columns: file.dropped,
      row_unit: file.row_unit,
    });
  }
  return ok(files);
}

export async function read(db: Db, study: Study, options: ReadOptions = {}): Promise<Result<ReadOutput>> {
  const plan = readPlan(study);
  const progress = options.progress ?? SILENT;
  progress.begin("read", () => Number(db.progress.rows_processed));
  const roles = plan.roles;
  // Checksums are computed while DuckDB reads the files (each is read in full by both).
  const checksums = new Map(roles.map((role) => [role, sha256(study.sources[role].path).catch(() => "")]));
  const loaded = new Map<TableRole, LoadedFile>();
  const problems: Problem[] = [];
  const typedCsv = study.layout === "tables";
  for (const role of roles) {
    const result = await loadChecked(db, plan, study.sources[role], role, typedCsv);
    if (result.ok) loaded.set(role, result.value);
    else problems.push(...result.problems);
  }
  if (problems.length) return fail(...problems);
  const sourceOf = (role: TableRole) => (study.layout === "tables" ? role : "episodes");
  problems.push(...missingColumns(plan, loaded));
  if (problems.length) return fail(...problems);
  const typed = await typeRelations(db, plan, roles, loaded, options);
  if (!typed.ok) return typed;
  const { textBacked, unreadable } = typed.value;
  const files = await readFiles(db, plan, loaded, unreadable, checksums);
  if (!files.ok) return files;
  await keepSessionOnlyClients(db);
  progress.end("read", `${files.value.map((f) => `${f.rows.toLocaleString("en-US")} ${f.role}`).join(", ")}`);
  return ok({ files: files.value, layout: study.layout, textBacked, unreadable: [...unreadable.values()].flat() });
}

/**
 * Loads one file (CSV in the episodes + sessions layout: lazily, typed) and, with `guard`, runs the
 * identifier guard on every column it kept; without it, the relation is guarded as it is typed
 * (readTypedCsv, typeFromText).
 */
async function loadChecked(
  db: Db,
  plan: ReadPlan,
  source: InputSource,
  role: TableRole,
  typedCsv: boolean,
  guard = !typedCsv,
): Promise<Result<LoadedFile>> {
  const { study } = plan;
  const file = basename(source.path);
  let loaded: LoadedFile;
  try {
    const typed = typedCsv ? plan.typed[role] : undefined;
    const read = await loadSource(
      db,
      source,
      srcTable(role),
      study.dropColumns,
      plan.labelled,
      typedCsv,
      study.layout === "tables" ? role : study.layout,
      typed,
    );
    if (!read.ok) return read;
    loaded = read.value;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT" || err.code === "EACCES" || err.code === "EISDIR")
      return fail(
        problem(
          "E_FILE_UNREADABLE",
          { role: study.layout === "tables" ? role : study.layout, reason: err.code },
          { file: source.path },
        ),
      );
    return fail(problem("E_FILE_UNPARSEABLE", { format: source.format, detail: err.message ?? String(e) }, { file }));
  }
  if (!guard) return ok(loaded);
  const checked = loaded.columns.filter((c) => !study.notIdentifiers.includes(c));
  const admit = study.columns.episodes.admit_date;
  const studyYear = loaded.columns.includes(admit) ? await medianDateYear(db, srcTable(role), admit) : null;
  const found = await findIdentifiers(db, srcTable(role), checked, {
    studyYear,
    isStudyDate: plan.isStudyDate,
    isStaffOrPlace: plan.isStaffOrPlace,
  });
  if (found.length) return fail(...found.map((f) => identifierProblem(file, f)));
  return ok(loaded);
}

/**
 * A CSV of the episodes + sessions layout, read typed. The episodes become a table; the sessions a
 * table of their mapped fields (r_sessions_rows), which the view r_sessions numbers by rowid, and their
 * distinct client ids. The reader rejects a row only for a column a query names, so each file's
 * mapped columns are all read in its first pass, and its other columns in the guard's; with no row
 * rejected, a row's place in the table is its line. A file with any rejected row is handed back
 * ("rejects") to be read as text. The guard checks every text column and the file's other columns.
 */

/**
 * A CSV the typed reader refused a row or cell of, read again as text (and guarded as it is typed):
 * rows that are not rows (too many or too few cells, an unclosed quote, bytes that are not text) are
 * handed to validate by line; cells that do not read as their type are typed in SQL, for validate to
 * name under their rules.
 */
async function readAsText(
  db: Db,
  plan: ReadPlan,
  role: TableRole,
  studyYear: number | null,
): Promise<Result<TypedRelation>> {
  const { study } = plan;
  await db.run(`DROP VIEW IF EXISTS ${srcTable(role)}`);
  const loaded = await loadChecked(db, plan, study.sources[role], role, false, false);
  if (!loaded.ok) return loaded;
  return typeFromText(db, plan, role, loaded.value, studyYear);
}

async function sha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
