/**
 * The catalogue of validation rules. Each has a code, a severity and a fix:
 *   error   — the run stops; every failing cell is listed with file, row and column;
 *   warning — the record is excluded, counted under the rule, and listed in internal/02-validation.json;
 *   note    — reported and counted; the record is kept.
 * Conditions are SQL over the typed tables built by validate (t_episodes, t_sessions).
 * docs/validation-rules.md documents the same catalogue (a test keeps them in step).
 */
import type { Study } from "../config/study.ts";
import { sqlString } from "../db.ts";
import type { TableRole } from "./ingest.ts";
import { itemField } from "../instruments/score-sql.ts";

export type Severity = "error" | "warning" | "note";

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

/** How dates may be written under the study's values.date_format, for messages. */
const dateForms = (s: Study): string =>
  ({ iso: "YYYY-MM-DD", us: "YYYY-MM-DD or MM/DD/YYYY", day_first: "YYYY-MM-DD or DD/MM/YYYY" })[s.values.dateFormat] + (s.values.excelSerialDates ? " or an Excel serial number" : "");

const dateFix = (s: Study): string =>
  s.values.dateFormat === "iso"
    ? "Write dates as YYYY-MM-DD, for example 2025-03-07. If the file writes them MM/DD/YYYY or DD/MM/YYYY, say which with values.date_format (us or day_first) in the config; ambiguous dates are never guessed."
    : `Write dates as ${dateForms(s)}, and check that values.date_format (${s.values.dateFormat}) is how the file writes them.`;

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
  message: (v, s) => `"${v}" is not a date written ${dateForms(s)}`,
  fix: dateFix,
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

/** Range checks for each item of an instrument scored from items. */
export function itemScoreRules(study: Study): Rule[] {
  const s = study.itemScoring;
  if (!s) return [];
  return s.columns.flatMap((_, i) => scoreRules(itemField(i + 1), () => ({ name: `${s.def.name} item ${i + 1}`, min: s.def.itemMin, max: s.def.itemMax, key: "alliance.items" })));
}

/** Range checks for each subscale and other rater's score the config lists (none for the demo's defaults). */
export function componentScoreRules(study: Study): Rule[] {
  return study.allianceComponents.filter((c) => c.column !== null).flatMap((c) =>
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
    when: (s) => (s.layout === "long" ? "FALSE" : "client_id_text IS NOT NULL AND id_repeated"),
    value: "client_id_text || ' (first on row ' || first_row || ')'",
    message: (v, s) => `client ${v} has a second episode with the same ${s.columns.episodes.episode_id !== undefined ? "episode id" : "admission date"}`,
    fix: (s) =>
      s.columns.episodes.episode_id !== undefined
        ? "Give each episode its own id, or remove the repeated row."
        : "A client's episodes are told apart by admission date: remove the repeated row, or map columns.episodes.episode_id if the file has an episode id.",
  },
  {
    code: "E_EPISODES_OVERLAP",
    severity: "error",
    table: "episodes",
    field: "admit_date",
    when: (s) => (s.layout === "tables" && s.columns.sessions.episode_id === undefined ? "previous_row IS NOT NULL AND NOT id_repeated AND (previous_discharge IS NULL OR admit_date <= previous_discharge)" : "FALSE"),
    value: "admit_date_text || ' (the episode on row ' || previous_row || ' ' || coalesce('was discharged ' || strftime(previous_discharge, '%Y-%m-%d'), 'is still open') || ')'",
    message: (v) => `the client's episode admitted ${v} starts before the client's previous episode ends`,
    fix: () => "Sessions are given to the episode whose dates they fall in, so a client's episodes must not overlap: correct the dates, or give episodes and sessions an episode id (columns.*.episode_id).",
  },
  {
    code: "E_EPISODE_FIELDS_DIFFER",
    severity: "error",
    table: "episodes",
    field: "site",
    when: () => "conflict_row IS NOT NULL",
    value: "conflict_row::VARCHAR",
    message: (v) => `the episode's site, dates, discharge reason or tier on row ${v} differ from its first row`,
    fix: () => "In a long file every row of an episode repeats the same episode fields: correct the row, or give the rows distinct episode ids if they are different episodes.",
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
    code: "E_REASON_UNKNOWN",
    severity: "error",
    table: "episodes",
    field: "discharge_reason",
    when: (s) => (s.otherReasons === null ? "FALSE" : unlistedReason(s)),
    value: "discharge_reason_text",
    message: (v) => `"${v}" is not a discharge reason the config lists`,
    fix: () => "Correct the reason, or add it to dropout_reasons, completion_reasons or other_discharge_reasons (spelled exactly as in the data).",
  },
  {
    code: "N_REASON_OTHER",
    severity: "note",
    table: "episodes",
    field: "discharge_reason",
    when: (s) => (s.otherReasons !== null ? "FALSE" : unlistedReason(s)),
    value: "discharge_reason_text",
    message: (v) => `"${v}" is neither a dropout nor a completion reason, so it counts as another reason (neither dropout nor completion)`,
    fix: () => "Nothing to fix if that is right; list it under other_discharge_reasons to say so, or under dropout_reasons or completion_reasons.",
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
    message: (v, s) => (s.layout === "tables" && s.columns.sessions.episode_id !== undefined ? `client ${v} has no episode with this episode id` : `client ${v} has no episode in the episodes file`),
    fix: () => "Add the client's episode, or correct the client id (and episode id).",
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
    when: () => "first_row IS NOT NULL", // the row of the client's earlier session on that date
    value: "session_date_text || ' (also on row ' || first_row || ')'",
    message: (v) => `second session for the same client on the same day ${v}`,
    fix: () => "Remove the duplicate row, or correct its date. The first row is kept.",
    reason: "duplicate session (same client and day)",
  },
  {
    code: "N_THERAPIST_CHANGED",
    severity: "note",
    table: "sessions",
    field: "therapist_id",
    when: () => "therapist_changed",
    value: "therapist_id_text || ' (the episode has ' || episode_therapist || ')'",
    message: (v) => `the episode's therapist changes at this session: ${v}`,
    fix: () => "Nothing to fix if the client changed therapist: analyses by therapist use the episode's therapist. Otherwise correct the therapist id.",
  },
];

/** SQL: the episode's discharge reason is in none of the config's lists (dropout, completion, other). */
function unlistedReason(s: Study): string {
  const known = [...s.dropoutReasons, ...s.completionReasons, ...(s.otherReasons ?? [])].map(sqlString).join(", ");
  return `discharge_reason_text IS NOT NULL AND discharge_reason_text NOT IN (${known})`;
}

/** The warning rules of one table, in order of precedence. */
export const warningRules = (table: TableRole): Rule[] => RULES.filter((r) => r.severity === "warning" && r.table === table);
