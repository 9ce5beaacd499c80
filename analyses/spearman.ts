/**
 * Spearman's rank correlation ρ: Pearson's r of the average ranks. The p-value is the
 * t approximation on n − 2 df, equal to R's cor.test(x, y, method = "spearman", exact = FALSE);
 * R itself uses that approximation whenever there are ties or n > 1289, and otherwise an
 * exact permutation p (AS 89) that can differ for small untied samples. No interval is
 * given (R's cor.test gives none for Spearman either).
 * @example spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]).estimate // => 0.8207826816681233
 */
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import { correlationCoefficient } from "./pearson.ts";
import { averageRanks } from "./rank.ts";
import type { CorrelationEstimate } from "./correlation-result.ts";

export function spearman(x: readonly number[], y: readonly number[]): CorrelationEstimate {
  return spearmanFromRanks(averageRanks(x), averageRanks(y));
}

/**
 * spearman from the average ranks of x and y (averageRanks or averageRanksTyped), for a caller that
 * has them: the cluster-aware interval of the same ρ ranks the same pairs.
 * @example spearmanFromRanks([1, 2, 3, 4, 5], [1, 2, 3.5, 5, 3.5]).estimate // => 0.8207826816681233
 */
export function spearmanFromRanks(rx: ArrayLike<number>, ry: ArrayLike<number>): CorrelationEstimate {
  const n = rx.length;
  if (n !== ry.length) throw new RangeError(`spearman: x has ${n} values and y has ${ry.length}`);
  if (n < 4) throw new RangeError(`spearman: needs at least 4 pairs, got ${n}`);
  const rho = correlationCoefficient(rx, ry);
  const df = n - 2;
  const t = rho / Math.sqrt((1 - rho * rho) / df);
  const p = Math.min(1, 2 * tCdf(-Math.abs(t), df));
  return { n, estimate: rho, t, df, p, ci_low: null, ci_high: null };
}
