/**
 * Where each canonical field is in the user's files: the config's column mapping as the phases read
 * it (items, subscales and other raters included), the numbered columns of the wide layout, and the
 * column that tells a client's episodes apart.
 */
import type { Study } from "./study.ts";
import { itemField } from "../instruments/score-sql.ts";

export type TableRole = "episodes" | "sessions";

/** Canonical field → the user's column, for one table: mapped fields, tier, item columns and component columns. */
export function columnMapping(study: Study, role: TableRole): Record<string, string> {
  const { episode_id: _e, ...base } = study.columns[role] as unknown as Record<string, string>;
  if (role === "sessions") {
    const items = study.itemScoring?.columns.map((c, i): [string, string] => [itemField(i + 1), c]) ?? [];
    const components = study.allianceComponents
      .filter((c) => c.column !== null)
      .map((c): [string, string] => [c.key, c.column!]);
    return { ...base, ...Object.fromEntries(items), ...Object.fromEntries(components) };
  }
  return study.tiers.column !== null ? { ...base, tier: study.tiers.column } : base;
}

/**
 * A wide-layout column pattern for session s: {i} is the session number, except in item columns,
 * whose {i} is already the item number and whose {s} is the session number.
 * @example slotColumn("srs_{i}", 3) // => "srs_3"; slotColumn("wai2_s{s}", 3) // => "wai2_s3"
 */
export function slotColumn(pattern: string, session: number): string {
  return pattern.includes("{s}")
    ? pattern.replaceAll("{s}", String(session))
    : pattern.replaceAll("{i}", String(session));
}

/**
 * The column that tells a client's episodes apart in one table: the episode id; in the long layout
 * without one, the admission date. Null when sessions are linked to episodes by date.
 */
export function episodeKeyColumn(study: Study, role: TableRole): string | null {
  if (study.layout === "long") return study.columns.episodes.episode_id ?? study.columns.episodes.admit_date;
  return (role === "episodes" ? study.columns.episodes.episode_id : study.columns.sessions.episode_id) ?? null;
}

/** The kind of value a canonical field holds, which decides how it is read and checked. */
export function fieldKind(field: string): "date" | "score" | "text" {
  if (field.endsWith("_date")) return "date";
  if (
    ["alliance", "outcome"].includes(field) ||
    field.startsWith("item_") ||
    field.startsWith("subscale_") ||
    field.startsWith("rater_")
  )
    return "score";
  return "text";
}

/**
 * Whether sessions carry their episode (an episode id, or the long and wide layouts) or are linked to
 * the client's episode whose time they fall in.
 */
export const linksByKey = (study: Study): boolean =>
  study.layout !== "tables" || study.columns.sessions.episode_id !== undefined;
