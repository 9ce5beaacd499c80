/**
 * Bootstrap confidence intervals for Pearson's r by resampling pairs (seeded with mulberry32,
 * as analyses/seeded-random.ts, so a run repeats exactly): percentile and BCa, with the interpolation of R's boot::norm.inter and BCa as in
 * boot::bca.ci — bias correction w = Φ⁻¹(#{r* < r̂}/B), acceleration a = ΣL³ / (6(ΣL²)^{3/2})
 * from jackknife influence values L_i = (n − 1)(r̂ − r₍₋ᵢ₎), centred on the full-sample r̂ as
 * boot::empinf(type = "jack") does (Efron & Tibshirani centre on the mean of the r₍₋ᵢ₎ instead).
 * References: Efron (1987), JASA 82:171–185; Efron & Tibshirani (1993), An Introduction to the
 * Bootstrap, ch. 13–14; Davison & Hinkley (1997), Bootstrap Methods and their Application, §5.3.
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { correlationCoefficient } from "./pearson.ts";
import { resampleCounts } from "./seeded-random.ts";

export interface BootstrapInterval {
  estimate: number;
  b: number;
  seed: number;
  /** Resamples whose statistic was undefined (r of a constant variable) and were left out. */
  undefined_replicates: number;
  percentile: [number, number];
  bca: [number, number];
  bias_correction: number;
  acceleration: number;
}

/**
 * Seeded bootstrap intervals for r(x, y).
 * @example bootstrapCorrelation(wt, mpg, 2000, 1).bca // [lower, upper]
 */
export function bootstrapCorrelation(
  x: readonly number[],
  y: readonly number[],
  b = 2000,
  seed = 1,
  level = 0.95,
): BootstrapInterval {
  if (x.length !== y.length || x.length < 4)
    throw new RangeError("bootstrapCorrelation: needs two equal-length arrays of at least 4 pairs");
  correlationCoefficient(x, y); // throws when a variable is constant, before any resample is drawn
  return bootstrapInterval(x, y, [bootstrapReplicates(x, y, seed, 0, b)], b, seed, level);
}

/**
 * The replicates `from` … `to` − 1 of bootstrapCorrelation(x, y, b, seed): r of each resample, NaN
 * where a variable is constant in it. Any range can be computed on its own, on another thread, and
 * gives the same numbers as the whole run: a resample's draws start where the stream of the ones
 * before it ends, and mulberry32's state only adds a constant per draw, so the state of draw k is
 * found without drawing the k before it.
 * @example bootstrapInterval(x, y, [bootstrapReplicates(x, y, 1, 0, 1000), bootstrapReplicates(x, y, 1, 1000, 2000)], 2000, 1) // => bootstrapCorrelation(x, y, 2000, 1)
 */
export function bootstrapReplicates(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  seed: number,
  from: number,
  to: number,
): Float64Array {
  const n = x.length;
  if (n < 4 || y.length !== n)
    throw new RangeError("bootstrapReplicates: needs two equal-length arrays of at least 4 pairs");
  const [cx, cy] = [centre(x), centre(y)];
  const sum = new Float64Array(2);
  const squares = new Float64Array(2);
  const counts = new Int32Array(n);
  const out = new Float64Array(to - from);
  // The state after from · n draws, modulo 2^32 as the stream keeps it.
  let state = ((seed >>> 0) + Math.imul(Math.imul(from, n), MULBERRY32_STEP)) >>> 0;
  for (let r = from; r < to; r++) {
    state = resampleCounts(counts, state);
    const product = pairSums(counts, cx, cy, sum, squares);
    const vx = squares[0]! - (sum[0]! * sum[0]!) / n;
    const vy = squares[1]! - (sum[1]! * sum[1]!) / n;
    out[r - from] =
      vx > 0 && vy > 0 ? Math.max(-1, Math.min(1, (product - (sum[0]! * sum[1]!) / n) / Math.sqrt(vx * vy))) : NaN;
  }
  return out;
}

/**
 * bootstrapCorrelation's intervals from its replicates, computed in ranges (bootstrapReplicates) and
 * given in the order of the ranges; the same result, to the last bit.
 */
