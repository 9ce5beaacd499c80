/**
 * The DuckDB tables that pass between the phases of a run, declared in one place: each one's name,
 * its columns and types, the phase that creates it and the phase that drops it. A phase reads and
 * writes only the tables declared here (and its own scratch tables, which it drops itself), never
 * another phase's internals; the drivers (pipeline/drivers/) call phases in
 * order and hand each the previous one's output.
 *
 *   read ──r_episodes, r_sessions(_rows), r_session_clients──▶ validate ──t_episodes(_rows), v_links, v_session_agg, v_course──▶ derive
 *   (validate drops r_episodes once t_episodes holds it; the other read tables last until derive)
 *
 * The typed data handed on in JS (derived episodes as columns, the analysis) are declared in
 * handoff.ts.
 */
import type { Db } from "../db.ts";
import { sqlIdent } from "../db.ts";

export type Phase = "read" | "validate" | "derive";

export interface TableDeclaration {
  name: string;
  /** A table, or (r_sessions) a view over one. */
  kind: "table" | "table or view";
  createdBy: Phase;
  droppedBy: Phase;
  /** Column → DuckDB type. Fields that depend on the config are described in `also`. */
  columns: Record<string, string>;
  also?: string;
}

export const TABLES = {
  /**
   * One row per episode record, typed: read straight from the file (CSV), or typed from its text
   * (other formats, long and wide layouts). Validate drops it once t_episodes holds it; a quarterly
   * batch, which deletes a failing site's records and validates again, keeps it until derive
   * (ValidateOptions.keepEpisodes).
   */
  episodes: {
    name: "r_episodes",
    kind: "table",
    createdBy: "read",
    droppedBy: "validate",
    columns: {
      src_row: "INTEGER",
      src_slot: "INTEGER",
      client_id: "VARCHAR",
      site: "VARCHAR",
      therapist_id: "VARCHAR",
      admit_date: "DATE",
      discharge_date: "DATE",
      discharge_reason: "VARCHAR",
      episode_key: "VARCHAR",
      conflict_row: "INTEGER",
    },
    also: "tier VARCHAR with a tier column; <field>_text VARCHAR for each field typed from text (ReadOutput.textBacked)",
  },
  /** One row per session record, typed. For a CSV of the episodes + sessions layout, a view that numbers the rows of r_sessions_rows. */
  sessions: {
    name: "r_sessions",
    kind: "table or view",
    createdBy: "read",
    droppedBy: "derive",
    columns: {
      src_row: "INTEGER",
      src_slot: "INTEGER",
      client_id: "VARCHAR",
      episode_key: "VARCHAR",
      session_date: "DATE",
      alliance: "DOUBLE",
      outcome: "DOUBLE",
    },
    also: "therapist_id VARCHAR when sessions name one; item_<i> DOUBLE per alliance item; <component key> DOUBLE per subscale or rater column; <field>_text VARCHAR for each field typed from text",
  },
  /** The session records of a CSV as the typed reader read them, in file order (r_sessions numbers them by rowid, and adds the columns a CSV leaves null: src_slot, conflict_row, and episode_key without an episode id column); absent when the sessions were typed from text. */
  sessionRows: {
    name: "r_sessions_rows",
    kind: "table",
    createdBy: "read",
    droppedBy: "derive",
    columns: { client_id: "VARCHAR", session_date: "DATE", alliance: "DOUBLE", outcome: "DOUBLE" },
    also: "the mapped fields of r_sessions (as r_sessions: items, components, therapist_id, <field>_text), and episode_key VARCHAR when the config names an episode id column",
  },
  /**
   * The client ids of the sessions file that no episode record has (read counts and guards all of
   * them, with their rows, first): with the episodes' ids, every client id of the study, for the
   * release check.
   */
  sessionClients: {
    name: "r_session_clients",
    kind: "table",
    createdBy: "read",
    droppedBy: "derive",
    columns: { client_id: "VARCHAR" },
  },
  /**
   * Episodes as validate types and checks them: r_episodes' columns and what the rules need. A view
   * over t_episodes_rows that adds the columns null on every record.
   */
  typedEpisodes: {
    name: "t_episodes",
    kind: "table or view",
    createdBy: "validate",
    droppedBy: "derive",
    columns: { excluded_code: "ENUM of the episodes' warning codes" },
    also: "every column of r_episodes (client_id, site, therapist_id, discharge_reason as <field>_text), and tier_text VARCHAR; until validate has counted and listed the episodes' rules, id_repeated BOOLEAN, first_row INTEGER, previous_discharge DATE and previous_row INTEGER",
  },
  /** What t_episodes stores: its columns but those null on every record (src_slot, conflict_row, episode_key, tier_text, when they are). */
  typedEpisodeRows: {
    name: "t_episodes_rows",
    kind: "table",
    createdBy: "validate",
    droppedBy: "derive",
    columns: { excluded_code: "ENUM of the episodes' warning codes" },
    also: "the columns of t_episodes that are not null on every record",
  },
  /** The episode each session belongs to: by key (client and episode id), or by date (the client's episode from its admission to the next one's). Temporary; the quarterly batch reads it to leave a site's sessions out. */
  links: {
    name: "v_links",
    kind: "table",
    createdBy: "validate",
    droppedBy: "derive",
    columns: { ep: "INTEGER", client_id: "VARCHAR", admit_date: "DATE", discharge_date: "DATE" },
    also: "episode_key VARCHAR (by key), or from_date and to_date DATE (by date); episode_therapist VARCHAR when the sessions name a therapist",
  },
  /** Per episode (ep = its src_row), the sessions validate kept, summarised as derive needs them. */
  sessionSummary: {
    name: "v_session_agg",
    kind: "table",
    createdBy: "validate",
    droppedBy: "derive",
    columns: {
      ep: "INTEGER",
      n_sessions: "BIGINT",
      last_session: "DATE",
      mean_alliance: "DOUBLE",
      last_alliance: "DOUBLE",
      outcome_first: "DOUBLE",
      outcome_last: "DOUBLE",
      outcome_n: "BIGINT",
    },
    also: "early_<score> DOUBLE[] (the first ratings of the early window) for the alliance and each component",
  },
  /**
   * Each episode's kept sessions, one row per session (a day twice kept once, as the summary counts
   * it): what derive's session-level work (derive/session-course.ts) windows over.
   */
  course: {
    name: "v_course",
    kind: "table",
    createdBy: "validate",
    droppedBy: "derive",
    columns: { ep: "INTEGER", session_date: "DATE", alliance: "DOUBLE", outcome: "DOUBLE" },
  },
} as const satisfies Record<string, TableDeclaration>;

/**
 * Drops the tables a phase is declared to drop (views and tables alike), but those it still reads
 * (`keep`); absent ones are skipped.
 */
export async function dropTablesOf(db: Db, phase: Phase, keep: readonly TableDeclaration[] = []): Promise<void> {
  for (const t of Object.values(TABLES) as TableDeclaration[]) {
    if (t.droppedBy !== phase || keep.includes(t)) continue;
    await db.run(`DROP VIEW IF EXISTS ${sqlIdent(t.name)}`).catch(() => {});
    await db.run(`DROP TABLE IF EXISTS ${sqlIdent(t.name)}`).catch(() => {});
  }
}
