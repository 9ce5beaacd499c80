/**
 * A quantile of survival time (default the median) with its confidence interval, by the rule of
 * R's survival::quantile.survfit: the first time the curve reaches 1 − p, and where it is flat
 * exactly at 1 − p, the midpoint of that flat (tolerance √ε); the CI limits are the same
 * quantile of the lower and upper confidence bands. null where R gives NA (never reached).
 * @example survivalQuantile(kaplanMeier([1, 2, 3, 4], [true, true, true, true])).estimate // => 2.5
 */
import type { KaplanMeier } from "./kaplan-meier.ts";

const TOLERANCE = Math.sqrt(Number.EPSILON);

export interface SurvivalQuantile {
  p: number;
  estimate: number | null;
  lower: number | null;
  upper: number | null;
}

export function survivalQuantile(km: KaplanMeier, p = 0.5): SurvivalQuantile {
  const times = [0, ...km.steps.map((s) => s.time)];
  const cdf = (values: (number | null)[]) => [0, ...values.map((v) => (v === null ? null : 1 - v))];
  return {
    p,
    estimate: findQuantile(times, cdf(km.steps.map((s) => s.surv)), p),
    // The lower band of S crosses first, so it gives the lower limit of the quantile.
    lower: findQuantile(times, cdf(km.steps.map((s) => s.lower)), p),
    upper: findQuantile(times, cdf(km.steps.map((s) => s.upper)), p),
  };
}

/** findq() of quantile.survfit.R: where a horizontal line at p meets the step CDF y(x). */
function findQuantile(x: number[], y: (number | null)[], p: number): number | null {
  const known = y.filter((v): v is number => v !== null);
  if (known.length === 0 || Math.max(...known) < p) return null;
  const xmax = x[x.length - 1]!;
  // Drop repeated y values (censoring times), keeping the first, as duplicated() does.
  const keptX: number[] = [];
  const keptY: (number | null)[] = [];
  const seen = new Set<number | null>();
  y.forEach((v, i) => {
    if (seen.has(v)) return;
    seen.add(v);
    keptX.push(x[i]!);
    keptY.push(v);
  });
  // approx(y ± tol, 1:n, p, method = "constant", f = 1): NA pairs removed and knots sorted by
  // value (a confidence band need not be monotone), then the first knot at or above p.
  const knots = keptY
    .map((v, i) => [v, i] as const)
    .filter((k): k is readonly [number, number] => k[0] !== null)
    .sort((a, b) => a[0] - b[0]);
  const firstAtLeast = (shift: number) =>
    p < knots[0]![0] + shift ? null : (knots.find(([v]) => v + shift >= p)?.[1] ?? null);
  const i1 = firstAtLeast(TOLERANCE);
  const i2 = firstAtLeast(-TOLERANCE);
  const last = keptY[keptY.length - 1];
  if (i1 !== null && last !== null && last !== undefined && Math.abs(p - last) < TOLERANCE)
    return (keptX[i1]! + xmax) / 2;
  if (i1 === null || i2 === null) return null;
  return (keptX[i1]! + keptX[i2]!) / 2;
}
