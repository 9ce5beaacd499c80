/**
 * Cox regression in counting-process form, for covariates that change during follow-up: each
 * record is an interval (start, stop] with the covariates it held then, as R's
 * survival::coxph(Surv(tstart, tstop, event) ~ x, cluster = id, ties = "efron") fits it.
 * A record is at risk at an event time t when start < t ≤ stop. Efron's ties as in cox-efron.ts
 * (the d events' sums taken off l/d at a time, Efron 1977); Newton–Raphson from β = 0.
 * Cluster-robust variance V (Σ_g u_g u_gᵀ) V from each record's score residual (Therneau &
 * Grambsch 2000, §7.2, over the event times inside its interval), and the robust score test at
 * β = 0 (Lin & Wei 1989); the model-based score (log-rank) test too.
 * `splitAtChanges` builds the records as survival::tmerge(…, tdc(time, value)) does.
 * @example coxCounting(start, stop, event, x, therapist).coef // one per column of x
 */
import { Matrix } from "ml-matrix";
import { safeInverse } from "./matrix-errors.ts";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { chiSquareTail } from "./chi-square-tail.ts";
import { groupCodes, type GroupLabels } from "./renumber.ts";
import { descendingOrder } from "./time-order.ts";

export interface CoxCountingFit {
  coef: number[];
  se: number[];
  /** Cluster-robust SEs (null without clusters). */
  robust_se: number[] | null;
  hr: number[];
  /** Two-sided p of the robust Wald test (model-based without clusters). */
  p: number[];
  loglik: [number, number];
  /** Model-based score (log-rank) test of β = 0. */
  score: { chisq: number; df: number; p: number };
  /** Robust score test of β = 0 (coxph's "Robust"); null without clusters. */
  robust_score: { chisq: number; df: number; p: number } | null;
  records: number;
  events: number;
  clusters: number | null;
  converged: boolean;
}

/** One episode's follow-up and its covariate's changes, as [time, value] from time onward. */
export interface FollowUp {
  time: number;
  event: boolean;
  changes: readonly (readonly [number, number])[];
  /** The covariate's value from time 0 (tmerge's tdcstart); default 0. */
  initial?: number;
}

/**
 * The (start, stop] records of episodes whose covariate changes at given times: split at each
 * change strictly inside (0, time), as tmerge(data, data, id, event = event(time, status),
 * tdc(change_time, value), options = list(tdcstart = 0)); a change at 0 or before applies from the
 * start, one at or after the end is not seen.
 * @example splitAtChanges([{ time: 30, event: true, changes: [[10, 1]] }])
 *   // => { start: [0, 10], stop: [10, 30], event: [false, true], value: [0, 1], episode: [0, 0] }
 */
export function splitAtChanges(followUps: readonly FollowUp[]) {
  const start: number[] = [];
  const stop: number[] = [];
  const event: boolean[] = [];
  const value: number[] = [];
  const episode: number[] = [];
  followUps.forEach((f, e) => {
    let from = 0;
    let v = f.initial ?? 0;
    const changes = [...f.changes].sort((a, b) => a[0] - b[0]);
    for (const [t, nv] of changes) {
      if (t <= 0) {
        v = nv;
        continue;
      }
      if (t >= f.time) break;
      if (t > from) {
        start.push(from);
        stop.push(t);
        event.push(false);
        value.push(v);
        episode.push(e);
        from = t;
      }
      v = nv;
    }
    start.push(from);
    stop.push(f.time);
    event.push(f.event);
    value.push(v);
    episode.push(e);
  });
  return { start, stop, event, value, episode };
}

interface Prepared {
  n: number;
  p: number;
  start: Float64Array;
  stop: Float64Array;
  event: Uint8Array;
  x: Float64Array;
  /** Distinct event times, ascending. */
  times: Float64Array;
  /** Records by descending stop, and by descending start. */
  byStop: Int32Array;
  byStart: Int32Array;
}

