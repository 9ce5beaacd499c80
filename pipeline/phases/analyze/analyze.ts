/**
 * Stage 4, analyze: the statistics of the report from the derived episodes, exact and
 * unsuppressed (artifact internal/04-analysis.json). shareable.ts then applies small-cell
 * suppression to make results.json. Pure: no I/O.
 */
import { pairwiseComplete } from "../../../analyses/pairwise-complete.ts";
import { pearson } from "../../../analyses/pearson.ts";
import { spearman, spearmanFromRanks } from "../../../analyses/spearman.ts";
import { averageRanksTyped } from "../../../analyses/rank.ts";
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
import type { DerivedEpisode, EpisodeColumns } from "../handoff.ts";
import { analyzeTherapists, type TherapistAnalysis } from "./analyze-therapists.ts";
import { analysedColumns, asColumns, rowsWith, valuesAt, type AnalysisColumns } from "./analysis-columns.ts";
import { analyzePredictors, type PredictorAnalysis } from "./analyze-predictors.ts";
import { analyzeClustering, type ClusterAnalysis, type RankedPairs } from "./analyze-clustering.ts";
import {
  CONFIDENCE_LEVEL,
  type ExactCorrelation,
  type PowerAnalysis,
  type SiteAnalysis,
  type ExactTier,
  type Analysis,
} from "../handoff.ts";
export { CONFIDENCE_LEVEL };
export type { ExactCorrelation, PowerAnalysis, SiteAnalysis, ExactTier, Analysis };

/** At most this many bins in the binned scatter. */
export const MAX_SCATTER_BINS = 10;

export interface AnalyzeOptions {
  /**
   * The primary bootstrap is computed elsewhere (primaryBootstrapInBackground): analyze leaves
   * `bootstrap` null, and the caller sets it.
   */
  bootstrapElsewhere?: boolean;
  /** primaryPairs(episodes), when the caller has them (it read them to hand the bootstrap on): read once. */
  primaryPairs?: { x: number[]; y: number[] };
}

export function analyze(
  episodes: EpisodeColumns | readonly DerivedEpisode[],
  study: Study,
  options: AnalyzeOptions = {},
): Analysis {
  // Every analysis below reads the analysed episodes' fields from these columns.
  const all = asColumns(
    episodes,
    study.allianceComponents.map((c) => c.key),
  );
  const columns = analysedColumns(all, study);
  const { score } = columns;
  const withEarly = {
    outcome_change: options.primaryPairs ?? completePairs(score.early_alliance, score.outcome_change),
    outcome_last: completePairs(score.early_alliance, score.outcome_last),
  };
  const correlations: ExactCorrelation[] = [];
  // Each primary pair's ranks, found once: Spearman's ρ and its cluster-aware interval read them both.
  const ranked = new Map<CorrelationY, RankedPairs>();
  for (const y of ["outcome_change", "outcome_last"] as const) {
    const pairs = withEarly[y];
    if (pairs.x.length >= 4)
      ranked.set(y, {
        ...pairs,
        rx: averageRanksTyped(new Float64Array(pairs.x)),
        ry: averageRanksTyped(new Float64Array(pairs.y)),
      });
    for (const method of ["pearson", "spearman"] as const)
      correlations.push(correlate(y, method, pairs.x, pairs.y, ranked.get(y)));
  }
  const partial = partialCorrelate(columns);
  const family = [...correlations, partial];
  const adjusted = holm(family.filter((c) => c.result).map((c) => c.result!.p));
  let k = 0;
  for (const c of family) c.p_holm = c.result ? adjusted[k++]! : null;
  const change = withEarly.outcome_change;
  const bins = Math.min(MAX_SCATTER_BINS, Math.floor(change.x.length / study.minCellSize));
  const predictors = analyzePredictors(columns, study, CONFIDENCE_LEVEL);
  let closed = 0;
  for (let i = 0; i < columns.n; i++) closed += columns.closed[i]!;
  return {
    episodes_analyzed: columns.n,
    excluded_no_alliance: all.n - columns.n,
    analysis_sets: {
      with_outcome_change: change.x.length,
      with_outcome_last: rowsWith(columns, [score.outcome_last]).length,
      closed,
      active_at_cutoff: columns.n - closed,
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
    sites: siteAnalysis(columns),
    therapists: analyzeTherapists(columns),
    predictors,
    clustering: analyzeClustering(columns, study, predictors, CONFIDENCE_LEVEL, ranked),
    bootstrap: options.bootstrapElsewhere ? null : primaryBootstrap(change, study),
    dropout_by_tier: study.tiers.labels.map((tier, t) => tierDropout(tier, t, columns)),
    fitted_line: change.x.length >= 3 ? { n: change.x.length, ...linearFit(change.x, change.y) } : null,
    binned_scatter:
      bins >= 2
        ? binnedMeans(change.x, change.y, bins, CONFIDENCE_LEVEL, primaryRanks(ranked.get("outcome_change"), change))
        : [],
  };
}

/** The ranks found for Spearman's ρ, when they are of these very pairs (the caller's pairs are used as they are). */
function primaryRanks(
  ranked: RankedPairs | undefined,
  pairs: { x: number[]; y: number[] },
): { x: Float64Array; y: Float64Array } | undefined {
  return ranked && ranked.x === pairs.x && ranked.y === pairs.y ? { x: ranked.rx, y: ranked.ry } : undefined;
}

/**
 * Early alliance and an outcome where both are present (R's pairwise.complete.obs, as
 * pairwiseComplete), in episode order.
 */
function completePairs(alliance: Float64Array, outcome: Float64Array): { x: number[]; y: number[] } {
  let n = 0;
  for (let i = 0; i < alliance.length; i++) if (Number.isFinite(alliance[i]!) && Number.isFinite(outcome[i]!)) n++;
  // Arrays of their final length, of doubles from the start: pushed one by one, 745,000 pairs took
  // twice as long (the arrays grew, and changed from small integers to doubles, on the way).
  const xs = new Array<number>(n).fill(NaN);
  const ys = new Array<number>(n).fill(NaN);
  for (let i = 0, k = 0; i < alliance.length; i++) {
    const a = alliance[i]!;
    const b = outcome[i]!;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      xs[k] = a;
      ys[k++] = b;
    }
  }
  return { x: xs, y: ys };
}

