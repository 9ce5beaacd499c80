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
import type { InputFormat } from "../../config/types.ts";
import type { InputSource, Study } from "../../config/study.ts";
import { columnMapping, episodeKeyColumn, fieldKind, slotColumn, type TableRole } from "../../config/columns.ts";
import { type Db, queryRows, sqlIdent } from "../../db.ts";
import { fail, ok, type Problem, type Result } from "../../problem.ts";
import { problem } from "../../messages.ts";
import { SILENT, type Progress } from "../../progress.ts";
import { dropRejects, hasRejects, loadSource, type LoadedFile, type TypedRead } from "./load-source.ts";
import { findIdentifiers, identifierProblem, medianDateYear } from "./identifiers.ts";
import { dateSql, datesReadTyped, numberSql, textSql } from "./cells.ts";
import { TABLES } from "../tables.ts";
import { type ReadFile, type ReadOutput } from "../handoff.ts";
export type { ReadFile, ReadOutput };

export type { TableRole } from "../../config/columns.ts";

export interface ReadOptions {
  /** Keep the sessions as a table that can be edited (a quarterly batch deletes the records of the sites it leaves out), not a view over the file. */
  editable?: boolean;
  progress?: Progress;
}

/** Fields whose SPSS value labels replace the codes (labels are what the config's reasons and tiers name). */
const LABELLED_FIELDS = ["site", "therapist_id", "discharge_reason"];

const REL: Record<TableRole, string> = { episodes: TABLES.episodes.name, sessions: TABLES.sessions.name };
/** The file as loaded (a view over the CSV, or a table of its text). */
const srcTable = (role: TableRole) => `src_${role}`;
/** Text tables of the mapped fields, for the layouts and formats typed from text. */
const TEXT_TABLE: Record<TableRole, string> = { episodes: "x_episodes", sessions: "x_sessions" };

/** A problem for each column the config maps that its file lacks. */
function missingColumns(study: Study, loaded: Map<TableRole, LoadedFile>): Problem[] {
  const problems: Problem[] = [];
  const sourceOf = (role: TableRole) => (study.layout === "tables" ? role : "episodes");
  for (const role of ["episodes", "sessions"] as const) {
    const file = loaded.get(sourceOf(role))!;
    const mapping = columnMapping(study, role);
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
  study: Study,
  roles: TableRole[],
  loaded: Map<TableRole, LoadedFile>,
  options: ReadOptions,
): Promise<Result<{ textBacked: Record<TableRole, string[]>; unreadable: Map<TableRole, Problem[]> }>> {
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
          ? await readTypedCsv(db, study, role, file, studyYear, options.editable ?? false)
          : await typeFromText(db, study, role, file, studyYear);
      // A file with a row or cell the typed reader refused is read again as text, so that validate
      // names each cell under its rule, and each row that is not a row by its line.
      if (built.ok && built.value === "rejects") built = await readAsText(db, study, role, studyYear);
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
    if (study.layout === "long") await buildLong(db, study, loaded.get("episodes")!.row, cells);
    else await buildWide(db, study, loaded.get("episodes")!, cells);
    await db.run(`DROP TABLE ${srcTable("episodes")}`);
    for (const role of ["episodes", "sessions"] as const)
      textBacked[role] = await typeTextTable(db, study, role, TEXT_TABLE[role]);
    await sessionClients(db, REL.sessions);
  }
  return ok({ textBacked, unreadable });
}

