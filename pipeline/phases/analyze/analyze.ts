/**
 * Stage 4, analyze: the statistics of the report from the derived episodes, exact and
 * unsuppressed (artifact internal/04-analysis.json). shareable.ts then applies small-cell
 * suppression to make results.json. Pure: no I/O.
 */
import { pairwiseComplete } from "../../../analyses/pairwise-complete.ts";
import { pearson } from "../../../analyses/pearson.ts";
import { spearman } from "../../../analyses/spearman.ts";
import { wilson } from "../../../analyses/wilson.ts";
import { linearFit } from "../../../analyses/linear-fit.ts";
import { binnedMeans, type Bin } from "../../../analyses/binned-means.ts";
import { partialCorrelation } from "../../../analyses/partial-correlation.ts";
import { holm } from "../../../analyses/holm.ts";
import { pairsNeeded, smallestDetectableR } from "../../../analyses/correlation-power.ts";
import { PRIMARY_BENCHMARK } from "../../benchmarks.ts";
import { randomEffects, type RandomEffects } from "../../../analyses/random-effects.ts";
import { bootstrapCorrelation, type BootstrapInterval } from "../../../analyses/bootstrap-correlation.ts";
import type { CorrelationEstimate } from "../../../analyses/correlation-result.ts";
import type { Study } from "../../config/study.ts";
import type { CorrelationY } from "../../results.ts";
import type { DerivedEpisode } from "../handoff.ts";
import { analyzeTherapists, therapistCodes, type TherapistAnalysis } from "./analyze-therapists.ts";
import { analyzePredictors, type PredictorAnalysis } from "./analyze-predictors.ts";
import { analyzeClustering, type ClusterAnalysis } from "./analyze-clustering.ts";

export const CONFIDENCE_LEVEL = 0.95;
/** At most this many bins in the binned scatter. */
export const MAX_SCATTER_BINS = 10;

export interface ExactCorrelation {
  y: CorrelationY;
  method: "pearson" | "spearman" | "partial";
  n: number;
  /** null when n is too small or a variable is constant; `reason` says which. */
  result: CorrelationEstimate | null;
  reason?: string;
  /** Holm-adjusted p across the family of correlations (the four of early alliance with outcome and the partial). */
  p_holm: number | null;
}

export interface SiteAnalysis {
  per_site: { site: string; n: number; r: number | null; ci_low: number | null; ci_high: number | null }[];
  /** null with fewer than two sites having at least 4 pairs. */
  reml: RandomEffects | null;
  dl: RandomEffects | null;
}

export interface PowerAnalysis {
  /** Pairs in the primary analysis (early alliance × outcome change, Pearson). */
  n: number;
  alpha: number;
  power: number;
  smallest_detectable_r: number | null;
  benchmark: { short: string; reference: string; r: number };
  pairs_needed_for_benchmark: number;
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
  /** Partial correlation of early alliance with last outcome, controlling for the first outcome. */
  partial: ExactCorrelation;
  power: PowerAnalysis;
  /** Seeded bootstrap intervals (percentile, BCa) for early alliance × outcome change; null below 4 pairs or above bootstrap.max_n. */
  bootstrap: BootstrapInterval | null;
  /** Early alliance × outcome change per site, pooled by random-effects meta-analysis on Fisher z. */
  sites: SiteAnalysis;
  /** Early, mean and last alliance × change, last and residualized outcome; reliable change. */
  predictors: PredictorAnalysis;
  /** Therapist ICCs and the within/between-therapist mixed model. */
  therapists: TherapistAnalysis;
  /** Cluster-aware intervals of every correlation and tier dropout rate (inference.cluster). */
  clustering: ClusterAnalysis;
  dropout_by_tier: ExactTier[];
  fitted_line: { n: number; intercept: number; slope: number } | null;
  binned_scatter: Bin[];
}

export interface AnalyzeOptions {
  /**
   * The primary bootstrap is computed elsewhere (primaryBootstrapInBackground): analyze leaves
   * `bootstrap` null, and the caller sets it.
   */
  bootstrapElsewhere?: boolean;
  /** primaryPairs(episodes), when the caller has them (it read them to hand the bootstrap on): read once. */
  primaryPairs?: { x: number[]; y: number[] };
}

