/**
 * Intervals that respect cases nested in clusters (clients in therapists): a seeded cluster
 * bootstrap that resamples whole clusters, and a cluster jackknife, for statistics that are
 * functions of sums (a correlation, a partial correlation, a proportion).
 *
 * Each statistic is given as per-cluster sums (e.g. n, Σx, Σy, Σx², Σy², Σxy) and the function that
 * turns summed totals into the estimate. A bootstrap replicate draws G clusters with replacement
 * (mulberry32, as analyses/seeded-random.ts) and sums their totals, so a replicate costs O(G), not
 * O(n): 50,000 therapists × 2,000 replicates is 10⁸ additions per statistic.
 *   - percentile and BCa intervals as boot::boot.ci on the cluster-level data (Davison & Hinkley
 *     1997, §3.8 "two-stage sampling", strategy 1: resample clusters, keep their cases whole):
 *     boot::norm.inter interpolation; BCa acceleration from leave-one-cluster-out values,
 *     a = ΣL³ / (6(ΣL²)^{3/2}), L_g = (G − 1)(θ̂ − θ₍₋g₎) (boot::empinf(type = "jack") on clusters);
 *   - the cluster jackknife variance (G − 1)/G Σ(θ₍₋g₎ − θ̄₍.₎)² on the statistic's normalising
 *     scale (Fisher z for a correlation), and the same with every case its own cluster: their
 *     ratio is the design effect, n / design effect the effective n (Kish 1965, §8.2).
 * @example clusterBootstrap([pearsonBlock(x, y, therapistIndex, 30)], 2000, 1)[0]!.percentile // [lower, upper]
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { percentileAndBca, type BootstrapInterval } from "./bootstrap-correlation.ts";
import { resampleCounts } from "./seeded-random.ts";
import { renumber } from "./renumber.ts";

/** Fewer clusters than this and there is no cluster jackknife (nor, in the pipeline, any cluster-aware interval). */
export const MIN_CLUSTERS = 3;

/** A statistic as per-cluster sums: `sums` holds G rows of `width` values; `statistic` maps summed totals to θ. */
export interface ClusterBlock {
  /** The clusters that hold at least one of the block's cases. */
  clusters: number;
  width: number;
  sums: Float64Array;
  /** Cases in the block (for the design effect's effective n). */
  n: number;
  /** θ from totals, NaN where undefined (a constant variable). */
  statistic: (totals: Float64Array) => number;
  /** The scale on which θ is near normal (atanh for a correlation, identity for a proportion), and back. */
  scale: (theta: number) => number;
  unscale: (value: number) => number;
  /** Writes case i's own row of sums into `out`: the independent-case jackknife leaves out one case at a time. */
  caseRow: (i: number, out: Float64Array) => void;
  /** θ with each case left out in turn, passed to `visit` (a block may give a faster loop than caseRow's). */
  eachCaseLeftOut?: (visit: (theta: number) => void) => void;
}

export interface ClusterJackknife {
  estimate: number;
  n: number;
  clusters: number;
  /** Cluster jackknife standard error on the normalising scale. */
  se: number;
  /** The independent-case jackknife standard error on the same scale. */
  se_independent: number;
  /** (se / se_independent)²: how much the clustering inflates the variance; null when se_independent is 0. */
  design_effect: number | null;
  /**
   * n / design_effect, at most n: a design effect below 1 (the cluster jackknife narrower than the
   * independent-case one) is reported as it is, but does not make the sample count for more than it is.
   */
  effective_n: number | null;
  /** back-transformed θ̂ ± t_{G−1} · se on the normalising scale. */
  ci: [number, number];
}

/** The intervals of bootstrapCorrelation, for any block's statistic, and the clusters resampled. */
export interface ClusterBootstrapInterval extends BootstrapInterval {
  clusters: number;
}

/**
 * Seeded cluster-bootstrap intervals for several statistics, each resampling its own clusters from the
 * same seed (its interval does not depend on which others are resampled with it); null where θ̂ is undefined.
 */
export function clusterBootstrap(
  blocks: readonly ClusterBlock[],
  b = 2000,
  seed = 1,
  level = 0.95,
): (ClusterBootstrapInterval | null)[] {
  return blocks.map((block) => bootstrapOne(block, b, seed, level));
}

