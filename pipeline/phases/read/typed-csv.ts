/**
 * A CSV of the episodes + sessions layout, read typed. The episodes become a table; the sessions a
 * table of their mapped fields (r_sessions_rows), which the view r_sessions numbers by rowid, and their
 * distinct client ids. The reader rejects a row only for a column a query names, so each file's
 * mapped columns are all read in its first pass, and its other columns in the guard's; with no row
 * rejected, a row's place in the table is its line. A file with any rejected row is handed back
 * ("rejects") to be read as text. The guard checks every text column and the file's other columns.
 */
import { basename } from "node:path";
import { fieldKind, type TableRole } from "../../config/columns.ts";
import { type Db, queryRows, sqlIdent } from "../../db.ts";
import { fail, ok, type Result } from "../../problem.ts";
import { problem } from "../../messages.ts";
import { dropRejects, hasRejects, type LoadedFile } from "./load-source.ts";
import { findIdentifiers, identifierProblem } from "./identifiers.ts";
import { dateSql, textSql } from "./cells.ts";
import { TABLES } from "../tables.ts";
import { REL, srcTable, type ReadPlan } from "./read-plan.ts";
import type { TypedRelation } from "./text-relations.ts";

/** What the typed read of a CSV works from: the mapped columns as typed fields, and the columns the guard reads. */
function typedCsvPlan(db: Db, plan: ReadPlan, role: TableRole, file: LoadedFile) {
  const { study } = plan;
  const name = basename(study.sources[role].path);
  const mapping = Object.entries(plan.mapping[role]);
  const key = plan.key[role];
  const typed = plan.typed[role].types;
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
  const isStaffOrPlace = plan.isStaffOrPlace;
  const rejected = async () => {
    const any = await hasRejects(db, file.rejects);
    await dropRejects(db, file.rejects);
    return any;
  };
  return { name, key, textBacked, fields, others, textColumns, isStaffOrPlace, rejected };
}

/** The episodes read typed and guarded; "rejects" when the reader refused a row or cell of them. */
async function typedEpisodes(
  db: Db,
  plan: ReadPlan,
  file: LoadedFile,
  csv: TypedCsvPlan,
): Promise<Result<TypedRelation | "rejects">> {
  const { study } = plan;
  const { name, key, textBacked, fields, others, textColumns, isStaffOrPlace, rejected } = csv;
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
    isStudyDate: plan.isStudyDate,
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
  plan: ReadPlan,
  csv: TypedCsvPlan,
  studyYear: number | null,
  editable: boolean,
): Promise<Result<TypedRelation | "rejects">> {
  const { study } = plan;
  const { name, key, textBacked, fields, others, textColumns, isStaffOrPlace, rejected } = csv;
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
  const guard = { studyYear, isStudyDate: plan.isStudyDate, isStaffOrPlace };
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

export async function readTypedCsv(
  db: Db,
  plan: ReadPlan,
  role: TableRole,
  file: LoadedFile,
  studyYear: number | null,
  editable: boolean,
): Promise<Result<TypedRelation | "rejects">> {
  const { study } = plan;
  const csv = typedCsvPlan(db, plan, role, file);
  const name = csv.name;
  try {
    return role === "episodes"
      ? await typedEpisodes(db, plan, file, csv)
      : await typedSessions(db, plan, csv, studyYear, editable);
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

type TypedCsvPlan = ReturnType<typeof typedCsvPlan>;
