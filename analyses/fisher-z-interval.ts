/**
 * Confidence interval of a correlation by Fisher's z transformation:
 * tanh(atanh(r) ± z_{(1+level)/2} / √m), where m is n − 3 for Pearson's r and n − 4 for a
 * partial correlation with one control variable.
 * Reference: Fisher (1921); R's cor.test; psych::r.con.
 * @example fisherZInterval(0.5, 100 - 3) // => [0.3366…, 0.6341…]
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

export function fisherZInterval(r: number, m: number, level = 0.95): [number, number] {
  const half = normalQuantile((1 + level) / 2, 0, 1) / Math.sqrt(m);
  const z = Math.atanh(r);
  return [Math.tanh(z - half), Math.tanh(z + half)];
}
