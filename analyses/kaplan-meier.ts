/**
 * Kaplan–Meier survival estimate with Greenwood standard errors and pointwise confidence
 * intervals, as R's survival::survfit(Surv(time, event) ~ 1, conf.type = …):
 *   S(t) = Π_{t_i ≤ t} (1 − d_i / n_i);  std_err(t) = √Σ d_i / (n_i (n_i − d_i))  (the SE of −log S);
 *   "log-log" (default): S^exp(±z·se/log S), computed as exp(−exp(log(−log S) ∓ z·se/log S));
 *   "log": S·exp(±z·se), upper capped at 1;  "plain": S ± z·se·S, clipped to [0, 1].
 * There is one row per distinct time (event or censoring), as in survfit. The interval is
 * null where R gives NA (log-log at S = 0 or 1; log at S = 0).
 * References: Kaplan & Meier (1958), JASA 53:457–481; Greenwood (1926); Kalbfleisch & Prentice (2002) §1.4;
 * Therneau, survival package, survfit_confint.
 * @example kaplanMeier([1, 2, 2, 3], [true, true, false, true]).steps.map((s) => s.surv) // => [0.75, 0.5, 0]
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { ascendingOrder } from "./time-order.ts";

export type ConfType = "log-log" | "log" | "plain";

export interface KmStep {
  time: number;
  n_risk: number;
  n_event: number;
  n_censor: number;
  surv: number;
  std_err: number;
  lower: number | null;
  upper: number | null;
}

export interface KaplanMeier {
  n: number;
  events: number;
  steps: KmStep[];
  level: number;
  confType: ConfType;
}

export function kaplanMeier(
  time: readonly number[],
  event: readonly boolean[],
  level = 0.95,
  confType: ConfType = "log-log",
): KaplanMeier {
  if (time.length !== event.length) throw new RangeError("kaplanMeier: time and event differ in length");
  if (time.some((t) => !Number.isFinite(t) || t < 0)) throw new RangeError("kaplanMeier: times must be finite and ≥ 0");
  const order = ascendingOrder(time);
  const z = normalQuantile(1 - (1 - level) / 2, 0, 1);
  const steps: KmStep[] = [];
  let atRisk = time.length;
  let surv = 1;
  let greenwood = 0;
  let events = 0;
  for (let i = 0; i < order.length;) {
    const t = time[order[i]!]!;
    let d = 0;
    let c = 0;
    while (i < order.length && time[order[i]!] === t) {
      if (event[order[i]!]) d++;
      else c++;
      i++;
    }
    if (d > 0) {
      surv *= 1 - d / atRisk;
      greenwood += atRisk === d ? Infinity : d / (atRisk * (atRisk - d));
    }
    const stdErr = Math.sqrt(greenwood);
    steps.push({
      time: t,
      n_risk: atRisk,
      n_event: d,
      n_censor: c,
      surv,
      std_err: stdErr,
      ...confidenceInterval(surv, stdErr, z, confType),
    });
    events += d;
    atRisk -= d + c;
  }
  return { n: time.length, events, steps, level, confType };
}

/** Pointwise interval for S with standard error `se` of −log S (survfit_confint with logse = TRUE). */
export function confidenceInterval(
  s: number,
  se: number,
  z: number,
  confType: ConfType,
): { lower: number | null; upper: number | null } {
  if (confType === "plain") {
    const half = z * se * s;
    return Number.isFinite(half)
      ? { lower: Math.max(0, s - half), upper: Math.min(1, s + half) }
      : { lower: null, upper: null };
  }
  if (confType === "log") {
    if (s === 0 || !Number.isFinite(se)) return { lower: null, upper: null };
    return { lower: Math.exp(Math.log(s) - z * se), upper: Math.min(1, Math.exp(Math.log(s) + z * se)) };
  }
  if (s === 0 || s === 1 || !Number.isFinite(se)) return { lower: null, upper: null };
  const shift = (z * se) / Math.log(s);
  const loglog = Math.log(-Math.log(s));
  return { lower: Math.exp(-Math.exp(loglog - shift)), upper: Math.exp(-Math.exp(loglog + shift)) };
}

/** The estimate in force at day t (the last step at or before t), as summary(fit, times = t, extend = TRUE). */
export function survivalAt(
  km: KaplanMeier,
  t: number,
): { time: number; surv: number; std_err: number; lower: number | null; upper: number | null; n_risk: number } {
  let last: KmStep | undefined;
  for (const s of km.steps) {
    if (s.time > t) break;
    last = s;
  }
  const atRisk = km.steps.find((s) => s.time >= t)?.n_risk ?? 0;
  if (!last) return { time: t, surv: 1, std_err: 0, lower: null, upper: null, n_risk: atRisk };
  return { time: t, surv: last.surv, std_err: last.std_err, lower: last.lower, upper: last.upper, n_risk: atRisk };
}
