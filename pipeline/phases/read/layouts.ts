/**
 * The long layout (a row per session, the episode's fields repeated) and the wide layout (a row per
 * episode, sessions in numbered columns) into the text tables of episodes and sessions.
 */
import { slotColumn, type TableRole } from "../../config/columns.ts";
import { type Db, sqlIdent } from "../../db.ts";
import { problem } from "../../messages.ts";
import { type LoadedFile } from "./load-source.ts";
import { srcTable, TEXT_TABLE, type ReadPlan } from "./read-plan.ts";

/** Session numbers tried in the wide layout before giving up. */
const MAX_SLOTS = 1000;

async function buildRaw(
  db: Db,
  plan: ReadPlan,
  role: TableRole,
  from: string,
  row: string,
  read: (c: string) => string,
  where = "TRUE",
): Promise<void> {
  const { study } = plan;
  const select = Object.entries(plan.mapping[role]).map(([field, col]) => `${read(sqlIdent(col))} AS ${field}`);
  const key = plan.key[role];
  await db.run(
    `CREATE OR REPLACE TABLE ${TEXT_TABLE[role]} AS SELECT ${row}::INTEGER AS src_row, NULL::INTEGER AS src_slot, ${select.join(", ")}, ${key ? read(sqlIdent(key)) : "NULL::VARCHAR"} AS episode_key, NULL::INTEGER AS conflict_row FROM ${from} WHERE ${where}`,
  );
}

/** Session fields that make a row of a long file a session (all but the ids and the therapist). */
function sessionValueColumns(plan: ReadPlan): string[] {
  const { study } = plan;
  return Object.entries(plan.mapping.sessions)
    .filter(([field]) => !["client_id", "episode_id", "therapist_id"].includes(field))
    .map(([, col]) => col);
}

/**
 * Long layout: every row is a session (or, with every session field empty, an episode without
 * sessions); its episode is the client with the episode id (or, without
 * one, the admission date). The episode's fields are read from its first row; conflict_row names the
 * first later row whose episode fields (other than the therapist) differ, for validate to report.
 */
export async function buildLong(db: Db, plan: ReadPlan, row: string, read: (c: string) => string): Promise<void> {
  const { study } = plan;
  // A row whose session fields are all empty carries only its episode (an episode without sessions).
  const isSession = sessionValueColumns(plan)
    .map((c) => `${read(sqlIdent(c))} IS NOT NULL`)
    .join(" OR ");
  await buildRaw(db, plan, "sessions", srcTable("episodes"), row, read, isSession);
  const ep = plan.mapping.episodes;
  const fields = Object.keys(ep);
  const compared = fields.filter((x) => x !== "therapist_id" && x !== "client_id");
  await db.run(`
    CREATE OR REPLACE TABLE ${TEXT_TABLE.episodes} AS
    WITH rows AS (
      SELECT ${row}::INTEGER AS src_row, ${fields.map((f) => `${read(sqlIdent(ep[f]!))} AS ${f}`).join(", ")}, ${read(sqlIdent(plan.key.episodes!))} AS episode_key
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
export async function buildWide(db: Db, plan: ReadPlan, file: LoadedFile, read: (c: string) => string): Promise<void> {
  const { study } = plan;
  await buildRaw(db, plan, "episodes", srcTable("episodes"), file.row, read);
  await db.run(`UPDATE ${TEXT_TABLE.episodes} SET episode_key = src_row::VARCHAR`);
  const sessionFields = Object.entries(plan.mapping.sessions).filter(([f]) => f !== "client_id" && f !== "episode_id");
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
