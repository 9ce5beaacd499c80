/**
 * The catalogue of validation rules. Each has a code, a severity and a fix:
 *   error   — the run stops; every failing cell is listed with file, row and column;
 *   warning — the record is excluded, counted under the rule, and listed in internal/02-validation.json.
 * Conditions are SQL over the typed tables built by validate (t_episodes, t_sessions).
 * docs/validation-rules.md documents the same catalogue (a test keeps them in step).
 */
import type { Study } from "../config/study.ts";
import { sqlString } from "../db.ts";
import type { TableRole } from "./ingest.ts";

export type Severity = "error" | "warning";

export interface Rule {
  code: string;
  severity: Severity;
  table: TableRole;
  /** Canonical field the rule is about; reported as the user's column name. */
  field: string;
  /** SQL predicate selecting failing rows. */
  when: (study: Study) => string;
  /** SQL expression for the offending value shown in the message. */
  value: string;
  message: (value: string, study: Study) => string;
  fix: (study: Study) => string;
  /** For warnings: the exclusion reason as it appears in the participant flow. */
  reason?: string;
}

const DATE_FIX = "Write dates as YYYY-MM-DD, for example 2025-03-07.";

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
    when: () => `${field}_text IS NULL`,
    value: "''",
    message: () => `${field} is empty`,
    fix: () => `Fill in ${field} for this ${table === "episodes" ? "episode" : "session"}, or remove the row.`,
  })),
);

const dateRule = (table: TableRole, field: string): Rule => ({
  code: "E_DATE_INVALID",
  severity: "error",
  table,
  field,
  when: () => `${field}_text IS NOT NULL AND ${field} IS NULL`,
  value: `${field}_text`,
  message: (v) => `"${v}" is not a date written YYYY-MM-DD`,
  fix: () => DATE_FIX,
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
    when: () => `${field}_text IS NOT NULL AND ${field} IS NULL`,
    value: `${field}_text`,
    message: (v) => `"${v}" is not a number`,
    fix: (s) => `Give the ${range(s).name} score as a number with a decimal point (e.g. 34 or 34.5), or leave the cell empty if it was not rated.`,
  },
  {
    code: "E_SCORE_OUT_OF_RANGE",
    severity: "error",
    table: "sessions",
    field,
    when: (s) => `${field} IS NOT NULL AND (${field} < ${range(s).min} OR ${field} > ${range(s).max})`,
    value: `${field}_text`,
    message: (v, s) => `${v} is outside the ${range(s).name} range ${range(s).min}–${range(s).max}`,
    fix: (s) => {
      const r = range(s);
      return `Correct the score; if it is a missing-value code, leave the cell empty. If the range is wrong, change ${r.key}.min/max in the config (now ${r.min}–${r.max}).`;
    },
  },
];

/** Range checks for each subscale and other rater's score the config lists (none for the demo's defaults). */
export function componentScoreRules(study: Study): Rule[] {
  return study.allianceComponents.flatMap((c) =>
    scoreRules(c.key, () => ({ name: c.kind === "subscale" ? `${study.alliance.instrument} ${c.label} subscale` : `${c.label} alliance`, min: c.min, max: c.max, key: c.configKey })),
  );
}