export function analyze(episodes: DerivedEpisode[], study: Study, options: AnalyzeOptions = {}): Analysis {
  const analysed = episodes.filter((e) => e.early_alliance !== null);
  const withEarly = { outcome_change: options.primaryPairs ?? completePairs(analysed, "outcome_change"), outcome_last: completePairs(analysed, "outcome_last") };
  const correlations: ExactCorrelation[] = [];
  for (const y of ["outcome_change", "outcome_last"] as const) {
    const pairs = withEarly[y];
    for (const method of ["pearson", "spearman"] as const) correlations.push(correlate(y, method, pairs.x, pairs.y));
  }
  const partial = partialCorrelate(analysed);
  const family = [...correlations, partial];
  const adjusted = holm(family.filter((c) => c.result).map((c) => c.result!.p));
  let k = 0;
  for (const c of family) c.p_holm = c.result ? adjusted[k++]! : null;
  const change = withEarly.outcome_change;
  const bins = Math.min(MAX_SCATTER_BINS, Math.floor(change.x.length / study.minCellSize));
  const predictors = analyzePredictors(analysed, study, CONFIDENCE_LEVEL);
  // The therapist models and the cluster-aware intervals (by therapist) number the therapists alike: once.
  const therapist = therapistCodes(analysed);
  return {
    episodes_analyzed: analysed.length,
    excluded_no_alliance: episodes.length - analysed.length,
    analysis_sets: {
      with_outcome_change: change.x.length,
      with_outcome_last: count(analysed, (e) => e.outcome_last !== null),
      closed: count(analysed, (e) => e.closed),
      active_at_cutoff: count(analysed, (e) => !e.closed),
    },
    correlations,
    partial,
    power: {
      n: change.x.length,
      alpha: 0.05,
      power: 0.8,
      smallest_detectable_r: change.x.length >= 5 ? smallestDetectableR(change.x.length) : null,
      benchmark: { short: PRIMARY_BENCHMARK.short, reference: PRIMARY_BENCHMARK.reference, r: PRIMARY_BENCHMARK.r },
      pairs_needed_for_benchmark: Math.ceil(pairsNeeded(PRIMARY_BENCHMARK.r)),
    },
    sites: siteAnalysis(analysed),
    therapists: analyzeTherapists(analysed, therapist),
    predictors,
    clustering: analyzeClustering(analysed, study, predictors, CONFIDENCE_LEVEL, therapist),
    bootstrap: options.bootstrapElsewhere ? null : primaryBootstrap(change, study),
    dropout_by_tier: study.tiers.labels.map((tier) => tierDropout(tier, analysed.filter((e) => e.tier === tier))),
    fitted_line: change.x.length >= 3 ? { n: change.x.length, ...linearFit(change.x, change.y) } : null,
    binned_scatter: bins >= 2 ? binnedMeans(change.x, change.y, bins, CONFIDENCE_LEVEL) : [],
  };
}

/** How many episodes satisfy `test` (without an array of them). */
function count(episodes: readonly DerivedEpisode[], test: (e: DerivedEpisode) => boolean): number {
  let n = 0;
  for (const e of episodes) if (test(e)) n++;
  return n;
}

/**
 * Early alliance and an outcome on the episodes that have both (R's pairwise.complete.obs, as
 * pairwiseComplete), read from the episodes in one pass: two arrays of a million fields, nulls among
 * them, were most of the garbage the correlations made.
 */
function completePairs(analysed: readonly DerivedEpisode[], y: CorrelationY): { x: number[]; y: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const e of analysed) {
    const a = e.early_alliance;
    const b = y === "outcome_change" ? e.outcome_change : e.outcome_last;
    if (a !== null && b !== null && Number.isFinite(a) && Number.isFinite(b)) {
      xs.push(a);
      ys.push(b);
    }
  }
  return { x: xs, y: ys };
}