/** What read records of each file: its path, SHA-256, rows (the unreadable ones too), columns and how it was read. */
async function readFiles(
  db: Db,
  study: Study,
  loaded: Map<TableRole, LoadedFile>,
  unreadable: Map<TableRole, Problem[]>,
  checksums: Map<TableRole, Promise<string>>,
): Promise<Result<ReadFile[]>> {
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
  const progress = options.progress ?? SILENT;
  progress.begin("read", () => Number(db.progress.rows_processed));
  const roles: TableRole[] = study.layout === "tables" ? ["episodes", "sessions"] : ["episodes"];
  // Checksums are computed while DuckDB reads the files (each is read in full by both).
  const checksums = new Map(roles.map((role) => [role, sha256(study.sources[role].path).catch(() => "")]));
  const loaded = new Map<TableRole, LoadedFile>();
  const problems: Problem[] = [];
  const typedCsv = study.layout === "tables";
  for (const role of roles) {
    const result = await loadChecked(db, study, study.sources[role], role, typedCsv);
    if (result.ok) loaded.set(role, result.value);
    else problems.push(...result.problems);
  }
  if (problems.length) return fail(...problems);
  const sourceOf = (role: TableRole) => (study.layout === "tables" ? role : "episodes");
  problems.push(...missingColumns(study, loaded));
  if (problems.length) return fail(...problems);
  const typed = await typeRelations(db, study, roles, loaded, options);
  if (!typed.ok) return typed;
  const { textBacked, unreadable } = typed.value;
  const files = await readFiles(db, study, loaded, unreadable, checksums);
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
  study: Study,
  source: InputSource,
  role: TableRole,
  typedCsv: boolean,
  guard = !typedCsv,
): Promise<Result<LoadedFile>> {
  const file = basename(source.path);
  const labelled = new Set(
    LABELLED_FIELDS.map((f) => (study.columns.episodes as unknown as Record<string, string | undefined>)[f]).filter(
      (c): c is string => c !== undefined,
    ),
  );
  if (study.tiers.column !== null) labelled.add(study.tiers.column);
  let loaded: LoadedFile;
  try {
    const typed = typedCsv ? typedRead(study, role) : undefined;
    const read = await loadSource(
      db,
      source,
      srcTable(role),
      study.dropColumns,
      labelled,
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
    isStudyDate: studyDateColumn(study),
    isStaffOrPlace: staffOrPlaceColumn(study),
  });
  if (found.length) return fail(...found.map((f) => identifierProblem(file, f)));
  return ok(loaded);
}

/** How a CSV of the episodes + sessions layout is read typed: dates as DATE (when ISO), scores as DOUBLE. */
function typedRead(study: Study, role: TableRole): TypedRead {
  const types: Record<string, string> = {};
  for (const [field, col] of Object.entries(columnMapping(study, role))) {
    const kind = fieldKind(field);
    if (kind === "score") types[col] = "DOUBLE";
    if (kind === "date" && datesReadTyped(study.values)) types[col] = "DATE";
  }
  return { types, missing: study.values.missing, decimalMark: study.values.decimalMark };
}

/**
 * A CSV of the episodes + sessions layout, read typed. The episodes become a table; the sessions a
 * table of their mapped fields (r_sessions_rows), which the view r_sessions numbers by rowid, and their
 * distinct client ids. The reader rejects a row only for a column a query names, so each file's
 * mapped columns are all read in its first pass, and its other columns in the guard's; with no row
 * rejected, a row's place in the table is its line. A file with any rejected row is handed back
 * ("rejects") to be read as text. The guard checks every text column and the file's other columns.
 */
/** What the typed read of a CSV works from: the mapped columns as typed fields, and the columns the guard reads. */
function typedCsvPlan(db: Db, study: Study, role: TableRole, file: LoadedFile) {
  const name = basename(study.sources[role].path);
  const mapping = Object.entries(columnMapping(study, role));
  const key = episodeKeyColumn(study, role);
  const typed = typedRead(study, role).types;
  const textBacked = mapping.filter(([field, col]) => fieldKind(field) === "date" && !typed[col]).map(([f]) => f);
  const text = (col: string) => textSql(sqlIdent(col), study.values);
  const fields = [
    ...mapping.map(([field, col]) =>
      typed[col]
        ? `${sqlIdent(col)} AS ${field}`
        : fieldKind(field) === "date"
          ? `${dateSql(text(col), study.values)} AS ${field}, ${text(col)} AS ${field}_text`
          : `${text(col)} AS ${field}`,
    ),
    key ? `${text(key)} AS episode_key` : "NULL::VARCHAR AS episode_key",
  ];
  const mapped = new Set([...mapping.map(([, c]) => c), ...(key ? [key] : [])]);
  const others = file.columns.filter((c) => !mapped.has(c) && !study.notIdentifiers.includes(c));
  const textColumns = mapping.filter(
    ([field, col]) => fieldKind(field) === "text" && !study.notIdentifiers.includes(col),
  );
  const isStaffOrPlace = staffOrPlaceColumn(study);
  const rejected = async () => {
    const any = await hasRejects(db, file.rejects);
    await dropRejects(db, file.rejects);
    return any;
  };
  return { name, key, textBacked, fields, others, textColumns, isStaffOrPlace, rejected };
}

