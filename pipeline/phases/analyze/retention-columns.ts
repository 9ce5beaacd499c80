/**
 * The episodes' fields that retention reads (RetentionEpisode), packed into typed arrays and back, so
 * that a worker thread can analyse retention while the main thread runs the other analyses: typed
 * arrays move between threads without being copied, where a million episode objects would be
 * serialised one by one.
 */
import type { RetentionEpisode } from "./analyze-retention.ts";
import type { DerivedEpisode, EpisodeColumns, LabelColumn } from "../handoff.ts";
import { labelColumn } from "../episodes.ts";

/** Text fields as codes into their own list of distinct values (-1 for null). */
type Coded = LabelColumn;

export interface RetentionColumns {
  n: number;
  days: Float64Array;
  /** Bit 0: dropout; bit 1: closed. */
  flags: Uint8Array;
  tier: Coded;
  discharge_reason: Coded;
  admit_date: Coded;
  dropout_by: Coded;
  therapist_id: Coded;
  site: Coded;
}

/**
 * Packs the fields retention reads.
 * @example episodesFromColumns(retentionColumns(episodes)) // => the same fields, episode by episode
 */
export function retentionColumns(episodes: readonly RetentionEpisode[]): RetentionColumns {
  const n = episodes.length;
  const days = new Float64Array(n);
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const e = episodes[i]!;
    days[i] = e.days_in_treatment;
    flags[i] = (e.dropout ? 1 : 0) | (e.closed ? 2 : 0);
  }
  return {
    n,
    days,
    flags,
    tier: labelColumn(episodes, (e) => e.tier),
    discharge_reason: labelColumn(episodes, (e) => e.discharge_reason),
    admit_date: labelColumn(episodes, (e) => e.admit_date),
    dropout_by: labelColumn(episodes, (e) => e.dropout_by),
    therapist_id: labelColumn(episodes, (e) => e.therapist_id),
    site: labelColumn(episodes, (e) => e.site),
  };
}

/**
 * Packs the fields retention reads from derive's columns: copies of them, since the copies' buffers
 * move to the worker and the main thread goes on reading the columns.
 * @example episodesFromColumns(retentionColumnsOf(columns)) // => the fields of episodeObjects(columns)
 */
export function retentionColumnsOf(c: EpisodeColumns): RetentionColumns {
  const flags = new Uint8Array(c.n);
  for (let i = 0; i < c.n; i++) flags[i] = c.dropout[i]! | (c.closed[i]! << 1);
  const copy = (f: LabelColumn): Coded => ({ values: f.values, codes: f.codes.slice() });
  return {
    n: c.n,
    days: c.days_in_treatment.slice(),
    flags,
    tier: copy(c.tier),
    discharge_reason: copy(c.discharge_reason),
    admit_date: copy(c.admit_date),
    dropout_by: copy(c.dropout_by),
    therapist_id: copy(c.therapist_id),
    site: copy(c.site),
  };
}

/** The buffers of packed columns, to transfer rather than copy them to a worker. */
export const columnBuffers = (c: RetentionColumns): ArrayBuffer[] =>
  [
    c.days,
    c.flags,
    c.tier.codes,
    c.discharge_reason.codes,
    c.admit_date.codes,
    c.dropout_by.codes,
    c.therapist_id.codes,
    c.site.codes,
  ].map((a) => a.buffer as ArrayBuffer);

/** Unpacks packed columns into episodes with the fields retention reads. */
export function episodesFromColumns(c: RetentionColumns): RetentionEpisode[] {
  const text = (f: Coded, i: number) => (f.codes[i]! < 0 ? null : f.values[f.codes[i]!]!);
  const out = new Array<RetentionEpisode>(c.n);
  for (let i = 0; i < c.n; i++) {
    out[i] = {
      tier: text(c.tier, i),
      days_in_treatment: c.days[i]!,
      dropout: (c.flags[i]! & 1) !== 0,
      closed: (c.flags[i]! & 2) !== 0,
      discharge_reason: text(c.discharge_reason, i),
      admit_date: c.admit_date.values[c.admit_date.codes[i]!]!,
      dropout_by: text(c.dropout_by, i) as DerivedEpisode["dropout_by"],
      therapist_id: text(c.therapist_id, i) ?? undefined,
      site: text(c.site, i) ?? undefined,
    };
  }
  return out;
}