function prepare(
  start: readonly number[],
  stop: readonly number[],
  event: readonly boolean[],
  x: readonly (readonly number[])[],
): Prepared {
  const n = start.length;
  const p = x[0]?.length ?? 0;
  if (stop.length !== n || event.length !== n || x.length !== n || p === 0 || n === 0) {
    throw new RangeError("coxCounting: start, stop, event and x must have the same length, x at least one column");
  }
  for (let i = 0; i < n; i++) {
    if (!(stop[i]! > start[i]!)) throw new RangeError(`coxCounting: record ${i + 1} has stop ≤ start`);
  }
  const flat = new Float64Array(n * p);
  x.forEach((row, i) => flat.set(row, i * p));
  const times = Float64Array.from(new Set(stop.filter((_, i) => event[i]))).sort();
  // By descending time (a counting sort for whole days: analyses/time-order.ts).
  const idx = (key: readonly number[]) => descendingOrder(key);
  return {
    n,
    p,
    start: Float64Array.from(start),
    stop: Float64Array.from(stop),
    event: Uint8Array.from(event, (e) => (e ? 1 : 0)),
    x: flat,
    times,
    byStop: idx(stop),
    byStart: idx(start),
  };
}

/** Per event time (ascending): the Efron pieces that the likelihood and the score residuals use. */
interface Sweep {
  loglik: number;
  grad: number[];
  info: number[][];
  /** Σ_l 1/a0_l and Σ_l x̄_l/a0_l (every record at risk), and the same weighted 1 − l/d (the events). */
  h: Float64Array;
  hx: Float64Array;
  hEvent: Float64Array;
  hxEvent: Float64Array;
  /** The mean over l of x̄_l: what each event's own x is compared with. */
  xbar: Float64Array;
}

/**
 * The risk set's sums S0, S1, S2 of r, r·x, r·xxᵀ, kept as records enter (stop ≥ t) and leave
 * (start ≥ t): `add(order, from, to, ±1)` adds or takes off the records order[from … to − 1].
 */
function riskSums(r: Float64Array, x: Float64Array, p: number) {
  const s1 = new Float64Array(p);
  const s2 = new Float64Array(p * p);
  const sums = { s0: 0 };
  const add = (order: Int32Array, from: number, to: number, sign: number) => {
    let s0 = 0;
    if (p === 1) {
      // One covariate (the usual case here): the same sums in locals.
      let a1 = 0;
      let a2 = 0;
      for (let q = from; q < to; q++) {
        const i = order[q]!;
        const ri = r[i]!;
        const xi = x[i]!;
        s0 += ri;
        a1 += ri * xi;
        a2 += ri * xi * xi;
      }
      s1[0]! += sign * a1;
      s2[0]! += sign * a2;
      sums.s0 += sign * s0;
      return;
    }
    for (let q = from; q < to; q++) {
      const i = order[q]!;
      const ri = r[i]! * sign;
      s0 += ri;
      for (let a = 0; a < p; a++) {
        const xa = x[i * p + a]!;
        s1[a]! += ri * xa;
        for (let b = 0; b < p; b++) s2[a * p + b]! += ri * xa * x[i * p + b]!;
      }
    }
    sums.s0 += s0;
  };
  return { s1, s2, sums, add };
}

