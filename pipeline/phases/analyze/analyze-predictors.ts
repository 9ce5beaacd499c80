/**
 * Other alliance predictors and outcomes: early, mean and last alliance, and the early score of each
 * subscale and other rater in the config, against outcome change, the last outcome and residualized
 * change (the residual of last on first outcome, OLS), each as Pearson r with Fisher-z CI, t test,
 * seeded bootstrap percentile and BCa CIs, and Holm-adjusted p across this (secondary, exploratory)
 * family; the agreement of each other rater with the alliance column; and Jacobson–Truax reliable
 * change by alliance tier when the outcome measure declares its reliability. Pure: no I/O.
 */
import { bootstrapCorrelations, type BootstrapInterval } from "../../../analyses/bootstrap-correlation.ts";
import { holm } from "../../../analyses/holm.ts";
import { linearFit } from "../../../analyses/linear-fit.ts";
import { pairwiseComplete } from "../../../analyses/pairwise-complete.ts";
import { pairwiseCorrelation, pearson, pearsonFromR } from "../../../analyses/pearson.ts";
import { jacobsonTruax, type ChangeCategory, type ReliableChange } from "../../../analyses/reliable-change.ts";
import type { CorrelationEstimate } from "../../../analyses/correlation-result.ts";
import type { Study } from "../../config/study.ts";
import type { DerivedEpisode } from "../handoff.ts";
import { rowsWith, valuesAt, type AnalysisColumns } from "./analysis-columns.ts";
import { type PredictorAnalysis } from "../handoff.ts";
import { type PredictorCorrelation, type RaterAgreement, type ReliableChangeAnalysis } from "../handoff.ts";
import { PREDICTORS, OUTCOMES, type Predictor, type OutcomeVariable } from "../handoff.ts";
export { PREDICTORS, OUTCOMES };
export type { Predictor, OutcomeVariable };
export type { PredictorCorrelation, RaterAgreement, ReliableChangeAnalysis };
export type { PredictorAnalysis };

export function analyzePredictors(analysed: AnalysisColumns, study: Study, level: number): PredictorAnalysis {
  const { outcome_first, outcome_last, outcome_change } = analysed.score;
  const withChange = Array.from(rowsWith(analysed, [outcome_change, outcome_first, outcome_last]));
  const fit =
    withChange.length >= 3 ? linearFit(valuesAt(outcome_first, withChange), valuesAt(outcome_last, withChange)) : null;
  // The residualized change of each analysed episode (NaN without a change score).
  const residual = residualizedColumn(analysed, fit);
  const predictors: Predictor[] = [...PREDICTORS, ...study.allianceComponents.map((c) => `early_${c.key}` as const)];
  const direct = new Set<string>(PREDICTORS);
  const columns = new Map<string, Float64Array>([
    ...predictors.map((x): [string, Float64Array] => [
      x,
      direct.has(x)
        ? analysed.score[x as (typeof PREDICTORS)[number]]
        : analysed.components.get(x.slice("early_".length))!,
    ]),
    ...OUTCOMES.map((y): [string, Float64Array] => [y, y === "outcome_residualized" ? residual : analysed.score[y]]),
  ]);
  const pick = (name: string, rows: number[]) => {
    const col = columns.get(name)!;
    return rows.map((i) => col[i]!);
  };
  // r straight from the columns; the episodes a pair uses are listed only when it is bootstrapped.
  const pairs: { x: Predictor; y: OutcomeVariable; rows: number[] }[] = [];
  const correlations = predictors.flatMap((x) =>
    OUTCOMES.map((y) => {
      const xs = columns.get(x)!;
      const ys = columns.get(y)!;
      const result = correlate(x, y, xs, ys, level);
      const rows =
        result.result && result.n <= study.bootstrap.secondaryMaxN ? Array.from(rowsWith(analysed, [xs, ys])) : [];
      pairs.push({ x, y, rows });
      return result;
    }),
  );
  bootstrapByEpisodeSet(pairs, correlations, pick, study, level);
  const tested = correlations.filter((c) => c.result);
  const adjusted = holm(tested.map((c) => c.result!.p));
  tested.forEach((c, i) => (c.p_holm = adjusted[i]!));
  return {
    correlations,
    residualized_fit: fit && { n: withChange.length, ...fit },
    reliable_change: reliableChange(analysed, withChange, study),
    rater_agreement: study.allianceComponents
      .filter((c) => c.kind === "rater")
      .map((c) => {
        const both = pairwiseComplete(columns.get("early_alliance")!, analysed.components.get(c.key)!);
        let result: CorrelationEstimate | null = null;
        try {
          result = both.x.length >= 4 ? pearson(both.x, both.y, level) : null;
        } catch {
          result = null; // a constant score
        }
        return { rater: c.name, n: both.x.length, result };
      }),
  };
}

/**
 * An episode's residualized change: its last outcome less the one lm(last ~ first) predicts from its
 * first; null without a change score (or without the fit).
 * @example residualized({ outcome_change: 4, outcome_first: 20, outcome_last: 24 }, { intercept: 5, slope: 0.9 }) // => 1
 */
