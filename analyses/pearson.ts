/**
 * Pearson product-moment correlation with the t-test and the Fisher-z confidence interval,
 * exactly as R's cor.test(x, y, method = "pearson"):
 *   t = r √(n − 2) / √(1 − r²) on n − 2 df, two-sided p = 2·P(T > |t|);
 *   CI = tanh(atanh(r) ± z_{(1+level)/2} / √(n − 3)).
 * Needs n ≥ 4 (the interval needs n − 3 > 0) and neither variable constant.
 * Reference: Fisher (1921); R Core Team, stats::cor.test.
 * @example pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]).estimate // => 0.8
 */
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import { fisherZInterval } from "./fisher-z-interval.ts";
import type { CorrelationEstimate } from "./correlation-result.ts";

export function pearson(x: readonly number[], y: readonly number[], level = 0.95): CorrelationEstimate {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`pearson: x has ${n} values and y has ${y.length}`);
  if (n < 4) throw new RangeError(`pearson: needs at least 4 pairs, got ${n}`);
  return pearsonFromR(correlationCoefficient(x, y), n, level);
}

/**
 * The test and interval of a Pearson r computed elsewhere (e.g. pairwiseCorrelation), as pearson gives them.
 * @example pearsonFromR(0.8, 5).ci_low
 */
export function pearsonFromR(r: number, n: number, level = 0.95): CorrelationEstimate {
  const df = n - 2;
  const t = (r * Math.sqrt(df)) / Math.sqrt(1 - r * r);
  const p = Math.min(1, 2 * tCdf(-Math.abs(t), df));
  const [ci_low, ci_high] = fisherZInterval(r, n - 3, level);
  return { n, estimate: r, t, df, p, ci_low, ci_high };
}

/** r by centred sums (two passes, for accuracy). Throws when either variable is constant. */
export function correlationCoefficient(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pairwiseCorrelation(x, y).r;
}

/**
 * r of x and y over the indices where both are present (pairwise complete), with no copies of the
 * columns: two passes, centred sums (correlationCoefficient is this with every value present).
 * A value is missing when it is null or NaN (typed columns mark a missing value NaN).
 * Throws when either variable is constant on those indices.
 * @example pairwiseCorrelation([1, null, 2, 3], [1, 5, 3, 2]) // => { n: 3, r: 0.5 }
 * @example pairwiseCorrelation(Float64Array.of(1, NaN, 2, 3), Float64Array.of(1, 5, 3, 2)) // => { n: 3, r: 0.5 }
 */
export function pairwiseCorrelation(
  x: ArrayLike<number | null>,
  y: ArrayLike<number | null>,
): { n: number; r: number } {
  let n = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (a === undefined || b === undefined || a === null || b === null || a !== a || b !== b) continue;
    n++;
    mx += a;
    my += b;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (a === undefined || b === undefined || a === null || b === null || a !== a || b !== b) continue;
    const dx = a - mx;
    const dy = b - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) throw new RangeError("correlation: a variable is constant, so r is undefined");
  return { n, r: Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))) };
}
