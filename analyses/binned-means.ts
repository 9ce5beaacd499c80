/**
 * A binned scatter ("binscatter"): x sorted and cut into k bins of (nearly) equal count;
 * for each bin the mean x, mean y, its count and a t-based 95% CI of mean y. It shows the
 * shape of an x–y relation without plotting any one person's values, so it is safe to share
 * when every bin holds at least the minimum cell size.
 * Reference: Starr & Goldfarb (2020), "Binned scatterplots", Strategic Management Journal 41:2261–2274.
 * @example binnedMeans([1, 2, 3, 4], [1, 3, 5, 7], 2)
 * // => [{ n: 2, x: 1.5, y: 2, ci_low: …, ci_high: … }, { n: 2, x: 3.5, y: 6, … }]
 */
import { mean, sampleStandardDeviation } from "simple-statistics";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";

export interface Bin {
  n: number;
  x: number;
  y: number;
  x_min: number;
  x_max: number;
  ci_low: number;
  ci_high: number;
}

export function binnedMeans(x: readonly number[], y: readonly number[], bins: number, level = 0.95): Bin[] {
  if (x.length !== y.length) throw new RangeError("binnedMeans: x and y differ in length");
  if (!Number.isInteger(bins) || bins < 1 || bins * 2 > x.length) throw new RangeError(`binnedMeans: cannot make ${bins} bins of ≥ 2 from ${x.length} pairs`);
  const order = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]! || y[a]! - y[b]!);
  const out: Bin[] = [];
  for (let b = 0; b < bins; b++) {
    const idx = order.slice(Math.round((b * order.length) / bins), Math.round(((b + 1) * order.length) / bins));
    const xs = idx.map((i) => x[i]!);
    const ys = idx.map((i) => y[i]!);
    const half = (tQuantile((1 + level) / 2, ys.length - 1) * sampleStandardDeviation(ys)) / Math.sqrt(ys.length);
    const my = mean(ys);
    out.push({ n: idx.length, x: mean(xs), y: my, x_min: xs[0]!, x_max: xs[xs.length - 1]!, ci_low: my - half, ci_high: my + half });
  }
  return out;
}
