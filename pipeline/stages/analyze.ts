/**
 * Stage 4, analyze: the statistics of the report from the derived episodes, exact and
 * unsuppressed (artifact internal/04-analysis.json). shareable.ts then applies small-cell
 * suppression to make results.json. Pure: no I/O.
 */
import { pairwiseComplete } from "../../analyses/pairwise-complete.ts";
import { pearson } from "../../analyses/pearson.ts";
import { spearman } from "../../analyses/spearman.ts";
import { wilson } from "../../analyses/wilson.ts";
import { linearFit } from "../../analyses/linear-fit.ts";
import { binnedMeans, type Bin } from "../../analyses/binned-means.ts";
import type { CorrelationEstimate } from "../../analyses/correlation-result.ts";
import type { Study } from "../config/study.ts";
import type { CorrelationY } from "../results.ts";
import type { DerivedEpisode } from "./derive.ts";

export const CONFIDENCE_LEVEL = 0.95;
/** At most this many bins in the binned scatter. */
export const MAX_SCATTER_BINS = 10;

export interface ExactCorrelation {
  y: CorrelationY;
  method: "pearson" | "spearman";
  n: number;
  /** null when n < 4 or a variable is constant; `reason` says which. */
  result: CorrelationEstimate | null;
  reason?: string;
}

export interface ExactTier {
  tier: string;
  episodes: number;
  closed: number;
  dropouts: number;
  /** null when no episode in the tier is closed. */
  rate: { rate: number; ci_low: number; ci_high: number } | null;
}

export interface Analysis {
  episodes_analyzed: number;
  excluded_no_alliance: number;
  analysis_sets: { with_outcome_change: number; with_outcome_last: number; closed: number; active_at_cutoff: number };
  correlations: ExactCorrelation[];
  dropout_by_tier: ExactTier[];
  fitted_line: { n: number; intercept: number; slope: number } | null;
  binned_scatter: Bin[];
}

export function analyze(episodes: DerivedEpisode[], study: Study): Analysis {
  const analysed = episodes.filter((e) => e.early_alliance !== null);
  const early = analysed.map((e) => e.early_alliance);
  const correlations: ExactCorrelation[] = [];
  for (const y of ["outcome_change", "outcome_last"] as const) {
    const pairs = pairwiseComplete(early, analysed.map((e) => e[y]));
    for (const method of ["pearson", "spearman"] as const) correlations.push(correlate(y, method, pairs.x, pairs.y));
  }
  const change = pairwiseComplete(early, analysed.map((e) => e.outcome_change));
  const bins = Math.min(MAX_SCATTER_BINS, Math.floor(change.x.length / study.minCellSize));
  return {
    episodes_analyzed: analysed.length,
    excluded_no_alliance: episodes.length - analysed.length,
    analysis_sets: {
      with_outcome_change: change.x.length,
      with_outcome_last: analysed.filter((e) => e.outcome_last !== null).length,
      closed: analysed.filter((e) => e.closed).length,
      active_at_cutoff: analysed.filter((e) => !e.closed).length,
    },
    correlations,
    dropout_by_tier: study.tiers.labels.map((tier) => tierDropout(tier, analysed.filter((e) => e.tier === tier))),
    fitted_line: change.x.length >= 3 ? { n: change.x.length, ...linearFit(change.x, change.y) } : null,
    binned_scatter: bins >= 2 ? binnedMeans(change.x, change.y, bins, CONFIDENCE_LEVEL) : [],
  };
}

function correlate(y: CorrelationY, method: "pearson" | "spearman", xs: number[], ys: number[]): ExactCorrelation {
  const n = xs.length;
  if (n < 4) return { y, method, n, result: null, reason: "fewer than 4 episodes with both scores" };
  try {
    return { y, method, n, result: method === "pearson" ? pearson(xs, ys, CONFIDENCE_LEVEL) : spearman(xs, ys) };
  } catch (e) {
    return { y, method, n, result: null, reason: (e as Error).message };
  }
}

function tierDropout(tier: string, episodes: DerivedEpisode[]): ExactTier {
  const closed = episodes.filter((e) => e.closed);
  const dropouts = closed.filter((e) => e.dropout).length;
  return { tier, episodes: episodes.length, closed: closed.length, dropouts, rate: closed.length ? wilson(dropouts, closed.length, CONFIDENCE_LEVEL) : null };
}