type TypedCsvPlan = ReturnType<typeof typedCsvPlan>;

/** The episodes read typed and guarded; "rejects" when the reader refused a row or cell of them. */
async function typedEpisodes(
  db: Db,
  study: Study,
  file: LoadedFile,
  plan: TypedCsvPlan,
): Promise<Result<TypedRelation | "rejects">> {
  const { name, key, textBacked, fields, others, textColumns, isStaffOrPlace, rejected } = plan;
  const role: TableRole = "episodes";
  await db.run(
    `CREATE OR REPLACE TABLE ${REL.episodes}_rows AS SELECT ${[...fields, ...others.map((c, i) => `${sqlIdent(c)} AS other_${i}`)].join(", ")} FROM ${srcTable(role)}`,
  );
  if (await rejected()) {
    await db.run(`DROP TABLE ${REL.episodes}_rows`);
    return ok("rejects");
  }
  const year =
    (
      await queryRows<{ y: number | null }>(
        db,
        `SELECT median(year(admit_date))::DOUBLE AS y FROM ${REL.episodes}_rows`,
      )
    )[0]?.y ?? null;
  const inTable = new Map<string, string>([
    ...textColumns.map(([f, c]): [string, string] => [c, f]),
    ...others.map((c, i): [string, string] => [c, `other_${i}`]),
    ...(key ? [[key, "episode_key"] as [string, string]] : []),
  ]);
  const found = await findIdentifiers(db, `${REL.episodes}_rows`, [...inTable.keys()], {
    inTable: (c) => inTable.get(c)!,
    studyYear: year,
    isStudyDate: studyDateColumn(study),
    isStaffOrPlace,
  });
  if (found.length) return fail(...found.map((f) => identifierProblem(name, f)));
  await db.run(
    `CREATE OR REPLACE TABLE ${REL.episodes} AS SELECT (rowid + 2)::INTEGER AS src_row, NULL::INTEGER AS src_slot, * EXCLUDE (${["episode_key", ...others.map((_, i) => `other_${i}`)].join(", ")}), episode_key, NULL::INTEGER AS conflict_row FROM ${REL.episodes}_rows`,
  );
  await db.run(`DROP TABLE ${REL.episodes}_rows; DROP VIEW ${srcTable(role)}`);
  return ok({ studyYear: year, textBacked, unreadable: [] });
}

/**
 * The sessions read typed and guarded: the mapped columns typed into a table in one pass (the reader
 * checks each of their cells); the file's other columns are read only by the guard, whose pass
 * checks theirs. "rejects" when the reader refused a row or cell.
 */
async function typedSessions(
  db: Db,
  study: Study,
  plan: TypedCsvPlan,
  studyYear: number | null,
  editable: boolean,
): Promise<Result<TypedRelation | "rejects">> {
  const { name, key, textBacked, fields, others, textColumns, isStaffOrPlace, rejected } = plan;
  const role: TableRole = "sessions";
  const clientCol = study.columns.sessions.client_id;
  const rows = TABLES.sessionRows.name;
  // Only what the file holds: the columns that are null on every row of a CSV (src_slot,
  // conflict_row, and episode_key without an episode id column) are added by the view. Stored,
  // they took 230 MB of ten million sessions, at the run's peak.
  await db.run(
    `CREATE OR REPLACE TABLE ${rows} AS SELECT ${(key ? fields : fields.slice(0, -1)).join(", ")} FROM ${srcTable(role)}`,
  );
  if (await rejected()) {
    await db.run(`DROP TABLE ${rows}`);
    return ok("rejects");
  }
  await db.run(
    `CREATE OR REPLACE TABLE ${TABLES.sessionClients.name} AS SELECT client_id, count(*) AS n FROM ${rows} GROUP BY 1`,
  );
  const guarded = new Map<string, string>([
    ...textColumns.filter(([f]) => f !== "client_id").map(([f, c]): [string, string] => [c, f]),
    ...(key && !study.notIdentifiers.includes(key) ? [[key, "episode_key"] as [string, string]] : []),
  ]);
  const guard = { studyYear, isStudyDate: studyDateColumn(study), isStaffOrPlace };
  const found = [
    ...(study.notIdentifiers.includes(clientCol)
      ? []
      : await findIdentifiers(db, TABLES.sessionClients.name, [clientCol], { ...guard, inTable: () => "client_id" })),
    ...(await findIdentifiers(db, rows, [...guarded.keys()], { ...guard, inTable: (c) => guarded.get(c)! })),
    ...(await findIdentifiers(db, srcTable(role), others, guard)),
  ];
  if (await rejected()) {
    await db.run(`DROP TABLE ${rows}; DROP TABLE ${TABLES.sessionClients.name}`);
    return ok("rejects");
  }
  if (found.length) return fail(...found.map((f) => identifierProblem(name, f)));
  // With no row rejected, a row's place in the table is its line in the file, less the header's.
  const numbered = `SELECT (rowid + 2)::INTEGER AS src_row, NULL::INTEGER AS src_slot, *${key ? "" : ", NULL::VARCHAR AS episode_key"}, NULL::INTEGER AS conflict_row FROM ${rows}`;
  if (editable) await db.run(`CREATE OR REPLACE TABLE ${REL.sessions} AS ${numbered}; DROP TABLE ${rows}`);
  else await db.run(`CREATE OR REPLACE VIEW ${REL.sessions} AS ${numbered}`);
  await db.run(`DROP VIEW ${srcTable(role)}`);
  return ok({ studyYear, textBacked, unreadable: [] });
}