/** One statistic's resamples: each draws G of its G clusters with replacement (the same stream from `seed` whatever else is resampled). */
function bootstrapOne(block: ClusterBlock, b: number, seed: number, level: number): ClusterBootstrapInterval | null {
  const g = block.clusters;
  const w = block.width;
  const sum = totals(block);
  const estimate = block.statistic(sum);
  if (!Number.isFinite(estimate) || g < 2) return null;
  const reps: number[] = [];
  const counts = new Int32Array(g);
  let state = seed >>> 0;
  for (let r = 0; r < b; r++) {
    state = resampleCounts(counts, state);
    sum.fill(0);
    for (let c = 0; c < g; c++) {
      const m = counts[c]!;
      if (m === 0) continue;
      for (let v = 0, at = c * w; v < w; v++) sum[v]! += m * block.sums[at + v]!;
    }
    const theta = block.statistic(sum);
    if (Number.isFinite(theta)) reps.push(theta);
  }
  if (reps.length < 2) return null;
  reps.sort((p, q) => p - q);
  return intervals(estimate, reps, leaveOneOut(block), b, seed, g, level);
}

/**
 * The cluster jackknife of one statistic: its standard error, design effect, effective n and a
 * t-interval on G − 1 df on the normalising scale. Null with fewer than 3 clusters or θ̂ undefined.
 * @example clusterJackknife(pearsonBlock(weight, time, chick, 50))!.design_effect // => 4.2766 (ChickWeight, chicks as clusters)
 */
export function clusterJackknife(block: ClusterBlock, level = 0.95): ClusterJackknife | null {
  const g = block.clusters;
  const estimate = block.statistic(totals(block));
  if (g < MIN_CLUSTERS || !Number.isFinite(estimate)) return null;
  const se = jackknifeSe(leaveOneOut(block), block.scale);
  if (se === null) return null;
  const seIndependent = caseJackknifeSe(block) ?? 0;
  const designEffect = seIndependent > 0 ? (se / seIndependent) ** 2 : null;
  const q = tQuantile((1 + level) / 2, g - 1);
  const centre = block.scale(estimate);
  return {
    estimate,
    n: block.n,
    clusters: g,
    se,
    se_independent: seIndependent,
    design_effect: designEffect,
    effective_n: designEffect ? block.n / Math.max(1, designEffect) : null,
    ci: [block.unscale(centre - q * se), block.unscale(centre + q * se)],
  };
}

/**
 * Pearson's r of x and y as per-cluster sums (x and y centred on their means for precision).
 * `cluster` holds each case's cluster as 0 … clusters − 1.
 * @example clusterJackknife(pearsonBlock([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5], [0, 0, 1, 1, 2, 2], 3))!.estimate // => 0.8286
 */
export function pearsonBlock(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  cluster: ArrayLike<number>,
  clusters: number,
  scratch?: BlockScratch,
): ClusterBlock {
  const { block, centred } = covarianceBlock([x, y], cluster, clusters, (r) => r(0, 1), scratch);
  // Leave-one-case-out r in one tight loop over the centred values (as the statistic would, without its calls).
  block.eachCaseLeftOut = (visit) => {
    const t = totals(block);
    const [n, sx, sy, sxx, sxy, syy] = [t[0]!, t[1]!, t[2]!, t[3]!, t[4]!, t[5]!];
    const [cx, cy] = centred as [Float64Array, Float64Array];
    const m = n - 1;
    for (let i = 0; i < block.n; i++) {
      const a = cx[i]!;
      const b = cy[i]!;
      const [ax, ay] = [sx - a, sy - b];
      const vx = sxx - a * a - (ax * ax) / m;
      const vy = syy - b * b - (ay * ay) / m;
      visit(vx > 0 && vy > 0 ? Math.max(-1, Math.min(1, (sxy - a * b - (ax * ay) / m) / Math.sqrt(vx * vy))) : NaN);
    }
  };
  return block;
}

/** The partial correlation of x and y given z (Pearson, as analyses/partial-correlation.ts), as per-cluster sums. */
export function partialBlock(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  z: ArrayLike<number>,
  cluster: ArrayLike<number>,
  clusters: number,
  scratch?: BlockScratch,
): ClusterBlock {
  return covarianceBlock(
    [x, y, z],
    cluster,
    clusters,
    (r) => {
      const rxy = r(0, 1);
      const rxz = r(0, 2);
      const ryz = r(1, 2);
      return (rxy - rxz * ryz) / Math.sqrt((1 - rxz * rxz) * (1 - ryz * ryz));
    },
    scratch,
  ).block;
}

/**
 * The proportion Σevents / Σtrials (a dropout rate among closed episodes) as per-cluster sums.
 * @example proportionBlock([1, 0, 0], [1, 1, 1], [0, 0, 1], 2) // θ = 1/3
 */