export function bootstrapInterval(
  x: readonly number[],
  y: readonly number[],
  ranges: readonly Float64Array[],
  b: number,
  seed: number,
  level = 0.95,
): BootstrapInterval {
  if (ranges.reduce((a, range) => a + range.length, 0) !== b)
    throw new RangeError("bootstrapInterval: the ranges do not hold b replicates");
  const reps: number[] = [];
  for (const range of ranges) for (const r of range) if (r === r) reps.push(r);
  return intervals(x, y, correlationCoefficient(x, y), reps, b, seed, level);
}

/** What mulberry32 (seededUniform, resampleCounts) adds to its state for each draw. */
const MULBERRY32_STEP = 0x6d2b79f5;

/** A column less its mean (a loop: Float64Array.from with a function is several times slower). */
function centre(col: ArrayLike<number>): Float64Array {
  const n = col.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += col[i]!;
  const mean = s / n;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = col[i]! - mean;
  return out;
}

/**
 * Bootstrap intervals for several correlations among variables measured on the same cases, from
 * one set of resamples: each resample draws its case indices once and every pair's r is computed
 * on it. A pair's interval is exactly what bootstrapCorrelation gives it alone with the same seed
 * (the same indices, summed in the same order); sharing the draws only saves time.
 * @example bootstrapCorrelations([early, mean, change], [[0, 2], [1, 2]], 2000, 1) // two intervals
 */
export function bootstrapCorrelations(
  columns: readonly (readonly number[])[],
  pairs: readonly (readonly [number, number])[],
  b = 2000,
  seed = 1,
  level = 0.95,
): BootstrapInterval[] {
  const n = columns[0]?.length ?? 0;
  if (n < 4 || columns.some((c) => c.length !== n))
    throw new RangeError("bootstrapCorrelations: needs equal-length columns of at least 4 cases");
  const k = columns.length;
  const m = pairs.length;
  const estimates = pairs.map(([i, j]) => correlationCoefficient(columns[i]!, columns[j]!));
  // Centre each column once so the sums of each resample keep their precision.
  const centred = columns.map(centre);
  const sum = new Float64Array(k);
  const squares = new Float64Array(k);
  const reps: number[][] = pairs.map(() => []);
  // A resample is held as how often each case was drawn, so every sum is one sequential pass over
  // the cases (fast, and the same whichever other pairs share the resample). A single pair (the
  // primary correlation) goes through bootstrapReplicates, whose one pass makes the same additions
  // in the same order, so the same replicates to the last bit.
  const counts = new Int32Array(n);
  let state = seed >>> 0; // mulberry32, as seededUniform: b·n draws
  for (let r = 0; r < b; r++) {
    state = resampleCounts(counts, state);
    for (let v = 0; v < k; v++) [sum[v], squares[v]] = weightedSums(counts, centred[v]!);
    for (let p = 0; p < m; p++) {
      const [i, j] = pairs[p]!;
      const vx = squares[i]! - (sum[i]! * sum[i]!) / n;
      const vy = squares[j]! - (sum[j]! * sum[j]!) / n;
      // A resample with a constant variable has no r; it is left out and counted.
      if (vx > 0 && vy > 0)
        reps[p]!.push(
          Math.max(
            -1,
            Math.min(
              1,
              (weightedProduct(counts, centred[i]!, centred[j]!) - (sum[i]! * sum[j]!) / n) / Math.sqrt(vx * vy),
            ),
          ),
        );
    }
  }
  return pairs.map(([i, j], p) => intervals(columns[i]!, columns[j]!, estimates[p]!, reps[p]!, b, seed, level));
}

/** Σwx and Σwx² over the cases. */
function weightedSums(w: Int32Array, x: Float64Array): [number, number] {
  let s = 0;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const wx = w[i]! * x[i]!;
    s += wx;
    ss += wx * x[i]!;
  }
  return [s, ss];
}

/**
 * weightedSums of x and of y, into sum[0], squares[0], sum[1], squares[1], and weightedProduct of x and y
 * (returned), in one pass, each with the same additions in the same order.
 */
function pairSums(w: Int32Array, x: Float64Array, y: Float64Array, sum: Float64Array, squares: Float64Array): number {
  let sx = 0;
  let sxx = 0;
  let sy = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const wx = w[i]! * x[i]!;
    const wy = w[i]! * y[i]!;
    sx += wx;
    sxx += wx * x[i]!;
    sy += wy;
    syy += wy * y[i]!;
    sxy += wx * y[i]!;
  }
  sum[0] = sx;
  squares[0] = sxx;
  sum[1] = sy;
  squares[1] = syy;
  return sxy;
}

