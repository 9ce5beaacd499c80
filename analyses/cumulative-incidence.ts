/**
 * Cumulative incidence of competing events by the Aalen–Johansen estimator (no delayed entry):
 *   CIF_k(t) = Σ_{t_j ≤ t} S(t_j−) · d_kj / n_j,  S the Kaplan–Meier estimate of remaining event-free
 * (any cause), as R's survival::survfit(Surv(time, state) ~ 1) with a factor state whose first level
 * is censoring ($pstate). Because completion ends the risk of dropout, the dropout curve stays
 * below 1 − KM(dropout) and the curves of all causes add up to 1 − S.
 * References: Aalen & Johansen (1978), Scand J Stat 5:141–150; Putter, Fiocco & Geskus (2007), Stat Med 26:2389–2430.
 * @example cumulativeIncidence([1, 2, 3], ["a", "b", null], ["a", "b"]).at(2) // => { a: 0.333…, b: 0.333… }
 */
import { ascendingOrder } from "./time-order.ts";

export interface CumulativeIncidence {
  causes: string[];
  times: number[];
  /** incidence[c][j]: cumulative incidence of causes[c] at times[j]. */
  incidence: number[][];
  at(t: number): Record<string, number>;
}

/** `cause` is the event type of each record, or null when censored. */
export function cumulativeIncidence(
  time: readonly number[],
  cause: readonly (string | null)[],
  causes: readonly string[],
): CumulativeIncidence {
  const order = ascendingOrder(time);
  const index = new Map(causes.map((c, i) => [c, i]));
  let atRisk = time.length;
  let surv = 1;
  const times: number[] = [];
  const incidence = causes.map(() => [] as number[]);
  const running = causes.map(() => 0);
  for (let i = 0; i < order.length;) {
    const t = time[order[i]!]!;
    const d = causes.map(() => 0);
    let leaving = 0;
    while (i < order.length && time[order[i]!] === t) {
      const c = cause[order[i]!];
      if (c !== null && c !== undefined) {
        const k = index.get(c);
        if (k === undefined)
          throw new RangeError(`cumulativeIncidence: cause "${c}" is not among ${causes.join(", ")}`);
        d[k]!++;
      }
      leaving++;
      i++;
    }
    const dAll = d.reduce((a, b) => a + b, 0);
    d.forEach((dk, k) => (running[k]! += (surv * dk) / atRisk));
    surv *= 1 - dAll / atRisk;
    atRisk -= leaving;
    times.push(t);
    running.forEach((v, k) => incidence[k]!.push(v));
  }
  return {
    causes: [...causes],
    times,
    incidence,
    at(t: number) {
      let j = -1;
      while (j + 1 < times.length && times[j + 1]! <= t) j++;
      return Object.fromEntries(causes.map((c, k) => [c, j < 0 ? 0 : incidence[k]![j]!]));
    },
  };
}
