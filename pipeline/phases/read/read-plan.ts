/**
 * What read needs of the study, resolved once at its start: the files to load, each role's mapping
 * (field → column) and episode key, how its CSV is read typed, the columns whose SPSS labels replace
 * their codes, and the guard's tests of the study's own dates and of staff and place names. Every
 * step of read takes this value rather than working these out from the config again.
 */
import type { Study } from "../../config/study.ts";
import { columnMapping, episodeKeyColumn, fieldKind, slotColumn, type TableRole } from "../../config/columns.ts";
import type { TypedRead } from "./load-source.ts";
import { datesReadTyped } from "./cells.ts";
import { TABLES } from "../tables.ts";

export interface ReadPlan {
  study: Study;
  /** The files to load: both in the episodes + sessions layout, the one file otherwise. */
  roles: TableRole[];
  /** Each role's mapped fields: field → the file's column. */
  mapping: Record<TableRole, Record<string, string>>;
  /** Each role's episode id column, when the config maps one. */
  key: Record<TableRole, string | null>;
  /** How each role's CSV is read typed (episodes + sessions layout). */
  typed: Record<TableRole, TypedRead>;
  /** Columns whose SPSS value labels replace their codes. */
  labelled: Set<string>;
  /** Whether a column holds the study's own dates (never taken for dates of birth). */
  isStudyDate: (column: string) => boolean;
  /** Whether a column names places, staff or categories (never taken for clients' names). */
  isStaffOrPlace: (column: string) => boolean;
}

/** Fields whose SPSS value labels replace the codes (labels are what the config's reasons and tiers name). */
const LABELLED_FIELDS = ["site", "therapist_id", "discharge_reason"];

/**
 * @example readPlan(study).mapping.sessions.alliance // => "SRS_Total" (the demo)
 */
export function readPlan(study: Study): ReadPlan {
  const roles: TableRole[] = ["episodes", "sessions"];
  const labelled = new Set(
    LABELLED_FIELDS.map((f) => (study.columns.episodes as unknown as Record<string, string | undefined>)[f]).filter(
      (c): c is string => c !== undefined,
    ),
  );
  if (study.tiers.column !== null) labelled.add(study.tiers.column);
  const per = <T>(f: (role: TableRole) => T) => ({ episodes: f("episodes"), sessions: f("sessions") });
  return {
    study,
    roles: study.layout === "tables" ? roles : ["episodes"],
    mapping: per((role) => columnMapping(study, role) as Record<string, string>),
    key: per((role) => episodeKeyColumn(study, role) ?? null),
    typed: per((role) => typedRead(study, role)),
    labelled,
    isStudyDate: studyDateColumn(study),
    isStaffOrPlace: staffOrPlaceColumn(study),
  };
}

/** The relations read hands on, by role. */
export const REL: Record<TableRole, string> = { episodes: TABLES.episodes.name, sessions: TABLES.sessions.name };
/** The file as loaded (a view over the CSV, or a table of its text). */
export const srcTable = (role: TableRole) => `src_${role}`;
/** Text tables of the mapped fields, for the layouts and formats typed from text. */
export const TEXT_TABLE: Record<TableRole, string> = { episodes: "x_episodes", sessions: "x_sessions" };

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

/** Whether a mapped column is in the file; in the wide layout a {i} pattern must match at least session 1. */
export function columnPresent(col: string, columns: string[], study: Study, role: TableRole): boolean {
  if (study.layout === "wide" && role === "sessions" && col.includes("{")) return columns.includes(slotColumn(col, 1));
  return columns.includes(col);
}
