/**
 * The derived episodes, as objects (DerivedEpisode) and as typed columns: what derive hands to analyze.
 * Shared by the phases that make and read them (no phase's module: it imports none). A million episode objects
 * took derive about 0.6 s to build and the garbage collector about a second to trace through every
 * analysis; typed columns are read from DuckDB without a JavaScript value per cell. episodeObjects
 * gives the episodes as objects (DerivedEpisode) where a caller wants them (the quarterly reports,
 * tests), and episodeColumns packs objects back into columns.
 */
import type { LabelColumn } from "../db.ts";

export type { LabelColumn };

/**
 * One episode as the analyses see it. It carries no client id: no analysis needs one, and leaving it
 * in the database keeps a million ids out of the analysis objects (internal/03-derived-episodes.csv has it).
 */
export interface DerivedEpisode {
  src_row: number;
  site: string;
  therapist_id: string;
  admit_date: string;
  discharge_date: string | null;
  discharge_reason: string | null;
  n_sessions: number;
  early_alliance: number | null;
  early_alliance_n: number;
  mean_alliance: number | null;
  last_alliance: number | null;
  outcome_first: number | null;
  outcome_last: number | null;
  outcome_n: number;
  outcome_change: number | null;
  days_in_treatment: number;
  closed: boolean;
  dropout: boolean;
  /** Why the episode counts as dropout: its recorded reason, or the no-show rule. */
  dropout_by: "reason" | "no_show" | null;
  tier: string | null;
  /** Early score of each alliance subscale and other rater (study.allianceComponents), by key; null without a rating. */
  early_components: Record<string, number | null>;
}

/** The numeric fields of an episode; NaN stands for null in the nullable ones. */
export const NUMBER_FIELDS = [
  "src_row",
  "n_sessions",
  "early_alliance",
  "early_alliance_n",
  "mean_alliance",
  "last_alliance",
  "outcome_first",
  "outcome_last",
  "outcome_n",
  "outcome_change",
  "days_in_treatment",
] as const;
/** The text fields with few distinct values, and the dates (YYYY-MM-DD), each as codes into its values. */
export const LABEL_FIELDS = [
  "site",
  "therapist_id",
  "admit_date",
  "discharge_date",
  "discharge_reason",
  "dropout_by",
  "tier",
] as const;
/** The yes/no fields, as 0 and 1. */
export const FLAG_FIELDS = ["closed", "dropout"] as const;

export type NumberField = (typeof NUMBER_FIELDS)[number];
export type LabelField = (typeof LABEL_FIELDS)[number];
export type FlagField = (typeof FLAG_FIELDS)[number];

/** Every field of DerivedEpisode, one column each, in the episodes' order (src_row). */
export type EpisodeColumns = { n: number; components: Map<string, Float64Array> } & Record<NumberField, Float64Array> &
  Record<LabelField, LabelColumn> &
  Record<FlagField, Uint8Array>;

/**
 * The episodes as objects, in order.
 * @example episodeObjects(columns)[0].therapist_id // => "T01"
 */
export function episodeObjects(c: EpisodeColumns): DerivedEpisode[] {
  const text = (f: LabelColumn, i: number): string | null => (f.codes[i]! < 0 ? null : f.values[f.codes[i]!]!);
  const num = (f: Float64Array, i: number): number | null => (f[i]! === f[i]! ? f[i]! : null);
  const keys = [...c.components.keys()];
  const out = new Array<DerivedEpisode>(c.n);
  for (let i = 0; i < c.n; i++) {
    const components: Record<string, number | null> = keys.length === 0 ? NO_COMPONENTS : {};
    for (const k of keys) components[k] = num(c.components.get(k)!, i);
    out[i] = {
      src_row: c.src_row[i]!,
      site: text(c.site, i)!,
      therapist_id: text(c.therapist_id, i)!,
      admit_date: text(c.admit_date, i)!,
      discharge_date: text(c.discharge_date, i),
      discharge_reason: text(c.discharge_reason, i),
      n_sessions: c.n_sessions[i]!,
      early_alliance: num(c.early_alliance, i),
      early_alliance_n: c.early_alliance_n[i]!,
      mean_alliance: num(c.mean_alliance, i),
      last_alliance: num(c.last_alliance, i),
      outcome_first: num(c.outcome_first, i),
      outcome_last: num(c.outcome_last, i),
      outcome_n: c.outcome_n[i]!,
      outcome_change: num(c.outcome_change, i),
      days_in_treatment: c.days_in_treatment[i]!,
      closed: c.closed[i] === 1,
      dropout: c.dropout[i] === 1,
      dropout_by: text(c.dropout_by, i) as DerivedEpisode["dropout_by"],
      tier: text(c.tier, i),
      early_components: components,
    };
  }
  return out;
}

/** The early components of every episode of a study that has none (read only, like every episode field). */
const NO_COMPONENTS: Record<string, number | null> = Object.freeze({});

/**
 * Episode objects packed into columns (labels numbered in order of first appearance); `components`
 * are the component keys to keep (by default those of the first episode).
 * @example episodeColumns(episodeObjects(columns)) // => the same fields as columns
 */
export function episodeColumns(
  episodes: readonly DerivedEpisode[],
  components: readonly string[] = Object.keys(episodes[0]?.early_components ?? {}),
): EpisodeColumns {
  const n = episodes.length;
  // Plain loops: TypedArray.from with a function takes the iterator path, several times slower.
  const column = <T extends Float64Array | Uint8Array>(into: T, value: (e: DerivedEpisode) => number): T => {
    for (let i = 0; i < n; i++) into[i] = value(episodes[i]!);
    return into;
  };
  const numbers = Object.fromEntries(
    NUMBER_FIELDS.map((f) => [f, column(new Float64Array(n), (e) => e[f] ?? NaN)]),
  ) as Record<NumberField, Float64Array>;
  const labels = Object.fromEntries(LABEL_FIELDS.map((f) => [f, labelColumn(episodes, (e) => e[f])])) as Record<
    LabelField,
    LabelColumn
  >;
  const flags = Object.fromEntries(
    FLAG_FIELDS.map((f) => [f, column(new Uint8Array(n), (e) => (e[f] ? 1 : 0))]),
  ) as Record<FlagField, Uint8Array>;
  const early = new Map(components.map((k) => [k, column(new Float64Array(n), (e) => e.early_components[k] ?? NaN)]));
  return { n, components: early, ...numbers, ...labels, ...flags };
}

/**
 * A text value of each row as codes into the distinct values, numbered in order of first appearance
 * (−1 for null or undefined).
 * @example labelColumn([{ s: "b" }, { s: null }, { s: "a" }, { s: "b" }], (r) => r.s) // => { codes: Int32Array [0, -1, 1, 0], values: ["b", "a"] }
 */
export function labelColumn<T>(rows: readonly T[], value: (row: T) => string | null | undefined): LabelColumn {
  const index = new Map<string, number>();
  const values: string[] = [];
  const codes = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = value(rows[i]!);
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    let k = index.get(v);
    if (k === undefined) {
      index.set(v, (k = values.length));
      values.push(v);
    }
    codes[i] = k;
  }
  return { codes, values };
}
