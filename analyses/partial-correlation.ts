/**
 * Partial correlation of x and y controlling for one variable z, with its t test and Fisher-z CI:
 *   r_xy·z = (r_xy − r_xz r_yz) / √((1 − r_xz²)(1 − r_yz²));
 *   t = r √((n − 3) / (1 − r²)) on n − 3 df (equal to the t of x in lm(y ~ x + z));
 *   CI = tanh(atanh(r) ± z_{(1+level)/2} / √(n − 4))  (psych::r.con(r, n − 1)).
 * The estimate equals psych::partial.r(data, c(x, y), z) in R.
 * Reference: Cohen, Cohen, West & Aiken (2003), Applied Multiple Regression/Correlation, §3.3.
 * @example partialCorrelation(wt, mpg, hp).estimate // => -0.7512 (mtcars)
 */
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import { fisherZInterval } from "./fisher-z-interval.ts";
import { correlationCoefficient } from "./pearson.ts";
import type { CorrelationEstimate } from "./correlation-result.ts";

export function partialCorrelation(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  z: ArrayLike<number>,
  level = 0.95,
): CorrelationEstimate {
  const n = x.length;
  if (y.length !== n || z.length !== n) throw new RangeError("partialCorrelation: x, y and z differ in length");
  if (n < 5) throw new RangeError(`partialCorrelation: needs at least 5 cases, got ${n}`);
  const rxy = correlationCoefficient(x, y);
  const rxz = correlationCoefficient(x, z);
  const ryz = correlationCoefficient(y, z);
  const r = (rxy - rxz * ryz) / Math.sqrt((1 - rxz * rxz) * (1 - ryz * ryz));
  const df = n - 3;
  const t = r * Math.sqrt(df / (1 - r * r));
  const [ci_low, ci_high] = fisherZInterval(r, n - 4, level);
  return { n, estimate: r, t, df, p: Math.min(1, 2 * tCdf(-Math.abs(t), df)), ci_low, ci_high };
}
