/**
 * Cochran–Armitage χ² test for a linear trend in proportions x_i / n_i across ordered groups
 * with scores s_i, as R's prop.trend.test(x, n, score):
 *   χ² = [Σ x_i (s_i − s̄)]² / (p̄(1 − p̄) Σ n_i (s_i − s̄)²),  s̄ = Σ n_i s_i / N,  p̄ = Σ x_i / N, on 1 df.
 * References: Cochran (1954), Biometrics 10:417–451; Armitage (1955), Biometrics 11:375–386.
 * @example cochranArmitage([15, 10, 5], [30, 30, 30]).chisq // => 7.5 (prop.trend.test in R)
 */
import { chiSquareTail } from "./chi-square-tail.ts";

export function cochranArmitage(
  x: readonly number[],
  n: readonly number[],
  scores: readonly number[] = x.map((_, i) => i + 1),
): { chisq: number; df: 1; p: number } {
  if (x.length !== n.length || x.length !== scores.length || x.length < 2)
    throw new RangeError("cochranArmitage: x, n and scores need the same length ≥ 2");
  const total = n.reduce((a, b) => a + b, 0);
  const pBar = x.reduce((a, b) => a + b, 0) / total;
  const sBar = n.reduce((acc, ni, i) => acc + ni * scores[i]!, 0) / total;
  const numerator = x.reduce((acc, xi, i) => acc + xi * (scores[i]! - sBar), 0);
  const spread = n.reduce((acc, ni, i) => acc + ni * (scores[i]! - sBar) ** 2, 0);
  const chisq = (numerator * numerator) / (pBar * (1 - pBar) * spread);
  return { chisq, df: 1, p: chiSquareTail(chisq, 1) };
}
