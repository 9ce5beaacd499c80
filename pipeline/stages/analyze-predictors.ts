/**
 * Other alliance predictors and outcomes: early, mean and last alliance against outcome change,
 * the last outcome and residualized change (the residual of last on first outcome, OLS), each as
 * Pearson r with Fisher-z CI, t test, seeded bootstrap percentile and BCa CIs, and Holm-adjusted p
 * across this (secondary, exploratory) family; and Jacobson–Truax reliable change by alliance tier
 * when the outcome measure declares its reliability. Pure: no I/O.
 */
import { bootstrapCorrelation, type BootstrapInterval } from "../../analyses/bootstrap-correlation.ts";
import { holm } from "../../analyses/holm.ts";
import { linearFit } from "../../analyses/linear-fit.ts";
import { pairwiseComplete } from "../../analyses/pairwise-complete.ts";
import { pearson } from "../../analyses/pearson.ts";
import { jacobsonTruax, type ChangeCategory, type ReliableChange } from "../../analyses/reliable-change.ts";
import type { CorrelationEstimate } from "../../analyses/correlation-result.ts";
import type { Study } from "../config/study.ts";
import type { DerivedEpisode } from "./derive.ts";

export const PREDICTORS = ["early_alliance", "mean_alliance", "last_alliance"] as const;
export const OUTCOMES = ["outcome_change", "outcome_last", "outcome_residualized"] as const;
export type Predictor = (typeof PREDICTORS)[number];
export type OutcomeVariable = (typeof OUTCOMES)[number];

export interface PredictorCorrelation {
  x: Predictor;
  y: OutcomeVariable;
  n: number;
  result: CorrelationEstimate | null;
  reason?: string;
  p_holm: number | null;
  bootstrap: BootstrapInterval | null;
}

export interface ReliableChangeAnalysis {
  reliability: number;
  clinical_cutoff: number | null;
  sd_pre: number;
  threshold_points: number;
  overall: { n: number; counts: Record<ChangeCategory, number> };
  by_tier: { tier: string; n: number; counts: Record<ChangeCategory, number> }[];
}

export interface PredictorAnalysis {
  correlations: PredictorCorrelation[];
  /** lm(outcome_last ~ outcome_first) on episodes with a change score; null below 3. */
  residualized_fit: { n: number; intercept: number; slope: number } | null;
  /** null when the outcome measure has no reliability in the config, or fewer than 2 episodes. */
  reliable_change: ReliableChangeAnalysis | null;
}

export function analyzePredictors(analysed: DerivedEpisode[], study: Study, level: number): PredictorAnalysis {
  const withChange = analysed.filter((e) => e.outcome_change !== null && e.outcome_first !== null && e.outcome_last !== null);
  const fit = withChange.length >= 3 ? linearFit(withChange.map((e) => e.outcome_first!), withChange.map((e) => e.outcome_last!)) : null;
  const residual = new Map<DerivedEpisode, number>();
  if (fit) for (const e of withChange) residual.set(e, e.outcome_last! - fit.intercept - fit.slope * e.outcome_first!);
  const outcome = (e: DerivedEpisode, y: OutcomeVariable) => (y === "outcome_residualized" ? (residual.get(e) ?? null) : e[y]);
  const correlations: PredictorCorrelation[] = [];
  for (const x of PREDICTORS) {
    for (const y of OUTCOMES) {
      const pairs = pairwiseComplete(analysed.map((e) => e[x]), analysed.map((e) => outcome(e, y)));
      correlations.push(correlate(x, y, pairs.x, pairs.y, study, level));
    }
  }
  const tested = correlations.filter((c) => c.result);
  const adjusted = holm(tested.map((c) => c.result!.p));
  tested.forEach((c, i) => (c.p_holm = adjusted[i]!));
  return {
    correlations,
    residualized_fit: fit && { n: withChange.length, ...fit },
    reliable_change: reliableChange(withChange, study),
  };
}

function correlate(x: Predictor, y: OutcomeVariable, xs: number[], ys: number[], study: Study, level: number): PredictorCorrelation {
  const n = xs.length;
  if (n < 4) return { x, y, n, result: null, reason: "fewer than 4 episodes with both scores", p_holm: null, bootstrap: null };
  try {
    const result = pearson(xs, ys, level);
    let bootstrap: BootstrapInterval | null = null;
    try {
      bootstrap = bootstrapCorrelation(xs, ys, study.bootstrap.b, study.bootstrap.seed, level);
    } catch {
      bootstrap = null;
    }
    return { x, y, n, result, p_holm: null, bootstrap };
  } catch (e) {
    return { x, y, n, result: null, reason: (e as Error).message, p_holm: null, bootstrap: null };
  }
}

function reliableChange(withChange: DerivedEpisode[], study: Study): ReliableChangeAnalysis | null {
  const rc = study.reliableChange;
  if (!rc || withChange.length < 2) return null;
  let jt: ReliableChange;
  try {
    jt = jacobsonTruax(withChange.map((e) => e.outcome_first!), withChange.map((e) => e.outcome_last!), { reliability: rc.reliability, cutoff: rc.clinicalCutoff, higherIsBetter: study.outcome.higher_is_better });
  } catch {
    return null; // constant pre scores: no SD to scale change by
  }
  const by_tier = study.tiers.labels.map((tier) => {
    const counts: Record<ChangeCategory, number> = { recovered: 0, improved: 0, unchanged: 0, deteriorated: 0 };
    let n = 0;
    withChange.forEach((e, i) => {
      if (e.tier !== tier) return;
      counts[jt.categories[i]!]++;
      n++;
    });
    return { tier, n, counts };
  });
  return { reliability: rc.reliability, clinical_cutoff: rc.clinicalCutoff, sd_pre: jt.sd_pre, threshold_points: jt.threshold_points, overall: { n: withChange.length, counts: jt.counts }, by_tier };
}