async function readTypedCsv(
  db: Db,
  study: Study,
  role: TableRole,
  file: LoadedFile,
  studyYear: number | null,
  editable: boolean,
): Promise<Result<TypedRelation | "rejects">> {
  const plan = typedCsvPlan(db, study, role, file);
  const name = plan.name;
  try {
    return role === "episodes"
      ? await typedEpisodes(db, study, file, plan)
      : await typedSessions(db, study, plan, studyYear, editable);
  } catch (e) {
    return fail(
      problem(
        "E_FILE_UNPARSEABLE",
        { format: study.sources[role].format, detail: (e as Error).message ?? String(e) },
        { file: name },
      ),
    );
  }
}

/**
 * A CSV the typed reader refused a row or cell of, read again as text (and guarded as it is typed):
 * rows that are not rows (too many or too few cells, an unclosed quote, bytes that are not text) are
 * handed to validate by line; cells that do not read as their type are typed in SQL, for validate to
 * name under their rules.
 */
async function readAsText(
  db: Db,
  study: Study,
  role: TableRole,
  studyYear: number | null,
): Promise<Result<TypedRelation>> {
  await db.run(`DROP VIEW IF EXISTS ${srcTable(role)}`);
  const loaded = await loadChecked(db, study, study.sources[role], role, false, false);
  if (!loaded.ok) return loaded;
  return typeFromText(db, study, role, loaded.value, studyYear);
}

/** A relation read typed: the fields typed from text in SQL (kept beside as `<field>_text`), and the rows the reader could not read. */
interface TypedRelation {
  studyYear: number | null;
  textBacked: string[];
  unreadable: Problem[];
}

/**
 * Another format in the episodes + sessions layout: its text table of mapped fields (with the file's
 * other columns until the guard has checked them), then typed.
 */
