/**
 * Confidence intervals for the change of a figure between two independent periods (or groups),
 * one per kind of figure in the quarterly report. Each returns the difference (first − second)
 * and its interval; a change is supported by the data when the interval excludes 0.
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { wilson } from "./wilson.ts";
import { fisherZInterval } from "./fisher-z-interval.ts";

export interface Difference {
  estimate: number;
  ci_low: number;
  ci_high: number;
}

const zOf = (level: number) => normalQuantile((1 + level) / 2, 0, 1);

/**
 * Difference of two independent proportions x1/n1 − x2/n2 by Newcombe's hybrid score interval
 * (Newcombe 1998, Stat Med 17:873–890, method 10), built from the two Wilson intervals.
 * @example proportionDifference(56, 70, 48, 80) // => { estimate: 0.2, ci_low: 0.0524…, ci_high: 0.3339… } (Newcombe's table II)
 */
export function proportionDifference(x1: number, n1: number, x2: number, n2: number, level = 0.95): Difference {
  const a = wilson(x1, n1, level);
  const b = wilson(x2, n2, level);
  const d = a.rate - b.rate;
  return {
    estimate: d,
    ci_low: d - Math.sqrt((a.rate - a.ci_low) ** 2 + (b.ci_high - b.rate) ** 2),
    ci_high: d + Math.sqrt((a.ci_high - a.rate) ** 2 + (b.rate - b.ci_low) ** 2),
  };
}

/**
 * Difference of two means with Welch's interval (unequal variances), as R's
 * t.test(x, y)$conf.int. Takes each group's mean, sample SD and size (n ≥ 2).
 * @example meanDifference({ mean: 5, sd: 1, n: 10 }, { mean: 4, sd: 2, n: 12 })
 */
export function meanDifference(
  a: { mean: number; sd: number; n: number },
  b: { mean: number; sd: number; n: number },
  level = 0.95,
): Difference {
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const se = Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const half = tQuantile((1 + level) / 2, df) * se;
  const d = a.mean - b.mean;
  return { estimate: d, ci_low: d - half, ci_high: d + half };
}

/**
 * Difference of two independent Pearson correlations by Zou's method (Zou 2007, Psychol Methods
 * 12:399–413, eq. 13), from each correlation's Fisher-z interval.
 * @example correlationDifference(0.5, 100, 0.3, 120)
 */
export function correlationDifference(r1: number, n1: number, r2: number, n2: number, level = 0.95): Difference {
  const [l1, u1] = fisherZInterval(r1, n1 - 3, level);
  const [l2, u2] = fisherZInterval(r2, n2 - 3, level);
  const d = r1 - r2;
  return {
    estimate: d,
    ci_low: d - Math.sqrt((r1 - l1) ** 2 + (u2 - r2) ** 2),
    ci_high: d + Math.sqrt((u1 - r1) ** 2 + (r2 - l2) ** 2),
  };
}

/**
 * Difference of two independent survival probabilities at the same day, S1 − S2 ± z·√(se1² + se2²),
 * where se is Greenwood's standard error of S itself (S · std_err of −log S, as survfit's std.err
 * times surv) (Klein & Moeschberger 2003, §7.8).
 * @example survivalDifference({ surv: 0.8, se: 0.04 }, { surv: 0.7, se: 0.05 })
 */
export function survivalDifference(
  a: { surv: number; se: number },
  b: { surv: number; se: number },
  level = 0.95,
): Difference {
  const half = zOf(level) * Math.sqrt(a.se ** 2 + b.se ** 2);
  const d = a.surv - b.surv;
  return { estimate: d, ci_low: d - half, ci_high: d + half };
}

/**
 * Difference of two counts taken as independent Poisson counts (e.g. admissions in two quarters):
 * a − b ± z·√(a + b), the normal approximation.
 * @example countDifference(132, 110) // => { estimate: 22, ci_low: -8.49…, ci_high: 52.49… }
 */
export function countDifference(a: number, b: number, level = 0.95): Difference {
  const half = zOf(level) * Math.sqrt(a + b);
  return { estimate: a - b, ci_low: a - b - half, ci_high: a - b + half };
}