function correlate(
  y: CorrelationY,
  method: "pearson" | "spearman",
  xs: number[],
  ys: number[],
  ranks?: RankedPairs,
): ExactCorrelation {
  const n = xs.length;
  if (n < 4) return { y, method, n, result: null, reason: "fewer than 4 episodes with both scores", p_holm: null };
  try {
    const rho = () => (ranks ? spearmanFromRanks(ranks.rx, ranks.ry) : spearman(xs, ys));
    return { y, method, n, result: method === "pearson" ? pearson(xs, ys, CONFIDENCE_LEVEL) : rho(), p_holm: null };
  } catch (e) {
    return { y, method, n, result: null, reason: (e as Error).message, p_holm: null };
  }
}

/**
 * The pairs of the primary correlation, early alliance × outcome change, in episode order: what
 * analyze correlates and bootstraps.
 */
export function primaryPairs(episodes: EpisodeColumns | readonly DerivedEpisode[]): { x: number[]; y: number[] } {
  const columns = asColumns(episodes, []);
  return completePairs(columns.early_alliance, columns.outcome_change);
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
function siteAnalysis(columns: AnalysisColumns): SiteAnalysis {
  // Each site's pairs gathered in one pass (a filter per site was 50 passes over a million episodes).
  const bySite = columns.siteNames.map(() => ({ x: [] as number[], y: [] as number[] }));
  const { early_alliance, outcome_change } = columns.score;
  for (let i = 0; i < columns.n; i++) {
    const s = bySite[columns.site.codes[i]!]!;
    s.x.push(early_alliance[i]!);
    s.y.push(outcome_change[i]!);
  }
  const sites = columns.siteNames
    .map((name, code) => ({ name, code }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const per_site = sites.map(({ name: site, code }) => {
    const inSite = bySite[code]!;
    const pairs = pairwiseComplete(inSite.x, inSite.y);
    const c = pairs.x.length >= 4 ? correlate("outcome_change", "pearson", pairs.x, pairs.y).result : null;
    return { site, n: pairs.x.length, r: c?.estimate ?? null, ci_low: c?.ci_low ?? null, ci_high: c?.ci_high ?? null };
  });
  const usable = per_site.filter((s) => s.r !== null);
  const pool = (m: "REML" | "DL") =>
    usable.length >= 2
      ? randomEffects(
          usable.map((s) => s.r!),
          usable.map((s) => s.n),
          m,
        )
      : null;
  return { per_site, reml: pool("REML"), dl: pool("DL") };
}

/** Early alliance with the last outcome, controlling for the first outcome (complete cases). */
function partialCorrelate(columns: AnalysisColumns): ExactCorrelation {
  const { early_alliance, outcome_last, outcome_first } = columns.score;
  const rows = rowsWith(columns, [outcome_last, outcome_first]);
  const base = { y: "outcome_last" as const, method: "partial" as const, n: rows.length, p_holm: null };
  if (rows.length < 5)
    return { ...base, result: null, reason: "fewer than 5 episodes with alliance and two outcome scores" };
  try {
    return {
      ...base,
      result: partialCorrelation(
        valuesAt(early_alliance, rows),
        valuesAt(outcome_last, rows),
        valuesAt(outcome_first, rows),
        CONFIDENCE_LEVEL,
      ),
    };
  } catch (e) {
    return { ...base, result: null, reason: (e as Error).message };
  }
}

/** Episodes, closed episodes and dropouts of the tier numbered `t`, and the dropout rate. */
function tierDropout(tier: string, t: number, columns: AnalysisColumns): ExactTier {
  let episodes = 0;
  let closed = 0;
  let dropouts = 0;
  for (let i = 0; i < columns.n; i++) {
    if (columns.tier[i] !== t) continue;
    episodes++;
    if (!columns.closed[i]) continue;
    closed++;
    dropouts += columns.dropout[i]!;
  }
  return { tier, episodes, closed, dropouts, rate: closed ? wilson(dropouts, closed, CONFIDENCE_LEVEL) : null };
}
