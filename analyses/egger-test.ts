/**
 * Egger's regression test for funnel-plot asymmetry (Egger, Davey Smith, Schneider & Minder 1997,
 * BMJ 315:629–634), in the form of R's metafor::regtest(model = "lm", predictor = "sei"):
 * weighted least squares of y_i on (1, se_i) with weights 1/v_i and the residual variance estimated;
 * the slope on se_i is the asymmetry ("bias") tested by t on k − 2 df, and the intercept is the
 * limit estimate as se → 0. This is the same t as the classic regression of y/se on 1/se.
 * @example eggerTest([0.19, 0.16, 0.35], [0.0094, 0.0013, 0.0192]).p
 */
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";

export interface EggerTest {
  k: number;
  /** Slope on the standard error: 0 when the funnel is symmetric. */
  bias: number;
  bias_se: number;
  t: number;
  df: number;
  p: number;
  /** Intercept: the estimate for a study of infinite size, with its CI. */
  limit_estimate: number;
  limit_ci: [number, number];
}

export function eggerTest(y: readonly number[], v: readonly number[], level = 0.95): EggerTest {
  const k = y.length;
  if (k < 3 || v.length !== k) throw new RangeError("eggerTest: needs at least 3 studies, with a variance for each");
  const se = v.map(Math.sqrt);
  const w = v.map((vi) => 1 / vi);
  // Weighted normal equations for y = a + b·se.
  let sw = 0,
    sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0;
  for (let i = 0; i < k; i++) {
    sw += w[i]!;
    sx += w[i]! * se[i]!;
    sy += w[i]! * y[i]!;
    sxx += w[i]! * se[i]! * se[i]!;
    sxy += w[i]! * se[i]! * y[i]!;
  }
  const det = sw * sxx - sx * sx;
  if (!(det > 1e-12 * sw * sxx)) throw new RangeError("eggerTest: the studies' standard errors do not vary");
  const b = (sw * sxy - sx * sy) / det;
  const a = (sy - b * sx) / sw;
  const df = k - 2;
  let rss = 0;
  for (let i = 0; i < k; i++) rss += w[i]! * (y[i]! - a - b * se[i]!) ** 2;
  const sigma2 = rss / df;
  const bSe = Math.sqrt((sigma2 * sw) / det);
  const aSe = Math.sqrt((sigma2 * sxx) / det);
  const t = b / bSe;
  const q = tQuantile(1 - (1 - level) / 2, df);
  return {
    k,
    bias: b,
    bias_se: bSe,
    t,
    df,
    p: Math.min(1, 2 * tCdf(-Math.abs(t), df)),
    limit_estimate: a,
    limit_ci: [a - q * aSe, a + q * aSe],
  };
}
