/**
 * Test of proportional hazards for a Cox model, as R's survival::cox.zph(fit, transform = "km")
 * (survival ≥ 3.0): a score test, at β̂, for adding the covariates × g(t), where
 * g(t) = 1 − S(t−) from the overall left-continuous Kaplan–Meier curve, centred on its mean over
 * the events. χ² = uᵀ I⁻¹ u with u = (0, U_γ) and I the information of (β, γ) at (β̂, 0), using
 * Efron's tie weights; one degree of freedom per covariate (the global test).
 * References: Grambsch & Therneau (1994), Biometrika 81:515–526; Therneau & Grambsch (2000) §6.2;
 * survival package source, R/cox.zph.R.
 */
import { Matrix } from "ml-matrix";
import { safeSolve } from "./matrix-errors.ts";
import { kaplanMeier } from "./kaplan-meier.ts";
import { efronEventTimes, riskData } from "./efron-risk-sets.ts";
import { chiSquareTail } from "./chi-square-tail.ts";

export function coxZph(
  time: readonly number[],
  event: readonly boolean[],
  x: readonly (readonly number[])[],
  beta: readonly number[],
): { chisq: number; df: number; p: number } {
  const p = beta.length;
  const steps = kaplanMeier(time, event).steps;
  const eventTimes = efronEventTimes(riskData(time, event, x), beta);
  // g = 1 − S(t−), the KM estimate just before each event time; both lists ascend, so one walk.
  let j = 0;
  let before = 1;
  const g = eventTimes.map((et) => {
    while (j < steps.length && steps[j]!.time < et.time) before = steps[j++]!.surv;
    return 1 - before;
  });
  const totalDeaths = eventTimes.reduce((a, e) => a + e.deaths, 0);
  const centre = eventTimes.reduce((a, e, i) => a + e.deaths * g[i]!, 0) / totalDeaths;

  const u = new Array<number>(2 * p).fill(0);
  const info = Matrix.zeros(2 * p, 2 * p);
  for (const [i, et] of eventTimes.entries()) {
    const gt = g[i]! - centre;
    const score = et.xDeaths.map((xd, j) => xd - et.meanX[j]!);
    const v = et.info;
    for (let j = 0; j < p; j++) {
      u[p + j]! += gt * score[j]!;
      for (let k = 0; k < p; k++) {
        info.set(j, k, info.get(j, k) + v[j]![k]!);
        info.set(j, p + k, info.get(j, p + k) + gt * v[j]![k]!);
        info.set(p + j, k, info.get(p + j, k) + gt * v[j]![k]!);
        info.set(p + j, p + k, info.get(p + j, p + k) + gt * gt * v[j]![k]!);
      }
    }
  }
  const chisq = safeSolve(info, Matrix.columnVector(u))
    .to1DArray()
    .reduce((acc, w, i) => acc + w * u[i]!, 0);
  return { chisq, df: p, p: chiSquareTail(chisq, p) };
}
