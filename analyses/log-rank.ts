/**
 * The log-rank test across k groups and its trend version across ordered groups, as R's
 * survival::survdiff(Surv(time, event) ~ group) (rho = 0):
 *   at each event time, E_g += d·n_g/n and V_gh += d(n − d)/(n − 1) · (n_g/n)(δ_gh − n_h/n);
 *   χ² = (O − E)ᵀ V⁻ (O − E) on k − 1 df (V with one group dropped is inverted);
 *   trend: χ² = (wᵀ(O − E))² / (wᵀ V w) on 1 df, w the group scores (default 1…k).
 * As survdiff, groups with no expected events (no one at risk at any event time) are left out of
 * the χ², and with fewer than two groups left there is no test: chisq, df and p are then null
 * (R prints χ² = 0 on −1 or 0 df). A trend whose variance is 0 (no events) is null too.
 * References: Peto & Peto (1972); Collett (2015), Modelling Survival Data in Medical Research, 3rd ed., ch. 2.
 * @example logRank([1, 2, 3, 4], [true, true, true, true], ["a", "b", "a", "b"]).chisq
 */
import { chiSquareTail } from "./chi-square-tail.ts";
import { Matrix } from "ml-matrix";
import { safeInverse } from "./matrix-errors.ts";
import { ascendingOrder } from "./time-order.ts";

export interface LogRank {
  groups: string[];
  n: number[];
  observed: number[];
  expected: number[];
  variance: number[][];
  /** null when fewer than two groups have expected events (no events at all, or one group at risk). */
  chisq: number | null;
  df: number | null;
  p: number | null;
}

export function logRank(
  time: readonly number[],
  event: readonly boolean[],
  group: readonly string[],
  groups: readonly string[] = [...new Set(group)],
): LogRank {
  const k = groups.length;
  const index = new Map(groups.map((g, i) => [g, i]));
  const order = ascendingOrder(time);
  const atRisk = groups.map((g) => group.filter((x) => x === g).length);
  const n = [...atRisk];
  const observed = new Array<number>(k).fill(0);
  const expected = new Array<number>(k).fill(0);
  const variance = groups.map(() => new Array<number>(k).fill(0));
  for (let i = 0; i < order.length;) {
    const t = time[order[i]!]!;
    const deaths = new Array<number>(k).fill(0);
    const leaving = new Array<number>(k).fill(0);
    while (i < order.length && time[order[i]!] === t) {
      const g = index.get(group[order[i]!]!);
      if (g === undefined)
        throw new RangeError(`logRank: group "${group[order[i]!]}" is not among ${groups.join(", ")}`);
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
          for (let h = 0; h < k; h++)
            variance[g]![h]! += f * (atRisk[g]! / total) * ((g === h ? 1 : 0) - atRisk[h]! / total);
        }
      }
    }
    for (let g = 0; g < k; g++) atRisk[g]! -= leaving[g]!;
  }
  // survdiff: only groups with expected events take part; the first of them is dropped from V.
  const kept = groups.map((_, g) => g).filter((g) => expected[g]! > 0);
  if (kept.length < 2) return { groups: [...groups], n, observed, expected, variance, chisq: null, df: null, p: null };
  const rest = kept.slice(1);
  const diff = rest.map((g) => observed[g]! - expected[g]!);
  const v = new Matrix(rest.map((g) => rest.map((h) => variance[g]![h]!)));
  const chisq = new Matrix([diff]).mmul(safeInverse(v)).mmul(Matrix.columnVector(diff)).get(0, 0);
  const df = kept.length - 1;
  return { groups: [...groups], n, observed, expected, variance, chisq, df, p: chiSquareTail(chisq, df) };
}

/** Log-rank test for trend across the groups in their given order, with scores w (default 1…k). */
export function logRankTrend(
  test: LogRank,
  scores: readonly number[] = test.groups.map((_, i) => i + 1),
): { chisq: number; df: 1; p: number } | null {
  const u = scores.reduce((acc, w, g) => acc + w * (test.observed[g]! - test.expected[g]!), 0);
  let vw = 0;
  for (let g = 0; g < scores.length; g++)
    for (let h = 0; h < scores.length; h++) vw += scores[g]! * test.variance[g]![h]! * scores[h]!;
  if (!(vw > 0)) return null;
  const chisq = (u * u) / vw;
  return { chisq, df: 1, p: chiSquareTail(chisq, 1) };
}
