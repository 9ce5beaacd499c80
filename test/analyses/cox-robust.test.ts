import { describe, expect, it } from "vitest";
import { coxEfron } from "../../analyses/cox-efron.ts";
import { coxRobust, coxRobustScore, robustWald } from "../../analyses/cox-robust.ts";
import { RATS_EVENT, RATS_LITTER, RATS_MALE, RATS_RX, RATS_TIME } from "./rats.ts";

/** Relative difference, for "to 6 significant digits" (|a − b| ≤ 5e-7 |b|). */
const sig6 = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(5e-7 * Math.abs(b));

// Expected values: test/reference/cox-robust-reference.out, from R 4.2.2, survival 3.5-3:
//   coxph(Surv(time, status) ~ rx, data = rats, cluster = litter, ties = "efron")
//   coxph(Surv(time, status) ~ rx + male, data = rats, cluster = litter, ties = "efron")
// (fit$var is the robust variance, fit$naive.var the model-based one, fit$rscore the robust score test).
describe("Cox robust standard errors grouped by cluster, survival::rats by litter", () => {
  const x1 = RATS_RX.map((r) => [r]);
  const fit1 = coxEfron(RATS_TIME, RATS_EVENT, x1);

  it("has the fit coxph reports (coef 0.713737, naive se 0.308778)", () => {
    sig6(fit1.coef[0]!, 0.713736804292536);
    sig6(fit1.se[0]!, 0.308777847176269);
  });

  it("gives coxph's robust se 0.271033 to 6 significant digits", () => {
    const robust = coxRobust(RATS_TIME, RATS_EVENT, x1, RATS_LITTER, fit1.coef, fit1.variance);
    sig6(robust.se[0]!, 0.271033228681653);
    expect(robust.clusters).toBe(100);
  });

  it("gives coxph's robust score test 5.88026 (summary: 'Robust = 5.88')", () => {
    const score = coxRobustScore(RATS_TIME, RATS_EVENT, x1, RATS_LITTER);
    sig6(score.chisq, 5.88026004960204);
    expect(score.df).toBe(1);
  });

  it("gives the whole robust variance matrix with two covariates (rx + male)", () => {
    const x2 = RATS_RX.map((r, i) => [r, RATS_MALE[i]!]);
    const fit2 = coxEfron(RATS_TIME, RATS_EVENT, x2);
    sig6(fit2.coef[0]!, 0.790996147108952);
    sig6(fit2.coef[1]!, -3.06769357715977);
    const v = coxRobust(RATS_TIME, RATS_EVENT, x2, RATS_LITTER, fit2.coef, fit2.variance).variance;
    sig6(v[0]![0]!, 0.0856799065779481);
    sig6(v[0]![1]!, -0.048961334541678);
    sig6(v[1]![0]!, -0.048961334541678);
    sig6(v[1]![1]!, 0.519354455456841);
    sig6(coxRobustScore(RATS_TIME, RATS_EVENT, x2, RATS_LITTER).chisq, 25.7365953685633);
  });

  it("gives the small-sample Wald CI: se·√(G/(G − 1)) and t on G − 1 df (R: exp(b + c(-1, 1) * qt(.975, 99) * se * sqrt(100/99)))", () => {
    const w = robustWald(0.713736804292536, 0.271033228681653, 100);
    const s = 0.271033228681653 * Math.sqrt(100 / 99);
    const q = 1.9842169515864172; // qt(0.975, 99) in R
    expect(w.lower).toBeCloseTo(Math.exp(0.713736804292536 - q * s), 12);
    expect(w.upper).toBeCloseTo(Math.exp(0.713736804292536 + q * s), 12);
    expect(w.df).toBe(99);
  });

  it("with every record its own cluster gives the ordinary (unclustered) sandwich, whatever the ids' order", () => {
    const ids = RATS_TIME.map((_, i) => i);
    const a = coxRobust(RATS_TIME, RATS_EVENT, x1, ids, fit1.coef, fit1.variance).se[0]!;
    const b = coxRobust(
      RATS_TIME,
      RATS_EVENT,
      x1,
      ids.map((i) => `r${300 - i}`),
      fit1.coef,
      fit1.variance,
    ).se[0]!;
    expect(a).toBeCloseTo(b, 12);
  });
});