export function proportionBlock(
  events: ArrayLike<number>,
  trials: ArrayLike<number>,
  cluster: ArrayLike<number>,
  clusters: number,
): ClusterBlock {
  const n = events.length;
  // The clusters that hold at least one of the block's cases, renumbered 0 … G − 1 in order: a
  // statistic on a subset is resampled and jackknifed over the clusters it has, not every cluster.
  const { id, g } = renumber(cluster, clusters);
  const sums = new Float64Array(g * 2);
  for (let i = 0; i < n; i++) {
    sums[id[i]! * 2]! += trials[i]!;
    sums[id[i]! * 2 + 1]! += events[i]!;
  }
  return {
    clusters: g,
    width: 2,
    n,
    sums,
    statistic: (t) => (t[0]! > 0 ? t[1]! / t[0]! : NaN),
    scale: (v) => v,
    unscale: (v) => v,
    caseRow: (i, out) => {
      out[0] = trials[i]!;
      out[1] = events[i]!;
    },
  };
}

/**
 * Buffers of at least n values that a block may build in instead of allocating its own: on a million
 * episodes, allocating them afresh for each of twenty correlations set off a full garbage collection of
 * the episodes' heap each time. A block built in scratch is valid until the scratch is used again.
 */
export interface BlockScratch {
  centred: [Float64Array, Float64Array, Float64Array];
  id: Int32Array;
}

/** Scratch buffers for blocks of up to n cases. */
export const blockScratch = (n: number): BlockScratch => ({
  centred: [new Float64Array(n), new Float64Array(n), new Float64Array(n)],
  id: new Int32Array(n),
});

/**
 * Sums of a block of variables: per cluster [n, Σv_j, Σv_j v_l (j ≤ l)], the variables centred;
 * `stat` computes θ from the correlations r(j, l) of the summed totals. Returns the centred variables
 * beside the block, for a faster leave-one-case-out loop.
 */
function covarianceBlock(
  columns: ArrayLike<number>[],
  cluster: ArrayLike<number>,
  clusters: number,
  stat: (r: (j: number, l: number) => number) => number,
  scratch?: BlockScratch,
): { block: ClusterBlock; centred: Float64Array[] } {
  const n = columns[0]!.length;
  const k = columns.length;
  const centred = columns.map((c, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i]!;
    const mean = s / n;
    const out = scratch ? scratch.centred[j]!.subarray(0, n) : new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = c[i]! - mean;
    return out;
  });
  const width = 1 + k + (k * (k + 1)) / 2;
  const caseRow = (i: number, out: Float64Array) => {
    out[0] = 1;
    let v = 1 + k;
    for (let j = 0; j < k; j++) {
      const a = centred[j]![i]!;
      out[1 + j] = a;
      for (let l = j; l < k; l++) out[v++] = a * centred[l]![i]!;
    }
  };
  const { id, g } = renumber(cluster, clusters, scratch?.id);
  const sums = new Float64Array(g * width);
  if (k === 2) {
    // The common case, unrolled: [n, Σx, Σy, Σx², Σxy, Σy²].
    const [cx, cy] = centred as [Float64Array, Float64Array];
    for (let i = 0; i < n; i++) {
      const at = id[i]! * 6;
      const a = cx[i]!;
      const b = cy[i]!;
      sums[at]! += 1;
      sums[at + 1]! += a;
      sums[at + 2]! += b;
      sums[at + 3]! += a * a;
      sums[at + 4]! += a * b;
      sums[at + 5]! += b * b;
    }
  } else {
    const row = new Float64Array(width);
    for (let i = 0; i < n; i++) {
      caseRow(i, row);
      const at = id[i]! * width;
      for (let v = 0; v < width; v++) sums[at + v]! += row[v]!;
    }
  }
  // The cross product of variables j ≤ l sits after n and the k sums, row by row of the upper triangle.
  const index = (j: number, l: number) => 1 + k + j * k - (j * (j - 1)) / 2 + (l - j);
  let totals: Float64Array = new Float64Array(width);
  const r = (j: number, l: number) =>
    correlationFrom(totals, index(j, j), index(l, l), index(Math.min(j, l), Math.max(j, l)), 1 + j, 1 + l);
  const block: ClusterBlock = {
    clusters: g,
    width,
    n,
    sums,
    statistic: (t) => {
      totals = t;
      return stat(r);
    },
    scale: Math.atanh,
    unscale: Math.tanh,
    caseRow,
  };
  return { block, centred };
}

/** r from covarianceBlock totals, given where Σv_j², Σv_l², Σv_j v_l, Σv_j and Σv_l sit; NaN when either is constant. */
function correlationFrom(t: Float64Array, jj: number, ll: number, jl: number, sj: number, sl: number): number {
  const n = t[0]!;
  const vj = t[jj]! - (t[sj]! * t[sj]!) / n;
  const vl = t[ll]! - (t[sl]! * t[sl]!) / n;
  if (!(vj > 0 && vl > 0)) return NaN;
  return Math.max(-1, Math.min(1, (t[jl]! - (t[sj]! * t[sl]!) / n) / Math.sqrt(vj * vl)));
}

