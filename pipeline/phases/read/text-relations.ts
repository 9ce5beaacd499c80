/**
 * Relations typed from text: a file of another format, or a CSV with a cell the typed reader
 * refused, becomes a text table of its mapped fields, guarded, then typed in SQL with each cell's
 * text kept beside it (`<field>_text`) for validate to name.
 */
import { basename } from "node:path";
import { fieldKind, type TableRole } from "../../config/columns.ts";
import { type Db, queryRows, sqlIdent } from "../../db.ts";
import { fail, ok, type Problem, type Result } from "../../problem.ts";
import { problem } from "../../messages.ts";
import { type LoadedFile } from "./load-source.ts";
import { findIdentifiers, identifierProblem, medianDateYear } from "./identifiers.ts";
import { dateSql, numberSql, textSql } from "./cells.ts";
import { TABLES } from "../tables.ts";
import { REL, srcTable, TEXT_TABLE, type ReadPlan } from "./read-plan.ts";

/** A relation read typed: the fields typed from text in SQL (kept beside as `<field>_text`), and the rows the reader could not read. */
export interface TypedRelation {
  studyYear: number | null;
  textBacked: string[];
  unreadable: Problem[];
}

/**
 * Another format in the episodes + sessions layout: its text table of mapped fields (with the file's
 * other columns until the guard has checked them), then typed.
 */
export async function typeFromText(
  db: Db,
  plan: ReadPlan,
  role: TableRole,
  file: LoadedFile,
  studyYear: number | null,
): Promise<Result<TypedRelation>> {
  const { study } = plan;
  const name = basename(study.sources[role].path);
  const mapping = Object.entries(plan.mapping[role]);
  const key = plan.key[role];
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
    isStudyDate: plan.isStudyDate,
    isStaffOrPlace: plan.isStaffOrPlace,
  });
  if (found.length) return fail(...found.map((f) => identifierProblem(name, f)));
  for (const [i] of others.entries()) await db.run(`ALTER TABLE ${TEXT_TABLE[role]} DROP COLUMN other_${i}`);
  const textBacked = await typeTextTable(db, plan, role, TEXT_TABLE[role]);
  if (role === "sessions") await sessionClients(db, REL.sessions);
  return ok({ studyYear: year, textBacked, unreadable: file.rejected });
}

/**
 * A text table of mapped fields as the typed relation: dates and scores typed in SQL, each with its
 * text beside it (`<field>_text`) for the findings of cells that do not read; the text table is dropped.
 */
export async function typeTextTable(db: Db, plan: ReadPlan, role: TableRole, from: string): Promise<string[]> {
  const { study } = plan;
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

/** The distinct client ids of a sessions relation and their rows (r_session_clients, until keepSessionOnlyClients). */
export async function sessionClients(db: Db, relation: string): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TABLE ${TABLES.sessionClients.name} AS SELECT client_id, count(*) AS n FROM ${relation} GROUP BY 1`,
  );
}

/**
 * Once the sessions are counted and guarded, r_session_clients keeps only the ids that no episode
 * record has: with the episodes' own, they are every client id of the study (the release check's).
 * A million ids held until derive were 28 MB at the run's peak, in validate.
 */
export async function keepSessionOnlyClients(db: Db): Promise<void> {
  const c = TABLES.sessionClients.name;
  await db.run(
    `CREATE OR REPLACE TABLE ${c} AS SELECT c.client_id FROM ${c} c ANTI JOIN ${REL.episodes} e ON e.client_id = c.client_id WHERE c.client_id IS NOT NULL`,
  );
}