function correlate(y: CorrelationY, method: "pearson" | "spearman", xs: number[], ys: number[]): ExactCorrelation {
  const n = xs.length;
  if (n < 4) return { y, method, n, result: null, reason: "fewer than 4 episodes with both scores", p_holm: null };
  try {
    return { y, method, n, result: method === "pearson" ? pearson(xs, ys, CONFIDENCE_LEVEL) : spearman(xs, ys), p_holm: null };
  } catch (e) {
    return { y, method, n, result: null, reason: (e as Error).message, p_holm: null };
  }
}

/**
 * The pairs of the primary correlation, early alliance × outcome change, in episode order: what
 * analyze correlates and bootstraps.
 */
export function primaryPairs(episodes: readonly DerivedEpisode[]): { x: number[]; y: number[] } {
  return completePairs(episodes, "outcome_change");
}

/** Whether the primary correlation is bootstrapped: at least 4 pairs, and at most bootstrap.max_n. */
export const bootstrapsPrimary = (pairs: number, study: Study): boolean => pairs >= 4 && pairs <= study.bootstrap.maxN;

/** The primary correlation's bootstrap intervals; null when it is not bootstrapped, or a variable is constant. */
export function primaryBootstrap(pairs: { x: number[]; y: number[] }, study: Study): BootstrapInterval | null {
  if (!bootstrapsPrimary(pairs.x.length, study)) return null;
  try {
    return bootstrapCorrelation(pairs.x, pairs.y, study.bootstrap.b, study.bootstrap.seed, CONFIDENCE_LEVEL);
  } catch {
    return null; // a constant variable: no correlation to resample
  }
}

/** r of early alliance with outcome change in each site (sorted by name), and their random-effects pooling. */
function siteAnalysis(analysed: DerivedEpisode[]): SiteAnalysis {
  // Each site's pairs gathered in one pass (a filter per site was 50 passes over a million episodes).
  const bySite = new Map<string, { x: (number | null)[]; y: (number | null)[] }>();
  for (const e of analysed) {
    let s = bySite.get(e.site);
    if (!s) bySite.set(e.site, (s = { x: [], y: [] }));
    s.x.push(e.early_alliance);
    s.y.push(e.outcome_change);
  }
  const sites = [...bySite.keys()].sort();
  const per_site = sites.map((site) => {
    const inSite = bySite.get(site)!;
    const pairs = pairwiseComplete(inSite.x, inSite.y);
    const c = pairs.x.length >= 4 ? correlate("outcome_change", "pearson", pairs.x, pairs.y).result : null;
    return { site, n: pairs.x.length, r: c?.estimate ?? null, ci_low: c?.ci_low ?? null, ci_high: c?.ci_high ?? null };
  });
  const usable = per_site.filter((s) => s.r !== null);
  const pool = (m: "REML" | "DL") => (usable.length >= 2 ? randomEffects(usable.map((s) => s.r!), usable.map((s) => s.n), m) : null);
  return { per_site, reml: pool("REML"), dl: pool("DL") };
}

/** Early alliance with the last outcome, controlling for the first outcome (complete cases). */
function partialCorrelate(analysed: DerivedEpisode[]): ExactCorrelation {
  const rows = analysed.filter((e) => e.outcome_last !== null && e.outcome_first !== null);
  const base = { y: "outcome_last" as const, method: "partial" as const, n: rows.length, p_holm: null };
  if (rows.length < 5) return { ...base, result: null, reason: "fewer than 5 episodes with alliance and two outcome scores" };
  try {
    return { ...base, result: partialCorrelation(rows.map((e) => e.early_alliance!), rows.map((e) => e.outcome_last!), rows.map((e) => e.outcome_first!), CONFIDENCE_LEVEL) };
  } catch (e) {
    return { ...base, result: null, reason: (e as Error).message };
  }
}

function tierDropout(tier: string, episodes: DerivedEpisode[]): ExactTier {
  const closed = episodes.filter((e) => e.closed);
  const dropouts = closed.filter((e) => e.dropout).length;
  return { tier, episodes: episodes.length, closed: closed.length, dropouts, rate: closed.length ? wilson(dropouts, closed.length, CONFIDENCE_LEVEL) : null };
}
