/**
 * The catalogue of validation rules. Each has a code, a severity and a fix:
 *   error   — the run stops; every failing cell is listed with file, row and column;
 *   warning — the record is excluded, counted under the rule, and listed in internal/02-validation.json;
 *   note    — reported and counted; the record is kept.
 * Conditions are SQL over the typed tables built by validate (t_episodes, t_sessions).
 * docs/validation-rules.md documents the same catalogue (a test keeps them in step).
 */
import type { Study } from "../../config/study.ts";
import { sqlString } from "../../db.ts";
import type { TableRole } from "../../config/columns.ts";
import { itemField } from "../../instruments/score-sql.ts";
import { fixOf, text } from "../../messages.ts";
import { type Severity } from "../handoff.ts";
export type { Severity };

export interface Rule {
  code: string;
  severity: Severity;
  table: TableRole;
  /** Canonical field the rule is about; reported as the user's column name. */
  field: string;
  /** SQL predicate selecting failing rows. */
  when: (study: Study, cells?: Cells) => string;
  /** SQL expression for the offending value shown in the message. */
  value: string | ((cells: Cells) => string);
  message: (value: string, study: Study) => string;
  fix: (study: Study) => string;
  /** For warnings: the exclusion reason as it appears in the participant flow. */
  reason?: string;
}

/**
 * How a rule reads a field's cells: fields typed from text keep the text beside the value
 * (`<field>_text`); fields the reader typed have no text, and a cell that did not type never reaches
 * the rules (the reader reported it).
 */
export interface Cells {
  /** SQL: the cell is empty. */
  missing(field: string): string;
  /** SQL: the cell holds text that does not read as the field's value. */
  unreadable(field: string): string;
  /** SQL: the cell as the message shows it. */
  shown(field: string): string;
}

/** Cells of fields that all keep their text (the relations validate builds for text-typed files). */
export const TEXT_CELLS: Cells = {
  missing: (f) => `${f}_text IS NULL`,
  unreadable: (f) => `${f}_text IS NOT NULL AND ${f} IS NULL`,
  shown: (f) => `${f}_text`,
};

/** Cells where only `backed` fields keep their text. */
export function cellsOf(backed: readonly string[]): Cells {
  const has = (f: string) => backed.includes(f);
  return {
    missing: (f) => (has(f) ? `${f}_text IS NULL` : `${f} IS NULL`),
    unreadable: (f) => (has(f) ? `${f}_text IS NOT NULL AND ${f} IS NULL` : "FALSE"),
    shown: (f) =>
      has(f)
        ? `${f}_text`
        : `CASE WHEN ${f} = trunc(${f}) AND abs(${f}) < 1e15 THEN ${f}::BIGINT::VARCHAR ELSE ${f}::VARCHAR END`,
  };
}

/** The SQL of a rule's predicate and shown value under the cells given. */
export const ruleWhen = (r: Rule, study: Study, cells: Cells): string => r.when(study, cells);
export const ruleValue = (r: Rule, cells: Cells): string => (typeof r.value === "string" ? r.value : r.value(cells));

/** How dates may be written under the study's values.date_format, for messages. */
const dateForms = (s: Study): string =>
  ({ iso: "YYYY-MM-DD", us: "YYYY-MM-DD or MM/DD/YYYY", day_first: "YYYY-MM-DD or DD/MM/YYYY" })[s.values.dateFormat] +
  (s.values.excelSerialDates ? " or an Excel serial number" : "");

const dateArgs = (v: string, s: Study) => ({ value: v, forms: dateForms(s), dateFormat: s.values.dateFormat });

const requiredFields: Record<TableRole, string[]> = {
  episodes: ["client_id", "site", "therapist_id", "admit_date"],
  sessions: ["client_id", "session_date"],
};

const required: Rule[] = (["episodes", "sessions"] as const).flatMap((table) =>
  requiredFields[table].map((field) => ({
    code: "E_REQUIRED_MISSING",
    severity: "error" as const,
    table,
    field,
    when: (_s, c = TEXT_CELLS) => c.missing(field),
    value: "''",
    message: () => text("E_REQUIRED_MISSING", { field, record: table === "episodes" ? "episode" : "session" }),
    fix: () => fixOf("E_REQUIRED_MISSING", { field, record: table === "episodes" ? "episode" : "session" }),
  })),
);