function sweep(d: Prepared, beta: readonly number[]): Sweep {
  const { n, p, x, times } = d;
  const k = times.length;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let a = 0; a < p; a++) eta += x[i * p + a]! * beta[a]!;
    r[i] = Math.exp(eta);
  }
  const { s1, s2, sums, add } = riskSums(r, x, p);
  const out: Sweep = {
    loglik: 0,
    grad: new Array<number>(p).fill(0),
    info: Array.from({ length: p }, () => new Array<number>(p).fill(0)),
    h: new Float64Array(k),
    hx: new Float64Array(k * p),
    hEvent: new Float64Array(k),
    hxEvent: new Float64Array(k * p),
    xbar: new Float64Array(k * p),
  };
  let entered = 0;
  let left = 0;
  let atStop = 0;
  const e1 = new Float64Array(p);
  const e2 = new Float64Array(p * p);
  for (let j = k - 1; j >= 0; j--) {
    const t = times[j]!;
    let to = entered;
    while (to < n && d.stop[d.byStop[to]!]! >= t) to++;
    add(d.byStop, entered, to, 1);
    entered = to;
    to = left;
    while (to < n && d.start[d.byStart[to]!]! >= t) to++;
    add(d.byStart, left, to, -1);
    left = to;
    // The events at t: the records entered with stop = t and an event (and not yet left: start < t).
    while (atStop < entered && d.stop[d.byStop[atStop]!]! > t) atStop++;
    let deaths = 0;
    let e0 = 0;
    e1.fill(0);
    e2.fill(0);
    for (let q = atStop; q < entered; q++) {
      const i = d.byStop[q]!;
      if (!d.event[i] || d.stop[i] !== t) continue;
      deaths++;
      e0 += r[i]!;
      for (let a = 0; a < p; a++) {
        const xa = x[i * p + a]!;
        out.grad[a]! += xa;
        out.loglik += xa * beta[a]!;
        e1[a]! += r[i]! * xa;
        for (let b = 0; b < p; b++) e2[a * p + b]! += r[i]! * xa * x[i * p + b]!;
      }
    }
    for (let l = 0; l < deaths; l++) {
      const f = l / deaths;
      const a0 = sums.s0 - f * e0;
      out.loglik -= Math.log(a0);
      out.h[j]! += 1 / a0;
      out.hEvent[j]! += (1 - f) / a0;
      for (let a = 0; a < p; a++) {
        const xa = (s1[a]! - f * e1[a]!) / a0;
        out.grad[a]! -= xa;
        out.hx[j * p + a]! += xa / a0;
        out.hxEvent[j * p + a]! += ((1 - f) * xa) / a0;
        out.xbar[j * p + a]! += xa / deaths;
        for (let b = 0; b < p; b++) {
          const xb = (s1[b]! - f * e1[b]!) / a0;
          out.info[a]![b]! += (s2[a * p + b]! - f * e2[a * p + b]!) / a0 - xa * xb;
        }
      }
    }
  }
  return out;
}

/** Each record's score residual at β, row-major (p per record). */
function scoreResiduals(d: Prepared, beta: readonly number[], s: Sweep): Float64Array {
  const { n, p, x, times } = d;
  const k = times.length;
  // Prefix sums over event times (ascending) of h and hx: Σ over times in (start, stop] by difference.
  const ch = new Float64Array(k + 1);
  const chx = new Float64Array((k + 1) * p);
  for (let j = 0; j < k; j++) {
    ch[j + 1] = ch[j]! + s.h[j]!;
    for (let a = 0; a < p; a++) chx[(j + 1) * p + a] = chx[j * p + a]! + s.hx[j * p + a]!;
  }
  /** The number of event times ≤ t. */
  const upTo = (t: number) => {
    let lo = 0;
    let hi = k;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const u = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let a = 0; a < p; a++) eta += x[i * p + a]! * beta[a]!;
    const ri = Math.exp(eta);
    const from = upTo(d.start[i]!);
    let to = upTo(d.stop[i]!);
    const dies = d.event[i] === 1;
    if (dies) to--; // its own event time is taken with the events' weights below
    const h = ch[to]! - ch[from]!;
    for (let a = 0; a < p; a++) {
      const xa = x[i * p + a]!;
      let ua = -ri * (xa * h - (chx[to * p + a]! - chx[from * p + a]!));
      if (dies) ua += xa - s.xbar[to * p + a]! - ri * (xa * s.hEvent[to]! - s.hxEvent[to * p + a]!);
      u[i * p + a] = ua;
    }
  }
  return u;
}