async function typeFromText(
  db: Db,
  study: Study,
  role: TableRole,
  file: LoadedFile,
  studyYear: number | null,
): Promise<Result<TypedRelation>> {
  const name = basename(study.sources[role].path);
  const mapping = Object.entries(columnMapping(study, role));
  const key = episodeKeyColumn(study, role);
  const at = new Map<string, string>();
  for (const [field, col] of mapping) if (!at.has(col)) at.set(col, field);
  if (key && !at.has(key)) at.set(key, "episode_key");
  const others = file.columns.filter((c) => !at.has(c));
  others.forEach((c, i) => at.set(c, `other_${i}`));
  const cells = (c: string) => textSql(sqlIdent(c), study.values);
  const select = [
    `${file.row}::INTEGER AS src_row`,
    "NULL::INTEGER AS src_slot",
    ...mapping.map(([field, col]) => `${cells(col)} AS ${field}`),
    key ? `${cells(key)} AS episode_key` : "NULL::VARCHAR AS episode_key",
    "NULL::INTEGER AS conflict_row",
    ...others.map((c) => `${sqlIdent(c)} AS ${at.get(c)!}`),
  ];
  await db.run(`CREATE OR REPLACE TABLE ${TEXT_TABLE[role]} AS SELECT ${select.join(", ")} FROM ${srcTable(role)}`);
  await db.run(`DROP TABLE ${srcTable(role)}`);
  const checked = file.columns.filter((c) => !study.notIdentifiers.includes(c));
  const year = role === "episodes" ? await medianDateYear(db, TEXT_TABLE[role], "admit_date") : studyYear;
  const found = await findIdentifiers(db, TEXT_TABLE[role], checked, {
    inTable: (c) => at.get(c)!,
    studyYear: year,
    isStudyDate: studyDateColumn(study),
    isStaffOrPlace: staffOrPlaceColumn(study),
  });
  if (found.length) return fail(...found.map((f) => identifierProblem(name, f)));
  for (const [i] of others.entries()) await db.run(`ALTER TABLE ${TEXT_TABLE[role]} DROP COLUMN other_${i}`);
  const textBacked = await typeTextTable(db, study, role, TEXT_TABLE[role]);
  if (role === "sessions") await sessionClients(db, REL.sessions);
  return ok({ studyYear: year, textBacked, unreadable: file.rejected });
}

/**
 * A text table of mapped fields as the typed relation: dates and scores typed in SQL, each with its
 * text beside it (`<field>_text`) for the findings of cells that do not read; the text table is dropped.
 */
async function typeTextTable(db: Db, study: Study, role: TableRole, from: string): Promise<string[]> {
  const cols = (await queryRows<{ column_name: string }>(db, `SELECT column_name FROM (DESCRIBE ${from})`)).map(
    (r) => r.column_name,
  );
  const backed = cols.filter((c) => fieldKind(c) !== "text" && !["src_row", "src_slot", "conflict_row"].includes(c));
  const select = cols.map((c) =>
    !backed.includes(c)
      ? c
      : fieldKind(c) === "date"
        ? `${dateSql(c, study.values)} AS ${c}, ${c} AS ${c}_text`
        : `${numberSql(c, study.values)} AS ${c}, ${c} AS ${c}_text`,
  );
  await db.run(
    `CREATE OR REPLACE TABLE ${REL[role]} AS SELECT ${select.join(", ")} FROM ${from} ORDER BY src_row, src_slot`,
  );
  await db.run(`DROP TABLE ${from}`);
  return backed;
}

/**
 * Once the sessions are counted and guarded, r_session_clients keeps only the ids that no episode
 * record has: with the episodes' own, they are every client id of the study (the release check's).
 * A million ids held until derive were 28 MB at the run's peak, in validate.
 */
async function keepSessionOnlyClients(db: Db): Promise<void> {
  const c = TABLES.sessionClients.name;
  await db.run(
    `CREATE OR REPLACE TABLE ${c} AS SELECT c.client_id FROM ${c} c ANTI JOIN ${REL.episodes} e ON e.client_id = c.client_id WHERE c.client_id IS NOT NULL`,
  );
}

