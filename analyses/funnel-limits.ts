/**
 * Control limits of a funnel plot for proportions (Spiegelhalter 2005, "Funnel plots for
 * comparing institutional performance", Stat Med 24:1185–1202, appendix A.1.1): exact binomial
 * limits around a target proportion θ, interpolated so that they are smooth in n. For a tail
 * probability p, r_p is the smallest r with P(R ≤ r) ≥ p for R ~ Binomial(n, θ), and the limit is
 *   (r_p − α) / n,  α = (P(R ≤ r_p) − p) / (P(R ≤ r_p) − P(R ≤ r_p − 1)).
 * A 95% funnel uses p = 0.025 and 0.975; a 99.8% funnel p = 0.001 and 0.999. With θ = 0 or 1
 * (no dropout anywhere, or all dropouts) the binomial puts all its mass on 0 or n, and so do the limits.
 * @example funnelLimits(0.3, 50, 0.95) // => { n: 50, lower: 0.1796…, upper: 0.4339… } (see test for R's values)
 */
import binomialCdf from "@stdlib/stats-base-dists-binomial-cdf";

export interface FunnelLimit {
  n: number;
  lower: number;
  upper: number;
}

/** The exact-binomial limit at tail probability p (0 < p < 1). */
export function binomialLimit(theta: number, n: number, p: number): number {
  if (!(theta >= 0 && theta <= 1) || !Number.isInteger(n) || n < 1 || !(p > 0 && p < 1)) {
    throw new RangeError(
      `binomialLimit: need 0 ≤ θ ≤ 1, whole n ≥ 1 and 0 < p < 1; got θ = ${theta}, n = ${n}, p = ${p}`,
    );
  }
  if (theta === 0 || theta === 1) return theta;
  let r = 0;
  while (binomialCdf(r, n, theta) < p) r++;
  const at = binomialCdf(r, n, theta);
  const below = r === 0 ? 0 : binomialCdf(r - 1, n, theta);
  const alpha = (at - p) / (at - below);
  return Math.min(1, Math.max(0, (r - alpha) / n));
}

/** Two-sided limits of the given coverage (e.g. 0.95, 0.998) at denominator n. */
export function funnelLimits(theta: number, n: number, coverage: number): FunnelLimit {
  const tail = (1 - coverage) / 2;
  return { n, lower: binomialLimit(theta, n, tail), upper: binomialLimit(theta, n, 1 - tail) };
}
