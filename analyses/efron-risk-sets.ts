/**
 * The Efron-weighted risk-set sums of a Cox model at one β, per distinct event time: what both
 * the partial likelihood (cox-efron.ts) and the proportional-hazards test (cox-zph.ts) are built from.
 * At a time with d events, for l = 0 … d − 1 the risk-set sums S0, S1, S2 of r = exp(xβ), r·x, r·xxᵀ
 * are taken less l/d of the same sums over the d events (Efron 1977).
 */
import { descendingOrder } from "./time-order.ts";

export interface EventTime {
  time: number;
  deaths: number;
  /** Σ x over the events at this time. */
  xDeaths: number[];
  /** Σ xβ over the events at this time. */
  etaDeaths: number;
  /** Σ over l = 0 … d − 1 of log a0: what the time takes off the log partial likelihood. */
  logA0: number;
  /** Σ over l of a1 / a0: the time's expected Σ x, taken off the score. */
  meanX: number[];
  /** Σ over l of a2/a0 − a1a1ᵀ/a0²: the time's contribution to the information matrix. */
  info: number[][];
}

/** A Cox model's records sorted by descending time, in flat typed arrays: the order efronEventTimes walks. */
export interface RiskData {
  n: number;
  p: number;
  time: Float64Array;
  event: Uint8Array;
  /** Row-major, p values per record. */
  x: Float64Array;
  /** The input index of each record in this order. */
  order: Int32Array;
}

/**
 * The records by descending time (build once per fit: every Newton step walks them in this order,
 * and reading them in sequence from flat arrays is several times faster than through an index).
 */
export function riskData(
  time: readonly number[],
  event: readonly boolean[],
  x: readonly (readonly number[])[],
): RiskData {
  // A fit and its proportional-hazards test pass the same arrays: sort them once.
  const last = built.get(x);
  if (last && last.time === time && last.event === event) return last.data;
  const data = buildRiskData(time, event, x);
  built.set(x, { time, event, data });
  return data;
}

/** The last RiskData built from each covariate array (the arrays are read-only to the analyses). */
const built = new WeakMap<object, { time: readonly number[]; event: readonly boolean[]; data: RiskData }>();

function buildRiskData(
  time: readonly number[],
  event: readonly boolean[],
  x: readonly (readonly number[])[],
): RiskData {
  const n = time.length;
  const p = x[0]?.length ?? 0;
  const order = descendingOrder(time);
  const data: RiskData = {
    n,
    p,
    time: new Float64Array(n),
    event: new Uint8Array(n),
    x: new Float64Array(n * p),
    order,
  };
  order.forEach((i, r) => {
    data.time[r] = time[i]!;
    data.event[r] = event[i] ? 1 : 0;
    for (let j = 0; j < p; j++) data.x[r * p + j] = x[i]![j]!;
  });
  return data;
}

/**
 * The sums of every distinct event time, ascending. The d Efron levels of a time are summed as they
 * are formed, not kept: a million episodes have hundreds of thousands of levels, and an object per
 * level made a Cox fit spend most of its time allocating.
 */
export function efronEventTimes(data: RiskData, beta: readonly number[]): EventTime[] {
  const { n, time, event, x } = data;
  const p = beta.length;
  const zeros = () => new Array<number>(p).fill(0);
  const zeros2 = () => Array.from({ length: p }, zeros);
  // Descending time: the risk set of a time is everything seen up to and including it.
  let s0 = 0;
  const s1 = zeros();
  const s2 = zeros2();
  const a1 = zeros();
  const out: EventTime[] = [];
  for (let i = 0; i < n;) {
    const t = time[i]!;
    let d = 0;
    let d0 = 0;
    let etaDeaths = 0;
    const xDeaths = zeros();
    const d1 = zeros();
    const d2 = zeros2();
    while (i < n && time[i] === t) {
      const at = i * p;
      let eta = 0;
      for (let j = 0; j < p; j++) eta += x[at + j]! * beta[j]!;
      const r = Math.exp(eta);
      s0 += r;
      for (let j = 0; j < p; j++) {
        s1[j]! += r * x[at + j]!;
        for (let k = 0; k < p; k++) s2[j]![k]! += r * x[at + j]! * x[at + k]!;
      }
      if (event[i]) {
        d++;
        d0 += r;
        etaDeaths += eta;
        for (let j = 0; j < p; j++) {
          xDeaths[j]! += x[at + j]!;
          d1[j]! += r * x[at + j]!;
          for (let k = 0; k < p; k++) d2[j]![k]! += r * x[at + j]! * x[at + k]!;
        }
      }
      i++;
    }
    if (d === 0) continue;
    let logA0 = 0;
    const meanX = zeros();
    const info = zeros2();
    for (let l = 0; l < d; l++) {
      // Level l: the risk-set sums less l/d of the sums over the d events.
      const f = l / d;
      const a0 = s0 - f * d0;
      logA0 += Math.log(a0);
      for (let j = 0; j < p; j++) {
        a1[j] = s1[j]! - f * d1[j]!;
        meanX[j]! += a1[j]! / a0;
      }
      for (let j = 0; j < p; j++) {
        for (let k = 0; k < p; k++) info[j]![k]! += (s2[j]![k]! - f * d2[j]![k]!) / a0 - (a1[j]! * a1[k]!) / (a0 * a0);
      }
    }
    out.push({ time: t, deaths: d, xDeaths, etaDeaths, logA0, meanX, info });
  }
  return out.reverse();
}