const dateRule = (table: TableRole, field: string): Rule => ({
  code: "E_DATE_INVALID",
  severity: "error",
  table,
  field,
  when: (_s, c = TEXT_CELLS) => c.unreadable(field),
  value: (c) => c.shown(field),
  message: (v, s) => text("E_DATE_INVALID", dateArgs(v, s)),
  fix: (s) => fixOf("E_DATE_INVALID", dateArgs("", s)),
});

/** What a score column is checked against: its instrument's name and range, and the config key that sets them. */
interface ScoreRange {
  name: string;
  min: number;
  max: number;
  key: string;
}

const scoreRules = (field: string, range: (s: Study) => ScoreRange): Rule[] => [
  {
    code: "E_SCORE_NOT_NUMBER",
    severity: "error",
    table: "sessions",
    field,
    when: (_s, c = TEXT_CELLS) => c.unreadable(field),
    value: (c) => c.shown(field),
    message: (v, s) => text("E_SCORE_NOT_NUMBER", { value: v, name: range(s).name }),
    fix: (s) => fixOf("E_SCORE_NOT_NUMBER", { value: "", name: range(s).name }),
  },
  {
    code: "E_SCORE_OUT_OF_RANGE",
    severity: "error",
    table: "sessions",
    field,
    when: (s) => `${field} IS NOT NULL AND (${field} < ${range(s).min} OR ${field} > ${range(s).max})`,
    value: (c) => c.shown(field),
    message: (v, s) => text("E_SCORE_OUT_OF_RANGE", { value: v, ...range(s) }),
    fix: (s) => fixOf("E_SCORE_OUT_OF_RANGE", { value: "", ...range(s) }),
  },
];

/** Range checks for each item of an instrument scored from items. */
export function itemScoreRules(study: Study): Rule[] {
  const s = study.itemScoring;
  if (!s) return [];
  return s.columns.flatMap((_, i) =>
    scoreRules(itemField(i + 1), () => ({
      name: `${s.def.name} item ${i + 1}`,
      min: s.def.itemMin,
      max: s.def.itemMax,
      key: "alliance.items",
    })),
  );
}

/** Range checks for each subscale and other rater's score the config lists (none for the demo's defaults). */
export function componentScoreRules(study: Study): Rule[] {
  return study.allianceComponents
    .filter((c) => c.column !== null)
    .flatMap((c) =>
      scoreRules(c.key, () => ({
        name: c.kind === "subscale" ? `${study.alliance.instrument} ${c.label} subscale` : `${c.label} alliance`,
        min: c.min,
        max: c.max,
        key: c.configKey,
      })),
    );
}