/** The distinct client ids of a sessions relation and their rows (r_session_clients, until keepSessionOnlyClients). */
async function sessionClients(db: Db, relation: string): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TABLE ${TABLES.sessionClients.name} AS SELECT client_id, count(*) AS n FROM ${relation} GROUP BY 1`,
  );
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
  return new RegExp(
    `^${mapped
      .split(/\{[is]\}/)
      .map(escape)
      .join("\\d+")}$`,
  );
}

/**
 * Whether a column is one the config maps to a site, a therapist, a discharge reason or a tier: names
 * of places, staff and categories, which the guard never takes for clients' names by their values.
 */
function staffOrPlaceColumn(study: Study): (column: string) => boolean {
  const { site, therapist_id, discharge_reason } = study.columns.episodes;
  const mapped = [site, therapist_id, discharge_reason, study.columns.sessions.therapist_id, study.tiers.column]
    .filter((c): c is string => typeof c === "string")
    .map(columnPattern);
  return (column) => mapped.some((m) => m.test(column));
}

async function sha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Whether a mapped column is in the file; in the wide layout a {i} pattern must match at least session 1. */
function columnPresent(col: string, columns: string[], study: Study, role: TableRole): boolean {
  if (study.layout === "wide" && role === "sessions" && col.includes("{")) return columns.includes(slotColumn(col, 1));
  return columns.includes(col);
}

/** Session numbers tried in the wide layout before giving up. */
const MAX_SLOTS = 1000;

async function buildRaw(
  db: Db,
  study: Study,
  role: TableRole,
  from: string,
  row: string,
  read: (c: string) => string,
  where = "TRUE",
): Promise<void> {
  const select = Object.entries(columnMapping(study, role)).map(([field, col]) => `${read(sqlIdent(col))} AS ${field}`);
  const key = episodeKeyColumn(study, role);
  await db.run(
    `CREATE OR REPLACE TABLE ${TEXT_TABLE[role]} AS SELECT ${row}::INTEGER AS src_row, NULL::INTEGER AS src_slot, ${select.join(", ")}, ${key ? read(sqlIdent(key)) : "NULL::VARCHAR"} AS episode_key, NULL::INTEGER AS conflict_row FROM ${from} WHERE ${where}`,
  );
}

/** Session fields that make a row of a long file a session (all but the ids and the therapist). */
function sessionValueColumns(study: Study): string[] {
  return Object.entries(columnMapping(study, "sessions"))
    .filter(([field]) => !["client_id", "episode_id", "therapist_id"].includes(field))
    .map(([, col]) => col);
}

/**
 * Long layout: every row is a session (or, with every session field empty, an episode without
 * sessions); its episode is the client with the episode id (or, without
 * one, the admission date). The episode's fields are read from its first row; conflict_row names the
 * first later row whose episode fields (other than the therapist) differ, for validate to report.
 */
async function buildLong(db: Db, study: Study, row: string, read: (c: string) => string): Promise<void> {
  // A row whose session fields are all empty carries only its episode (an episode without sessions).
  const isSession = sessionValueColumns(study)
    .map((c) => `${read(sqlIdent(c))} IS NOT NULL`)
    .join(" OR ");
  await buildRaw(db, study, "sessions", srcTable("episodes"), row, read, isSession);
  const ep = columnMapping(study, "episodes");
  const fields = Object.keys(ep);
  const compared = fields.filter((x) => x !== "therapist_id" && x !== "client_id");
  await db.run(`
    CREATE OR REPLACE TABLE ${TEXT_TABLE.episodes} AS
    WITH rows AS (
      SELECT ${row}::INTEGER AS src_row, ${fields.map((f) => `${read(sqlIdent(ep[f]!))} AS ${f}`).join(", ")}, ${read(sqlIdent(episodeKeyColumn(study, "episodes")!))} AS episode_key
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
  await buildRaw(db, study, "episodes", srcTable("episodes"), file.row, read);
  await db.run(`UPDATE ${TEXT_TABLE.episodes} SET episode_key = src_row::VARCHAR`);
  const sessionFields = Object.entries(columnMapping(study, "sessions")).filter(
    ([f]) => f !== "client_id" && f !== "episode_id",
  );
  const slots: number[] = [];
  for (let s = 1; s <= MAX_SLOTS && sessionFields.some(([, p]) => file.columns.includes(slotColumn(p, s))); s++)
    slots.push(s);
  const parts = slots.map((s) => {
    const cols = sessionFields.map(([field, p]) => {
      const col = slotColumn(p, s);
      return file.columns.includes(col) ? `${read(sqlIdent(col))} AS ${field}` : `NULL::VARCHAR AS ${field}`;
    });
    const any = sessionFields
      .map(([, p]) => slotColumn(p, s))
      .filter((c) => file.columns.includes(c))
      .map((c) => `${read(sqlIdent(c))} IS NOT NULL`)
      .join(" OR ");
    return `SELECT ${file.row}::INTEGER AS src_row, ${s} AS src_slot, ${read(sqlIdent(study.columns.sessions.client_id))} AS client_id, ${cols.join(", ")}, ${file.row}::VARCHAR AS episode_key, NULL::INTEGER AS conflict_row FROM ${srcTable("episodes")} WHERE ${any}`;
  });
  await db.run(
    `CREATE OR REPLACE TABLE ${TEXT_TABLE.sessions} AS ${parts.join(" UNION ALL ")} ORDER BY src_row, src_slot`,
  );
}
