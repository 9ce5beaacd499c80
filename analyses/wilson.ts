/**
 * Wilson score interval for a binomial proportion x / n, the interval of R's
 * prop.test(x, n, correct = FALSE)$conf.int:
 *   (p̂ + z²/2n ± z √(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n), z = z_{(1+level)/2}.
 * Reference: Wilson (1927), JASA 22:209–212; Newcombe (1998), Stat Med 17:857–872, method 3.
 * @example wilson(81, 263) // => { rate: 0.30798…, ci_low: 0.25528…, ci_high: 0.36620… }
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

export interface Proportion {
  rate: number;
  ci_low: number;
  ci_high: number;
}

export function wilson(x: number, n: number, level = 0.95): Proportion {
  if (!Number.isInteger(x) || !Number.isInteger(n) || n <= 0 || x < 0 || x > n) {
    throw new RangeError(`wilson: need whole numbers 0 ≤ x ≤ n and n > 0, got x = ${x}, n = ${n}`);
  }
  return wilsonEffective(x / n, n, level);
}

/**
 * Wilson's interval for a proportion p̂ estimated from clustered data, on its effective sample size
 * n / design effect (Korn & Graubard 1998, Survey Methodology 24:193–201): the interval of wilson()
 * with n replaced by the effective n, which need not be whole.
 * @example wilsonEffective(0.3, 100) // the interval wilson(30, 100) gives
 */
export function wilsonEffective(p: number, nEffective: number, level = 0.95): Proportion {
  if (!(p >= 0 && p <= 1) || !(nEffective > 0))
    throw new RangeError(`wilsonEffective: need 0 ≤ p ≤ 1 and n > 0, got p = ${p}, n = ${nEffective}`);
  const z = normalQuantile((1 + level) / 2, 0, 1);
  const n = nEffective;
  const z2n = (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2n / (2 * n));
  const denom = 1 + 2 * z2n;
  return {
    rate: p,
    ci_low: p === 0 ? 0 : (p + z2n - spread) / denom,
    ci_high: p === 1 ? 1 : (p + z2n + spread) / denom,
  };
}
