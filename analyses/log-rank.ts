/**
 * The log-rank test across k groups and its trend version across ordered groups, as R's
 * survival::survdiff(Surv(time, event) ~ group) (rho = 0):
 *   at each event time, E_g += d·n_g/n and V_gh += d(n − d)/(n − 1) · (n_g/n)(δ_gh − n_h/n);
 *   χ² = (O − E)ᵀ V⁻ (O − E) on k − 1 df (V with one group dropped is inverted);
 *   trend: χ² = (wᵀ(O − E))² / (wᵀ V w) on 1 df, w the group scores (default 1…k).
 * References: Peto & Peto (1972); Collett (2015), Modelling Survival Data in Medical Research, 3rd ed., ch. 2.
 * @example logRank([1, 2, 3, 4], [true, true, true, true], ["a", "b", "a", "b"]).chisq
 */
import { chiSquareTail } from "./chi-square-tail.ts";
import { Matrix, inverse } from "ml-matrix";

export interface LogRank {
  groups: string[];
  n: number[];
  observed: number[];
  expected: number[];
  variance: number[][];
  chisq: number;
  df: number;
  p: number;
}

export function logRank(time: readonly number[], event: readonly boolean[], group: readonly string[], groups: readonly string[] = [...new Set(group)]): LogRank {
  const k = groups.length;
  const index = new Map(groups.map((g, i) => [g, i]));
  const order = time.map((_, i) => i).sort((a, b) => time[a]! - time[b]!);
  const atRisk = groups.map((g) => group.filter((x) => x === g).length);
  const n = [...atRisk];
  const observed = new Array<number>(k).fill(0);
  const expected = new Array<number>(k).fill(0);
  const variance = groups.map(() => new Array<number>(k).fill(0));
  for (let i = 0; i < order.length; ) {
    const t = time[order[i]!]!;
    const deaths = new Array<number>(k).fill(0);
    const leaving = new Array<number>(k).fill(0);
    while (i < order.length && time[order[i]!] === t) {
      const g = index.get(group[order[i]!]!);
      if (g === undefined) throw new RangeError(`logRank: group "${group[order[i]!]}" is not among ${groups.join(", ")}`);
      if (event[order[i]!]) deaths[g]!++;
      leaving[g]!++;
      i++;
    }
    const d = deaths.reduce((a, b) => a + b, 0);
    const total = atRisk.reduce((a, b) => a + b, 0);
    if (d > 0) {
      for (let g = 0; g < k; g++) {
        observed[g]! += deaths[g]!;
        expected[g]! += (d * atRisk[g]!) / total;
        if (total > 1) {
          const f = (d * (total - d)) / (total - 1);
          for (let h = 0; h < k; h++) variance[g]![h]! += f * (atRisk[g]! / total) * ((g === h ? 1 : 0) - atRisk[h]! / total);
        }
      }
    }
    for (let g = 0; g < k; g++) atRisk[g]! -= leaving[g]!;
  }
  const diff = observed.map((o, g) => o - expected[g]!).slice(0, k - 1);
  const v = new Matrix(variance.slice(0, k - 1).map((row) => row.slice(0, k - 1)));
  const chisq = k < 2 ? 0 : new Matrix([diff]).mmul(inverse(v)).mmul(Matrix.columnVector(diff)).get(0, 0);
  const df = k - 1;
  return { groups: [...groups], n, observed, expected, variance, chisq, df, p: chiSquareTail(chisq, df) };
}

/** Log-rank test for trend across the groups in their given order, with scores w (default 1…k). */
export function logRankTrend(test: LogRank, scores: readonly number[] = test.groups.map((_, i) => i + 1)): { chisq: number; df: 1; p: number } {
  const u = scores.reduce((acc, w, g) => acc + w * (test.observed[g]! - test.expected[g]!), 0);
  let vw = 0;
  for (let g = 0; g < scores.length; g++) for (let h = 0; h < scores.length; h++) vw += scores[g]! * test.variance[g]![h]! * scores[h]!;
  const chisq = (u * u) / vw;
  return { chisq, df: 1, p: chiSquareTail(chisq, 1) };
}
