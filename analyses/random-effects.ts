/**
 * Random-effects meta-analysis of correlations on Fisher's z, as R's
 * metafor::rma(yi, vi, method = "REML" | "DL") after escalc(measure = "ZCOR"):
 *   y_i = atanh(r_i), v_i = 1 / (n_i − 3);
 *   DL:   τ² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw)), w = 1/v (DerSimonian & Laird 1986);
 *   REML: τ² by Fisher scoring, τ² ← τ² + (yᵀPPy − tr P) / tr(PP), P = W − W11ᵀW/Σw, W = diag 1/(v + τ²),
 *         truncated at 0 (Viechtbauer 2005, J Educ Behav Stat 30:261–293);
 *   μ̂ = Σw*y/Σw*, SE = 1/√Σw*, CI μ̂ ± z·SE, prediction interval μ̂ ± z·√(SE² + τ²);
 *   Q = Σw(y − ȳ_FE)² on k − 1 df; I² = 100·τ²/(τ² + s²), s² = (k − 1)Σw / ((Σw)² − Σw²); H² = (τ² + s²)/s².
 * Pooled r and its limits are tanh of the z-scale values (metafor's transf.ztor).
 * @example randomEffects([0.2, 0.3, 0.25], [100, 80, 120], "REML").r // pooled correlation
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { chiSquareTail } from "./chi-square-tail.ts";

export type TauMethod = "REML" | "DL";

export interface RandomEffects {
  method: TauMethod;
  k: number;
  /** Pooled Fisher z, its SE and CI, and the prediction interval on the z scale. */
  z: number;
  se: number;
  z_ci: [number, number];
  z_pi: [number, number];
  /** The same back-transformed to r. */
  r: number;
  r_ci: [number, number];
  r_pi: [number, number];
  tau2: number;
  i2: number;
  h2: number;
  q: number;
  q_df: number;
  q_p: number;
}

export function randomEffects(
  r: readonly number[],
  n: readonly number[],
  method: TauMethod = "REML",
  level = 0.95,
): RandomEffects {
  const k = r.length;
  if (k < 2 || n.length !== k) throw new RangeError("randomEffects: needs at least 2 studies, with an n for each r");
  if (n.some((ni) => ni <= 3))
    throw new RangeError("randomEffects: each study needs n > 3 for the variance of Fisher's z");
  const y = r.map((ri) => Math.atanh(ri));
  const v = n.map((ni) => 1 / (ni - 3));
  const w = v.map((vi) => 1 / vi);
  const sum = (a: number[]) => a.reduce((s, x) => s + x, 0);
  const sw = sum(w);
  const yFe = sum(w.map((wi, i) => wi * y[i]!)) / sw;
  const q = sum(w.map((wi, i) => wi * (y[i]! - yFe) ** 2));
  const sw2 = sum(w.map((wi) => wi * wi));
  const tau2 = method === "DL" ? Math.max(0, (q - (k - 1)) / (sw - sw2 / sw)) : remlTau2(y, v);
  const ws = v.map((vi) => 1 / (vi + tau2));
  const mu = sum(ws.map((wi, i) => wi * y[i]!)) / sum(ws);
  const se = 1 / Math.sqrt(sum(ws));
  const zq = normalQuantile(1 - (1 - level) / 2, 0, 1);
  const s2 = ((k - 1) * sw) / (sw * sw - sw2);
  const zCi: [number, number] = [mu - zq * se, mu + zq * se];
  const zPi: [number, number] = [mu - zq * Math.sqrt(se * se + tau2), mu + zq * Math.sqrt(se * se + tau2)];
  return {
    method,
    k,
    z: mu,
    se,
    z_ci: zCi,
    z_pi: zPi,
    r: Math.tanh(mu),
    r_ci: [Math.tanh(zCi[0]), Math.tanh(zCi[1])],
    r_pi: [Math.tanh(zPi[0]), Math.tanh(zPi[1])],
    tau2,
    i2: (100 * tau2) / (tau2 + s2),
    h2: (tau2 + s2) / s2,
    q,
    q_df: k - 1,
    q_p: chiSquareTail(q, k - 1),
  };
}

/** REML τ² by Fisher scoring (as metafor), started at max(0, var(y) − mean(v)), iterated to a step below 1e-14. */
function remlTau2(y: number[], v: number[]): number {
  let tau2 = Math.max(0, variance(y) - v.reduce((a, b) => a + b, 0) / v.length);
  for (let iter = 0; iter < 1000; iter++) {
    const w = v.map((vi) => 1 / (vi + tau2));
    const sw = w.reduce((a, b) => a + b, 0);
    const mu = w.reduce((a, wi, i) => a + wi * y[i]!, 0) / sw;
    // P = W − w wᵀ/Σw; Py = w ∘ (y − μ); tr P = Σw − Σw²/Σw; tr(PP) = Σw² − 2Σw³/Σw + (Σw²)²/(Σw)²
    const py = w.map((wi, i) => wi * (y[i]! - mu));
    const sw2 = w.reduce((a, wi) => a + wi * wi, 0);
    const sw3 = w.reduce((a, wi) => a + wi * wi * wi, 0);
    const trP = sw - sw2 / sw;
    const trPP = sw2 - (2 * sw3) / sw + (sw2 * sw2) / (sw * sw);
    const yPPy = py.reduce((a, x) => a + x * x, 0);
    const next = Math.max(0, tau2 + (yPPy - trP) / trPP);
    if (Math.abs(next - tau2) < 1e-14) return next;
    tau2 = next;
  }
  return tau2;
}

function variance(x: number[]): number {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1);
}