/** Σwxy over the cases. */
function weightedProduct(w: Int32Array, x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += w[i]! * x[i]! * y[i]!;
  return s;
}

function intervals(
  x: readonly number[],
  y: readonly number[],
  estimate: number,
  reps: number[],
  b: number,
  seed: number,
  level: number,
): BootstrapInterval {
  reps.sort((p, q) => p - q);
  const acceleration = jackknifeAcceleration(x, y, estimate);
  return {
    estimate,
    b,
    seed,
    undefined_replicates: b - reps.length,
    ...percentileAndBca(reps, estimate, acceleration, level),
    acceleration,
  };
}

/**
 * boot::boot.ci's percentile and BCa intervals from sorted replicates, θ̂ and the acceleration:
 * bias correction w = Φ⁻¹(#{θ* < θ̂}/R), BCa levels Φ(w + (w + z_α)/(1 − a(w + z_α))), both read off by
 * norm.inter. With every replicate on one side of θ̂, w is infinite and BCa has no interval: the
 * percentile interval stands in.
 * @example percentileAndBca(sortedReps, r, a, 0.95).bca // [lower, upper]
 */
export function percentileAndBca(
  sorted: readonly number[],
  estimate: number,
  acceleration: number,
  level: number,
): { percentile: [number, number]; bca: [number, number]; bias_correction: number } {
  const alpha = [(1 - level) / 2, (1 + level) / 2];
  const w = normalQuantile(sorted.filter((r) => r < estimate).length / sorted.length, 0, 1);
  const percentile: [number, number] = [normInter(sorted, alpha[0]!), normInter(sorted, alpha[1]!)];
  if (!Number.isFinite(w)) return { percentile, bca: [...percentile], bias_correction: w };
  const adjusted = alpha.map((a) => {
    const z = normalQuantile(a, 0, 1);
    return normalCdf(w + (w + z) / (1 - acceleration * (w + z)), 0, 1);
  });
  return { percentile, bca: [normInter(sorted, adjusted[0]!), normInter(sorted, adjusted[1]!)], bias_correction: w };
}

/** boot::norm.inter: the (B+1)α-th order statistic, interpolated on the normal scale. `t` sorted. */
export function normInter(t: readonly number[], alpha: number): number {
  const r = t.length;
  const rk = (r + 1) * alpha;
  const k = Math.trunc(rk);
  if (k === rk && k >= 1 && k <= r) return t[k - 1]!;
  if (k <= 0) return t[0]!;
  if (k >= r) return t[r - 1]!;
  const z = normalQuantile(alpha, 0, 1);
  const zk = normalQuantile(k / (r + 1), 0, 1);
  const zk1 = normalQuantile((k + 1) / (r + 1), 0, 1);
  return t[k - 1]! + ((z - zk) / (zk1 - zk)) * (t[k]! - t[k - 1]!);
}

/** Acceleration from leave-one-out correlations, each from running sums (O(n); data centred first for precision). */
function jackknifeAcceleration(x: readonly number[], y: readonly number[], estimate: number): number {
  const n = x.length;
  const mx = x.reduce((a, v) => a + v, 0) / n;
  const my = y.reduce((a, v) => a + v, 0) / n;
  const cx = x.map((v) => v - mx);
  const cy = y.map((v) => v - my);
  let sx = 0,
    sy = 0,
    sxx = 0,
    syy = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += cx[i]!;
    sy += cy[i]!;
    sxx += cx[i]! * cx[i]!;
    syy += cy[i]! * cy[i]!;
    sxy += cx[i]! * cy[i]!;
  }
  const m = n - 1;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < n; i++) {
    const [a, b] = [sx - cx[i]!, sy - cy[i]!];
    const cov = sxy - cx[i]! * cy[i]! - (a * b) / m;
    const vx = sxx - cx[i]! * cx[i]! - (a * a) / m;
    const vy = syy - cy[i]! * cy[i]! - (b * b) / m;
    const l = m * (estimate - cov / Math.sqrt(vx * vy));
    s2 += l * l;
    s3 += l * l * l;
  }
  return s3 / (6 * s2 ** 1.5);
}