/** Σ_g u_g u_gᵀ over clusters, and the total score. */
function meat(u: Float64Array, p: number, codes: Int32Array, count: number) {
  const sums = new Float64Array(count * p);
  for (let i = 0; i < codes.length; i++) for (let a = 0; a < p; a++) sums[codes[i]! * p + a]! += u[i * p + a]!;
  const m = Matrix.zeros(p, p);
  const total = new Array<number>(p).fill(0);
  for (let g = 0; g < count; g++) {
    for (let a = 0; a < p; a++) {
      total[a]! += sums[g * p + a]!;
      for (let b = 0; b < p; b++) m.set(a, b, m.get(a, b) + sums[g * p + a]! * sums[g * p + b]!);
    }
  }
  return { m, total };
}

const quadratic = (v: readonly number[], inv: Matrix) =>
  Matrix.rowVector([...v])
    .mmul(inv)
    .mmul(Matrix.columnVector([...v]))
    .get(0, 0);

/**
 * The fit: coefficients, model-based and robust SEs, and the score tests.
 * @example coxCounting([0, 10], [10, 30], [false, true], [[0], [1]]).records // => 2
 */
export function coxCounting(
  start: readonly number[],
  stop: readonly number[],
  event: readonly boolean[],
  x: readonly (readonly number[])[],
  cluster?: GroupLabels,
  maxIter = 30,
): CoxCountingFit {
  const d = prepare(start, stop, event, x);
  const p = d.p;
  let beta = new Array<number>(p).fill(0);
  let s = sweep(d, beta);
  const at0 = s;
  const loglik0 = s.loglik;
  let converged = false;
  for (let iter = 0; iter < maxIter; iter++) {
    const step = safeInverse(new Matrix(s.info)).mmul(Matrix.columnVector(s.grad)).to1DArray();
    let next = beta.map((b, j) => b + step[j]!);
    let ns = sweep(d, next);
    // Step halving when the likelihood falls (coxph does the same), by more than its rounding: a sum
    // of a million logarithms is exact to about 1e-12 of itself, where Newton's last steps move it.
    const noise = 1e-10 * Math.abs(s.loglik);
    for (let half = 0; half < 20 && ns.loglik < s.loglik - noise; half++) {
      next = beta.map((b, j) => (b + next[j]!) / 2);
      ns = sweep(d, next);
    }
    const done = Math.abs(ns.loglik - s.loglik) <= noise + 1e-13;
    beta = next;
    s = ns;
    if (done) {
      converged = true;
      break;
    }
  }
  const variance = safeInverse(new Matrix(s.info));
  const se = beta.map((_, j) => Math.sqrt(variance.get(j, j)));
  const score0 = quadratic(at0.grad, safeInverse(new Matrix(at0.info)));
  const tail = (chisq: number) => ({ chisq, df: p, p: chiSquareTail(chisq, p) });
  let robustSe: number[] | null = null;
  let robustScore: CoxCountingFit["robust_score"] = null;
  let clusters: number | null = null;
  if (cluster) {
    const codes = groupCodes(cluster);
    clusters = codes.count;
    const mt = meat(scoreResiduals(d, beta, s), p, codes.codes, codes.count).m;
    const sandwich = variance.mmul(mt).mmul(variance);
    robustSe = beta.map((_, j) => Math.sqrt(sandwich.get(j, j)));
    const m0 = meat(scoreResiduals(d, new Array<number>(p).fill(0), at0), p, codes.codes, codes.count);
    robustScore = tail(quadratic(m0.total, safeInverse(m0.m)));
  }
  const useSe = robustSe ?? se;
  return {
    coef: beta,
    se,
    robust_se: robustSe,
    hr: beta.map(Math.exp),
    p: beta.map((b, j) => 2 * normalCdf(-Math.abs(b / useSe[j]!), 0, 1)),
    loglik: [loglik0, s.loglik],
    score: tail(score0),
    robust_score: robustScore,
    records: d.n,
    events: d.event.reduce((a, e) => a + e, 0),
    clusters,
    converged,
  };
}
