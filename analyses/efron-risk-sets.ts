/**
 * The Efron-weighted risk-set sums of a Cox model at one β, per distinct event time: what both
 * the partial likelihood (cox-efron.ts) and the proportional-hazards test (cox-zph.ts) are built from.
 * At a time with d events, for l = 0 … d − 1 the risk-set sums S0, S1, S2 of r = exp(xβ), r·x, r·xxᵀ
 * are taken less l/d of the same sums over the d events (Efron 1977).
 */
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

/** Record indices by descending time: the order efronEventTimes walks (compute once per fit). */
export const descendingTimeOrder = (time: readonly number[]): number[] => time.map((_, i) => i).sort((a, b) => time[b]! - time[a]!);

/**
 * The sums of every distinct event time, ascending. The d Efron levels of a time are summed as they
 * are formed, not kept: a million episodes have hundreds of thousands of levels, and an object per
 * level made a Cox fit spend most of its time allocating.
 */
export function efronEventTimes(
  time: readonly number[],
  event: readonly boolean[],
  x: readonly (readonly number[])[],
  beta: readonly number[],
  order: readonly number[] = descendingTimeOrder(time),
): EventTime[] {
  const n = time.length;
  const p = beta.length;
  const zeros = () => new Array<number>(p).fill(0);
  const zeros2 = () => Array.from({ length: p }, zeros);
  // Descending time: the risk set of a time is everything seen up to and including it.
  let s0 = 0;
  const s1 = zeros();
  const s2 = zeros2();
  const a1 = zeros();
  const out: EventTime[] = [];
  for (let i = 0; i < n; ) {
    const t = time[order[i]!]!;
    let d = 0;
    let d0 = 0;
    let etaDeaths = 0;
    const xDeaths = zeros();
    const d1 = zeros();
    const d2 = zeros2();
    while (i < n && time[order[i]!] === t) {
      const row = x[order[i]!]!;
      let eta = 0;
      for (let j = 0; j < p; j++) eta += row[j]! * beta[j]!;
      const r = Math.exp(eta);
      s0 += r;
      for (let j = 0; j < p; j++) {
        s1[j]! += r * row[j]!;
        for (let k = 0; k < p; k++) s2[j]![k]! += r * row[j]! * row[k]!;
      }
      if (event[order[i]!]) {
        d++;
        d0 += r;
        etaDeaths += eta;
        for (let j = 0; j < p; j++) {
          xDeaths[j]! += row[j]!;
          d1[j]! += r * row[j]!;
          for (let k = 0; k < p; k++) d2[j]![k]! += r * row[j]! * row[k]!;
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