export const RULES: Rule[] = [
  ...required,
  {
    code: "E_DUPLICATE_EPISODE",
    severity: "error",
    table: "episodes",
    field: "client_id",
    when: (s) => (s.layout === "long" ? "FALSE" : "client_id_text IS NOT NULL AND id_repeated"),
    value: "first_row::VARCHAR",
    message: (v, s) => text("E_DUPLICATE_EPISODE", { firstRow: v, byId: s.columns.episodes.episode_id !== undefined }),
    fix: (s) => fixOf("E_DUPLICATE_EPISODE", { firstRow: "", byId: s.columns.episodes.episode_id !== undefined }),
  },
  {
    code: "E_EPISODES_OVERLAP",
    severity: "error",
    table: "episodes",
    field: "admit_date",
    when: (s) =>
      s.layout === "tables" && s.columns.sessions.episode_id === undefined
        ? "previous_row IS NOT NULL AND NOT id_repeated AND (previous_discharge IS NULL OR admit_date <= previous_discharge)"
        : "FALSE",
    value: "previous_row || CASE WHEN previous_discharge IS NULL THEN ' open' ELSE '' END",
    message: (v) => text("E_EPISODES_OVERLAP", { previousRow: v.replace(/ open$/, ""), open: v.endsWith(" open") }),
    fix: () => fixOf("E_EPISODES_OVERLAP", { previousRow: "", open: false }),
  },
  {
    code: "E_EPISODE_FIELDS_DIFFER",
    severity: "error",
    table: "episodes",
    field: "site",
    when: () => "conflict_row IS NOT NULL",
    value: "conflict_row::VARCHAR",
    message: (v) => text("E_EPISODE_FIELDS_DIFFER", { row: v }),
    fix: () => fixOf("E_EPISODE_FIELDS_DIFFER", { row: "" }),
  },
  dateRule("episodes", "admit_date"),
  dateRule("episodes", "discharge_date"),
  {
    code: "E_DISCHARGE_BEFORE_ADMIT",
    severity: "error",
    table: "episodes",
    field: "discharge_date",
    when: () => "discharge_date < admit_date",
    value: "''",
    message: () => text("E_DISCHARGE_BEFORE_ADMIT", {}),
    fix: () => fixOf("E_DISCHARGE_BEFORE_ADMIT", {}),
  },
  {
    code: "E_REASON_MISSING",
    severity: "error",
    table: "episodes",
    field: "discharge_reason",
    when: () => "discharge_date IS NOT NULL AND discharge_reason_text IS NULL",
    value: "''",
    message: (_v, s) => text("E_REASON_MISSING", { dropoutReasons: s.dropoutReasons }),
    fix: (s) => fixOf("E_REASON_MISSING", { dropoutReasons: s.dropoutReasons }),
  },
  {
    code: "E_REASON_WITHOUT_DISCHARGE",
    severity: "error",
    table: "episodes",
    field: "discharge_date",
    when: (_s, c = TEXT_CELLS) => `${c.missing("discharge_date")} AND discharge_reason_text IS NOT NULL`,
    value: "discharge_reason_text",
    message: (v) => text("E_REASON_WITHOUT_DISCHARGE", { value: v }),
    fix: () => fixOf("E_REASON_WITHOUT_DISCHARGE", { value: "" }),
  },
  {
    code: "E_REASON_UNKNOWN",
    severity: "error",
    table: "episodes",
    field: "discharge_reason",
    when: (s) => (s.otherReasons === null ? "FALSE" : unlistedReason(s)),
    value: "discharge_reason_text",
    message: (v) => text("E_REASON_UNKNOWN", { value: v }),
    fix: () => fixOf("E_REASON_UNKNOWN", { value: "" }),
  },
  {
    code: "N_REASON_OTHER",
    severity: "note",
    table: "episodes",
    field: "discharge_reason",
    when: (s) => (s.otherReasons !== null ? "FALSE" : unlistedReason(s)),
    value: "discharge_reason_text",
    message: (v) => text("N_REASON_OTHER", { value: v }),
    fix: () => fixOf("N_REASON_OTHER", { value: "" }),
  },
  {
    code: "E_TIER_UNKNOWN",
    severity: "error",
    table: "episodes",
    field: "tier",
    when: (s) =>
      s.tiers.method === "column"
        ? `tier_text IS NULL OR tier_text NOT IN (${s.tiers.labels.map(sqlString).join(", ")})`
        : "FALSE",
    value: "coalesce(tier_text, '')",
    message: (v, s) => text("E_TIER_UNKNOWN", { value: v, labels: s.tiers.labels }),
    fix: (s) => fixOf("E_TIER_UNKNOWN", { value: "", labels: s.tiers.labels }),
  },
  dateRule("sessions", "session_date"),
  ...scoreRules("alliance", (s) => ({
    name: s.alliance.instrument,
    min: s.alliance.min,
    max: s.alliance.max,
    key: "alliance",
  })),
  ...scoreRules("outcome", (s) => ({
    name: s.outcome.measure,
    min: s.outcome.min,
    max: s.outcome.max,
    key: "outcome",
  })),
  {
    code: "W_ADMIT_AFTER_CUTOFF",
    severity: "warning",
    table: "episodes",
    field: "admit_date",
    when: (s) => `admit_date > DATE ${sqlString(s.cutoffDate)}`,
    value: "''",
    message: (_v, s) => text("W_ADMIT_AFTER_CUTOFF", { cutoff: s.cutoffDate }),
    fix: (s) => fixOf("W_ADMIT_AFTER_CUTOFF", { cutoff: s.cutoffDate }),
    reason: "admitted after the data cutoff",
  },
  // Session warnings in order of precedence: a session is counted under the first that applies.
  {
    code: "W_SESSION_NO_EPISODE",
    severity: "warning",
    table: "sessions",
    field: "client_id",
    when: () => "episode_row IS NULL",
    value: "''",
    message: (_v, s) =>
      text("W_SESSION_NO_EPISODE", {
        byEpisodeId: s.layout === "tables" && s.columns.sessions.episode_id !== undefined,
      }),
    fix: () => fixOf("W_SESSION_NO_EPISODE", { byEpisodeId: false }),
    reason: "no matching episode",
  },
  {
    code: "W_SESSION_EPISODE_EXCLUDED",
    severity: "warning",
    table: "sessions",
    field: "client_id",
    when: (s) => `episode_admit > DATE ${sqlString(s.cutoffDate)}`,
    value: "''",
    message: () => text("W_SESSION_EPISODE_EXCLUDED", {}),
    fix: () => fixOf("W_SESSION_EPISODE_EXCLUDED", {}),
    reason: "episode admitted after the data cutoff",
  },
  {
    code: "W_SESSION_AFTER_CUTOFF",
    severity: "warning",
    table: "sessions",
    field: "session_date",
    when: (s) => `session_date > DATE ${sqlString(s.cutoffDate)}`,
    value: "''",
    message: (_v, s) => text("W_SESSION_AFTER_CUTOFF", { cutoff: s.cutoffDate }),
    fix: (s) => fixOf("W_SESSION_AFTER_CUTOFF", { cutoff: s.cutoffDate }),
    reason: "session after the data cutoff",
  },
  {
    code: "W_SESSION_BEFORE_ADMIT",
    severity: "warning",
    table: "sessions",
    field: "session_date",
    when: () => "session_date < episode_admit",
    value: "''",
    message: () => text("W_SESSION_BEFORE_ADMIT", {}),
    fix: () => fixOf("W_SESSION_BEFORE_ADMIT", {}),
    reason: "session before admission",
  },
  {
    code: "W_SESSION_AFTER_DISCHARGE",
    severity: "warning",
    table: "sessions",
    field: "session_date",
    when: () => "session_date > episode_discharge",
    value: "''",
    message: () => text("W_SESSION_AFTER_DISCHARGE", {}),
    fix: () => fixOf("W_SESSION_AFTER_DISCHARGE", {}),
    reason: "session after discharge",
  },
  {
    code: "W_SESSION_DUPLICATE",
    severity: "warning",
    table: "sessions",
    field: "session_date",
    when: () => "first_row IS NOT NULL", // the row of the client's earlier session on that date
    value: "first_row::VARCHAR",
    message: (v) => text("W_SESSION_DUPLICATE", { firstRow: v }),
    fix: () => fixOf("W_SESSION_DUPLICATE", { firstRow: "" }),
    reason: "duplicate session (same client and day)",
  },
  {
    code: "N_THERAPIST_CHANGED",
    severity: "note",
    table: "sessions",
    field: "therapist_id",
    when: () => "therapist_changed",
    value: "therapist_id_text || ' (the episode has ' || episode_therapist || ')'",
    message: (v) => text("N_THERAPIST_CHANGED", { value: v }),
    fix: () => fixOf("N_THERAPIST_CHANGED", { value: "" }),
  },
];

/** SQL: the episode's discharge reason is in none of the config's lists (dropout, completion, other). */
function unlistedReason(s: Study): string {
  const known = [...s.dropoutReasons, ...s.completionReasons, ...(s.otherReasons ?? [])].map(sqlString).join(", ");
  return `discharge_reason_text IS NOT NULL AND discharge_reason_text NOT IN (${known})`;
}

/** The warning rules of one table, in order of precedence. */
export const warningRules = (table: TableRole): Rule[] =>
  RULES.filter((r) => r.severity === "warning" && r.table === table);