export function residualized(
  e: Pick<DerivedEpisode, "outcome_change" | "outcome_first" | "outcome_last">,
  fit: { intercept: number; slope: number } | null,
): number | null {
  return fit && e.outcome_change !== null && e.outcome_first !== null && e.outcome_last !== null
    ? e.outcome_last - fit.intercept - fit.slope * e.outcome_first
    : null;
}

/**
 * residualized() of every analysed episode, NaN without a change score (or without the fit).
 * @example residualizedColumn(columns, { intercept: 5, slope: 0.9 })[i] // => 1 for first 20, last 24
 */
export function residualizedColumn(
  analysed: AnalysisColumns,
  fit: { intercept: number; slope: number } | null,
): Float64Array {
  const { outcome_first, outcome_last, outcome_change } = analysed.score;
  const out = new Float64Array(analysed.n).fill(NaN);
  if (!fit) return out;
  for (let i = 0; i < analysed.n; i++) {
    const first = outcome_first[i]!;
    const last = outcome_last[i]!;
    if (outcome_change[i] === outcome_change[i] && first === first && last === last)
      out[i] = last - fit.intercept - fit.slope * first;
  }
  return out;
}

function correlate(
  x: Predictor,
  y: OutcomeVariable,
  xs: Float64Array,
  ys: Float64Array,
  level: number,
): PredictorCorrelation {
  let n = 0;
  for (let i = 0; i < xs.length; i++) if (xs[i] === xs[i] && ys[i] === ys[i]) n++;
  if (n < 4)
    return { x, y, n, result: null, reason: "fewer than 4 episodes with both scores", p_holm: null, bootstrap: null };
  try {
    return { x, y, n, result: pearsonFromR(pairwiseCorrelation(xs, ys).r, n, level), p_holm: null, bootstrap: null };
  } catch (e) {
    return { x, y, n, result: null, reason: (e as Error).message, p_holm: null, bootstrap: null };
  }
}

/**
 * Bootstrap intervals for every tested correlation on at most bootstrap.secondary_max_n episodes
 * (B · n · rows grows fast; at such n the bootstrap and Fisher-z intervals agree). Correlations on exactly the same episodes share
 * one set of resamples (bootstrapCorrelations): each interval is what it would be alone with the same
 * seed, and a study with many predictors draws its resample indices once per episode set, not once per row.
 */
function bootstrapByEpisodeSet(
  pairs: { x: Predictor; y: OutcomeVariable; rows: number[] }[],
  correlations: PredictorCorrelation[],
  pick: (name: string, rows: number[]) => number[],
  study: Study,
  level: number,
): void {
  const groups: { rows: number[]; members: number[] }[] = [];
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((e, i) => e === b[i]);
  pairs.forEach(({ rows }, i) => {
    // Above the limit the Fisher-z interval stands (the report says so): no resamples, no grouping.
    if (!correlations[i]!.result || correlations[i]!.n > study.bootstrap.secondaryMaxN) return;
    const group = groups.find((g) => same(g.rows, rows));
    if (group) group.members.push(i);
    else groups.push({ rows, members: [i] });
  });
  for (const { rows, members } of groups) {
    const names = [...new Set(members.flatMap((i) => [pairs[i]!.x, pairs[i]!.y] as string[]))];
    const columns = names.map((name) => pick(name, rows));
    try {
      const intervals = bootstrapCorrelations(
        columns,
        members.map((i) => [names.indexOf(pairs[i]!.x), names.indexOf(pairs[i]!.y)] as [number, number]),
        study.bootstrap.b,
        study.bootstrap.seed,
        level,
      );
      members.forEach((i, k) => (correlations[i]!.bootstrap = intervals[k]!));
    } catch {
      // fewer than 4 episodes: no intervals for this set
    }
  }
}

function reliableChange(analysed: AnalysisColumns, withChange: number[], study: Study): ReliableChangeAnalysis | null {
  const rc = study.reliableChange;
  if (!rc || withChange.length < 2) return null;
  const { outcome_first, outcome_last } = analysed.score;
  let jt: ReliableChange;
  try {
    jt = jacobsonTruax(
      withChange.map((i) => outcome_first[i]!),
      withChange.map((i) => outcome_last[i]!),
      { reliability: rc.reliability, cutoff: rc.clinicalCutoff, higherIsBetter: study.outcome.higher_is_better },
    );
  } catch {
    return null; // constant pre scores: no SD to scale change by
  }
  const by_tier = study.tiers.labels.map((tier, t) => {
    const counts: Record<ChangeCategory, number> = { recovered: 0, improved: 0, unchanged: 0, deteriorated: 0 };
    let n = 0;
    withChange.forEach((row, i) => {
      if (analysed.tier[row] !== t) return;
      counts[jt.categories[i]!]++;
      n++;
    });
    return { tier, n, counts };
  });
  return {
    reliability: rc.reliability,
    clinical_cutoff: rc.clinicalCutoff,
    sd_pre: jt.sd_pre,
    threshold_points: jt.threshold_points,
    overall: { n: withChange.length, counts: jt.counts },
    by_tier,
  };
}
