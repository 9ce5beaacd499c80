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
  /** One entry per l = 0 … d − 1: the Efron-adjusted sums. */
  levels: { a0: number; a1: number[]; a2: number[][] }[];
}

/** Record indices by descending time: the order efronEventTimes walks (compute once per fit). */
export const descendingTimeOrder = (time: readonly number[]): number[] => time.map((_, i) => i).sort((a, b) => time[b]! - time[a]!);

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
    const levels = Array.from({ length: d }, (_, l) => {
      const f = l / d;
      return { a0: s0 - f * d0, a1: s1.map((v, j) => v - f * d1[j]!), a2: s2.map((row, j) => row.map((v, k) => v - f * d2[j]![k]!)) };
    });
    out.push({ time: t, deaths: d, xDeaths, etaDeaths, levels });
  }
  return out.reverse();
}

/** Contribution of one Efron level to the information matrix: a2/a0 − a1a1ᵀ/a0². */
export function levelInformation(level: EventTime["levels"][number]): number[][] {
  const { a0, a1, a2 } = level;
  return a2.map((row, j) => row.map((v, k) => v / a0 - (a1[j]! * a1[k]!) / (a0 * a0)));
}