export const RULES: Rule[] = [
  ...required,
  {
    code: "E_DUPLICATE_EPISODE",
    severity: "error",
    table: "episodes",
    field: "client_id",
    when: () => "client_id_text IS NOT NULL AND id_seq > 1",
    value: "client_id_text || ' (first on row ' || first_row || ')'",
    message: (v) => `client ${v} has a second episode`,
    fix: () => "This version takes one episode per client: keep one row per client (for example the episode in the study period).",
  },
  dateRule("episodes", "admit_date"),
  dateRule("episodes", "discharge_date"),
  {
    code: "E_DISCHARGE_BEFORE_ADMIT",
    severity: "error",
    table: "episodes",
    field: "discharge_date",
    when: () => "discharge_date < admit_date",
    value: "discharge_date_text || ' < admitted ' || admit_date_text",
    message: (v) => `discharged before admission (${v})`,
    fix: () => "Correct the admission or discharge date; the discharge date cannot precede admission.",
  },
  {
    code: "E_REASON_MISSING",
    severity: "error",
    table: "episodes",
    field: "discharge_reason",
    when: () => "discharge_date IS NOT NULL AND discharge_reason_text IS NULL",
    value: "discharge_date_text",
    message: (v) => `the episode was discharged (${v}) but has no discharge reason`,
    fix: (s) => `Give the discharge reason; these count as dropout: ${s.dropoutReasons.map((r) => `"${r}"`).join(", ")}.`,
  },
  {
    code: "E_REASON_WITHOUT_DISCHARGE",
    severity: "error",
    table: "episodes",
    field: "discharge_date",
    when: () => "discharge_date_text IS NULL AND discharge_reason_text IS NOT NULL",
    value: "discharge_reason_text",
    message: (v) => `has a discharge reason ("${v}") but no discharge date`,
    fix: () => "Give the discharge date, or clear the reason if the episode is still active.",
  },
  {
    code: "E_TIER_UNKNOWN",
    severity: "error",
    table: "episodes",
    field: "tier",
    when: (s) => (s.tiers.method === "column" ? `tier_text IS NULL OR tier_text NOT IN (${s.tiers.labels.map(sqlString).join(", ")})` : "FALSE"),
    value: "coalesce(tier_text, '')",
    message: (v, s) => (v === "" ? "has no tier label" : `"${v}" is not one of the tier labels ${s.tiers.labels.map((l) => `"${l}"`).join(", ")}`),
    fix: () => "Give each episode one of the labels listed in tiers.labels, or add the label there (lowest tier first).",
  },
  dateRule("sessions", "session_date"),
  ...scoreRules("alliance", (s) => ({ name: s.alliance.instrument, min: s.alliance.min, max: s.alliance.max, key: "alliance" })),
  ...scoreRules("outcome", (s) => ({ name: s.outcome.measure, min: s.outcome.min, max: s.outcome.max, key: "outcome" })),
  {
    code: "W_ADMIT_AFTER_CUTOFF",
    severity: "warning",
    table: "episodes",
    field: "admit_date",
    when: (s) => `admit_date > DATE ${sqlString(s.cutoffDate)}`,
    value: "admit_date_text",
    message: (v, s) => `admitted ${v}, after the data cutoff ${s.cutoffDate}`,
    fix: () => "Nothing to fix if the cutoff is right: the episode is left out. Otherwise move cutoff_date.",
    reason: "admitted after the data cutoff",
  },
  // Session warnings in order of precedence: a session is counted under the first that applies.
  {
    code: "W_SESSION_NO_EPISODE",
    severity: "warning",
    table: "sessions",
    field: "client_id",
    when: () => "episode_row IS NULL",
    value: "client_id_text",
    message: (v) => `client ${v} has no episode in the episodes file`,
    fix: () => "Add the client's episode, or correct the client id.",
    reason: "no matching episode",
  },
  {
    code: "W_SESSION_EPISODE_EXCLUDED",
    severity: "warning",
    table: "sessions",
    field: "client_id",
    when: (s) => `episode_admit > DATE ${sqlString(s.cutoffDate)}`,
    value: "client_id_text",
    message: (v) => `belongs to client ${v}, whose episode starts after the cutoff`,
    fix: () => "Nothing to fix: the episode is outside the study period.",
    reason: "episode admitted after the data cutoff",
  },
  {
    code: "W_SESSION_AFTER_CUTOFF",
    severity: "warning",
    table: "sessions",
    field: "session_date",
    when: (s) => `session_date > DATE ${sqlString(s.cutoffDate)}`,
    value: "session_date_text",
    message: (v, s) => `session on ${v}, after the data cutoff ${s.cutoffDate}`,
    fix: () => "Nothing to fix if the cutoff is right: the session is left out.",
    reason: "session after the data cutoff",
  },
  {
    code: "W_SESSION_BEFORE_ADMIT",
    severity: "warning",
    table: "sessions",
    field: "session_date",
    when: () => "session_date < episode_admit",
    value: "session_date_text || ' < admitted ' || strftime(episode_admit, '%Y-%m-%d')",
    message: (v) => `session dated before admission (${v})`,
    fix: () => "Correct the session or admission date.",
    reason: "session before admission",
  },
  {
    code: "W_SESSION_AFTER_DISCHARGE",
    severity: "warning",
    table: "sessions",
    field: "session_date",
    when: () => "session_date > episode_discharge",
    value: "session_date_text || ' > discharged ' || strftime(episode_discharge, '%Y-%m-%d')",
    message: (v) => `session dated after discharge (${v})`,
    fix: () => "Correct the session or discharge date.",
    reason: "session after discharge",
  },
  {
    code: "W_SESSION_DUPLICATE",
    severity: "warning",
    table: "sessions",
    field: "session_date",
    when: () => "date_seq > 1",
    value: "session_date_text || ' (also on row ' || first_row || ')'",
    message: (v) => `second session for the same client on the same day ${v}`,
    fix: () => "Remove the duplicate row, or correct its date. The first row is kept.",
    reason: "duplicate session (same client and day)",
  },
];

/** The warning rules of one table, in order of precedence. */
export const warningRules = (table: TableRole): Rule[] => RULES.filter((r) => r.severity === "warning" && r.table === table);
