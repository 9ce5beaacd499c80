/**
 * The analysed episodes' fields as typed columns (from derive's columns, or packed from episode
 * objects): the analyses of the main thread read flat arrays. Over a million episode objects each
 * pass cost about a quarter of a second, and a column of numbers with nulls among them is a million
 * boxed numbers for the garbage collector.
 * A missing score is NaN (test with `v === v`); every score the episodes carry is a finite number or null.
 */
import { renumber, type GroupCodes } from "../../../analyses/renumber.ts";
import type { Study } from "../../config/study.ts";
import type { DerivedEpisode, EpisodeColumns, LabelColumn } from "../handoff.ts";
import { episodeColumns } from "../episodes.ts";

/** The scores of an episode that the analyses read, each a column. */
export const SCORE_FIELDS = [
  "early_alliance",
  "mean_alliance",
  "last_alliance",
  "outcome_first",
  "outcome_last",
  "outcome_change",
] as const;
export type ScoreField = (typeof SCORE_FIELDS)[number];

export interface AnalysisColumns {
  n: number;
  /** Each score, NaN where the episode has none. */
  score: Record<ScoreField, Float64Array>;
  /** Each alliance component's early score (study.allianceComponents, by key), NaN where missing. */
  components: Map<string, Float64Array>;
  /** 1 for a closed episode. */
  closed: Uint8Array;
  /** 1 for a dropout. */
  dropout: Uint8Array;
  /** The episode's tier as its place in `tierLabels`; −1 for none (or a label not listed). */
  tier: Int32Array;
  tierLabels: readonly string[];
  /** Sites numbered in order of first appearance; `siteNames[code]` is the name. */
  site: GroupCodes;
  siteNames: string[];
  /** Therapists numbered in order of first appearance. */
  therapist: GroupCodes;
}

/**
 * The columns of the episodes at `rows` (places in `episodes`, in order); `components` are the
 * component keys to read, `tierLabels` the tiers.
 * @example analysisColumns(episodeColumns(episodes), Int32Array.of(0, 2), [], ["low", "high"]).n // => 2
 */
export function analysisColumns(
  episodes: EpisodeColumns,
  rows: Int32Array,
  components: readonly string[],
  tierLabels: readonly string[],
): AnalysisColumns {
  const n = rows.length;
  const score = Object.fromEntries(SCORE_FIELDS.map((f) => [f, valuesAt(episodes[f], rows)])) as Record<
    ScoreField,
    Float64Array
  >;
  // A tier's code in the episodes' list of tiers → its place among the study's tiers (−1 when not one of them).
  const tierPlace = episodes.tier.values.map((v) => tierLabels.indexOf(v));
  const tier = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const code = episodes.tier.codes[rows[k]!]!;
    tier[k] = code < 0 ? -1 : tierPlace[code]!;
  }
  const site = numbered(episodes.site, rows);
  return {
    n,
    score,
    components: new Map(
      components.map((key): [string, Float64Array] => {
        const column = episodes.components.get(key);
        return [key, column ? valuesAt(column, rows) : new Float64Array(n).fill(NaN)];
      }),
    ),
    closed: valuesAt(episodes.closed, rows),
    dropout: valuesAt(episodes.dropout, rows),
    tier,
    tierLabels,
    site: site.codes,
    siteNames: site.names,
    therapist: numbered(episodes.therapist_id, rows).codes,
  };
}

/**
 * A label (never null) of the episodes at `rows`, numbered 0, 1, … in order of first appearance among
 * them, as groupCodes numbers the labels themselves; and the name of each number.
 */
function numbered(label: LabelColumn, rows: Int32Array): { codes: GroupCodes; names: string[] } {
  const picked = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) picked[k] = label.codes[rows[k]!]!;
  const { id, g } = renumber(picked, label.values.length);
  const names = new Array<string>(g);
  for (let k = 0; k < picked.length; k++) names[id[k]!] = label.values[picked[k]!]!;
  return { codes: { codes: id, count: g }, names };
}

/**
 * The analysed episodes (those with an early alliance score) as columns, with the study's alliance
 * components and tiers; from derive's columns, or from episode objects.
 * @example analysedColumns(episodes, study).n // => how many episodes have an early alliance score
 */
export function analysedColumns(
  episodes: EpisodeColumns | readonly DerivedEpisode[],
  study: Pick<Study, "allianceComponents" | "tiers">,
): AnalysisColumns {
  const keys = study.allianceComponents.map((c) => c.key);
  const columns = asColumns(episodes, keys);
  const early = columns.early_alliance;
  const rows = new Int32Array(columns.n);
  let m = 0;
  for (let i = 0; i < columns.n; i++) if (early[i] === early[i]) rows[m++] = i;
  return analysisColumns(columns, rows.subarray(0, m), keys, study.tiers.labels);
}

/**
 * Episodes as columns: derive's as they are, objects packed (for callers that hold objects, such as tests).
 * @example asColumns(episodeObjects(columns), []) // => columns with the same fields
 */
export function asColumns(
  episodes: EpisodeColumns | readonly DerivedEpisode[],
  components: readonly string[],
): EpisodeColumns {
  return Array.isArray(episodes)
    ? episodeColumns(episodes as readonly DerivedEpisode[], components)
    : (episodes as EpisodeColumns);
}

/**
 * The places of the episodes where every column given has a score, in order.
 * @example rowsWith(columns, [columns.score.outcome_first, columns.score.outcome_last]) // => Int32Array [0, 3, …]
 */
export function rowsWith(columns: AnalysisColumns, scores: readonly Float64Array[]): Int32Array {
  const all = new Int32Array(columns.n);
  let m = 0;
  for (let i = 0; i < columns.n; i++) {
    let keep = true;
    for (const s of scores) if (s[i] !== s[i]) keep = false;
    if (keep) all[m++] = i;
  }
  return all.subarray(0, m);
}

/**
 * A column's values (scores, or 0/1 flags) at the rows given, in their order, as a typed column of
 * the same kind (for the analyses that read a subset of the episodes: no array of a million numbers
 * built one by one).
 * @example valuesAt(Float64Array.of(5, 6, 7), [2, 0]) // => Float64Array [7, 5]
 */
export function valuesAt(column: Float64Array, rows: ArrayLike<number>): Float64Array;
export function valuesAt(column: Uint8Array, rows: ArrayLike<number>): Uint8Array;
export function valuesAt(column: Float64Array | Uint8Array, rows: ArrayLike<number>): Float64Array | Uint8Array {
  const out = column instanceof Uint8Array ? new Uint8Array(rows.length) : new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = column[rows[k]!]!;
  return out;
}