/** The totals over all clusters. */
function totals(block: ClusterBlock): Float64Array {
  const t = new Float64Array(block.width);
  for (let c = 0; c < block.clusters; c++)
    for (let v = 0; v < block.width; v++) t[v]! += block.sums[c * block.width + v]!;
  return t;
}

/** θ with each cluster left out in turn (NaN where undefined). */
function leaveOneOut(block: ClusterBlock): Float64Array {
  const all = totals(block);
  const t = new Float64Array(block.width);
  const out = new Float64Array(block.clusters);
  for (let c = 0; c < block.clusters; c++) {
    for (let v = 0; v < block.width; v++) t[v] = all[v]! - block.sums[c * block.width + v]!;
    out[c] = block.statistic(t);
  }
  return out;
}

/** √((G − 1)/G Σ(s(θ₍₋g₎) − mean)²) over the defined leave-one-out values, on scale s; null if under 2 are finite. */
function jackknifeSe(loo: Float64Array, scale: (v: number) => number): number | null {
  const w = new Welford();
  for (const v of loo) w.add(scale(v));
  return w.jackknifeSe();
}

/** The jackknife standard error leaving out one case at a time (every case its own cluster), streamed. */
function caseJackknifeSe(block: ClusterBlock): number | null {
  const w = new Welford();
  if (block.eachCaseLeftOut) {
    block.eachCaseLeftOut((theta) => w.add(block.scale(theta)));
    return w.jackknifeSe();
  }
  const all = totals(block);
  const row = new Float64Array(block.width);
  const t = new Float64Array(block.width);
  for (let i = 0; i < block.n; i++) {
    block.caseRow(i, row);
    for (let v = 0; v < block.width; v++) t[v] = all[v]! - row[v]!;
    w.add(block.scale(block.statistic(t)));
  }
  return w.jackknifeSe();
}

/** Running mean and sum of squared deviations of the finite values added (Welford 1962). */
class Welford {
  private count = 0;
  private mean = 0;
  private m2 = 0;
  add(x: number): void {
    if (!Number.isFinite(x)) return;
    this.count++;
    const d = x - this.mean;
    this.mean += d / this.count;
    this.m2 += d * (x - this.mean);
  }
  /** √((G − 1)/G · Σ(x − mean)²), G the values added; null below 2. */
  jackknifeSe(): number | null {
    return this.count < 2 ? null : Math.sqrt(((this.count - 1) / this.count) * this.m2);
  }
}

function intervals(
  estimate: number,
  sorted: number[],
  loo: Float64Array,
  b: number,
  seed: number,
  clusters: number,
  level: number,
): ClusterBootstrapInterval {
  // BCa acceleration from the leave-one-cluster-out values, L_g = (G − 1)(θ̂ − θ₍₋g₎).
  let s2 = 0;
  let s3 = 0;
  for (const v of loo) {
    if (!Number.isFinite(v)) continue;
    const l = (clusters - 1) * (estimate - v);
    s2 += l * l;
    s3 += l * l * l;
  }
  const acceleration = s2 > 0 ? s3 / (6 * s2 ** 1.5) : 0;
  return {
    estimate,
    b,
    seed,
    clusters,
    undefined_replicates: b - sorted.length,
    ...percentileAndBca(sorted, estimate, acceleration, level),
    acceleration,
  };
}

/**
 * The difference of two groups' means, mean(y | group 1) − mean(y | group 0), as per-cluster sums
 * (for the cluster jackknife of, e.g., outcome change with and without a repaired rupture).
 * @example clusterJackknife(meanDifferenceBlock([1, 0, 1, 0, 1, 0], [5, 3, 6, 2, 7, 4], [0, 0, 1, 1, 2, 2], 3))!.estimate // => 3
 */
export function meanDifferenceBlock(
  group: ArrayLike<number>,
  y: ArrayLike<number>,
  cluster: ArrayLike<number>,
  clusters: number,
): ClusterBlock {
  const n = y.length;
  const { id, g } = renumber(cluster, clusters);
  const sums = new Float64Array(g * 4);
  const row = (i: number, out: Float64Array, at = 0) => {
    const k = group[i] === 1 ? 0 : 2;
    out[at + k] = out[at + k]! + 1;
    out[at + k + 1] = out[at + k + 1]! + y[i]!;
  };
  for (let i = 0; i < n; i++) row(i, sums, id[i]! * 4);
  return {
    clusters: g,
    width: 4,
    n,
    sums,
    statistic: (t) => (t[0]! > 0 && t[2]! > 0 ? t[1]! / t[0]! - t[3]! / t[2]! : NaN),
    scale: (v) => v,
    unscale: (v) => v,
    caseRow: (i, out) => {
      out.fill(0);
      row(i, out);
    },
  };
}
