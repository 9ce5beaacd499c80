import { describe, expect, it } from "vitest";
import { logRank, logRankTrend } from "../../analyses/log-rank.ts";
import { cochranArmitage } from "../../analyses/cochran-armitage.ts";
import { coxEfron } from "../../analyses/cox-efron.ts";
import { coxZph } from "../../analyses/cox-zph.ts";
import { chiSquareTail } from "../../analyses/chi-square-tail.ts";
import { cumulativeIncidence } from "../../analyses/cumulative-incidence.ts";
import { kaplanMeier } from "../../analyses/kaplan-meier.ts";
import { AML_EVENT, AML_GROUP, AML_TIME } from "./aml.ts";

// Expected values: test/reference/aml-reference.out (R, survival::aml).
describe("logRank", () => {
  const test = logRank(AML_TIME, AML_EVENT, AML_GROUP, ["Maintained", "Nonmaintained"]);

  it("matches survdiff(Surv(time, status) ~ x, data = aml): observed, expected and χ²", () => {
    expect(test.observed).toEqual([7, 11]);
    expect(test.expected[0]).toBeCloseTo(10.689335992300725, 12);
    expect(test.expected[1]).toBeCloseTo(7.3106640076992759, 12);
    expect(test.chisq).toBeCloseTo(3.3963886989776011, 12);
    expect(test.df).toBe(1);
  });

  it("gives the same χ² for trend as for the test itself when there are only two groups", () => {
    expect(logRankTrend(test)!.chisq).toBeCloseTo(test.chisq!, 12);
  });
});

describe("cochranArmitage", () => {
  it("matches prop.trend.test(c(15, 10, 5), c(30, 30, 30)) = 7.5", () => {
    const r = cochranArmitage([15, 10, 5], [30, 30, 30]);
    expect(r.chisq).toBeCloseTo(7.4999999999999973, 12);
    expect(r.p).toBeCloseTo(0.0061698993205441671, 14);
  });

  it("honours scores, as prop.trend.test(…, score = c(0, 1, 4))", () => {
    const r = cochranArmitage([15, 10, 5], [30, 30, 30], [0, 1, 4]);
    expect(r.chisq).toBeCloseTo(6.9230769230769207, 12);
    expect(r.p).toBeCloseTo(0.008509044404861308, 14);
  });
});

describe("coxEfron", () => {
  const fit = coxEfron(
    AML_TIME,
    AML_EVENT,
    AML_GROUP.map((g) => [g === "Nonmaintained" ? 1 : 0]),
  );

  it("matches coxph(Surv(time, status) ~ x, data = aml) with Efron ties: coefficient and SE", () => {
    expect(fit.coef[0]).toBeCloseTo(0.91553257501471763, 9);
    expect(fit.se[0]).toBeCloseTo(0.5119342751720054, 9);
  });

  it("matches the log partial likelihood at zero and at the estimate", () => {
    expect(fit.loglik[0]).toBeCloseTo(-42.72483926276022, 10);
    expect(fit.loglik[1]).toBeCloseTo(-41.032615596458378, 10);
  });
});

describe("coxZph", () => {
  it("matches cox.zph(coxph(Surv(time, status) ~ x, data = aml)): χ² = 0.00787508, p = .929", () => {
    const x = AML_GROUP.map((g) => [g === "Nonmaintained" ? 1 : 0]);
    const fit = coxEfron(AML_TIME, AML_EVENT, x);
    const zph = coxZph(AML_TIME, AML_EVENT, x, fit.coef);
    expect(zph.chisq).toBeCloseTo(0.0078750777233237406, 9);
    expect(zph.df).toBe(1);
    expect(zph.p).toBeCloseTo(0.92928724336459245, 8);
  });
});

describe("chiSquareTail", () => {
  it("gives the upper tail of the χ² distribution, as pchisq(3.841458820694124, 1, lower.tail = FALSE) = .05", () => {
    expect(chiSquareTail(3.841458820694124, 1)).toBeCloseTo(0.05, 14);
  });

  it("keeps relative precision far in the tail: pchisq(100, 2, lower.tail = FALSE) = exp(-50)", () => {
    expect(chiSquareTail(100, 2) / Math.exp(-50)).toBeCloseTo(1, 12);
  });

  it("is 1 at zero", () => {
    expect(chiSquareTail(0, 3)).toBe(1);
  });
});

describe("cumulativeIncidence", () => {
  it("adds up, over all causes, to one minus the any-cause Kaplan–Meier estimate", () => {
    const time = [2, 3, 3, 5, 7, 8, 9, 12];
    const cause = ["drop", "done", null, "drop", "done", "drop", null, "done"];
    const cif = cumulativeIncidence(time, cause, ["drop", "done"]);
    const km = kaplanMeier(
      time,
      cause.map((c) => c !== null),
    );
    km.steps.forEach((s, j) => expect(cif.incidence[0]![j]! + cif.incidence[1]![j]!).toBeCloseTo(1 - s.surv, 14));
  });

  it("is 1/n per event while nobody is censored (hand-worked)", () => {
    const at2 = cumulativeIncidence([1, 2, 3], ["a", "b", null], ["a", "b"]).at(2);
    expect(at2.a).toBeCloseTo(1 / 3, 15);
    expect(at2.b).toBeCloseTo(1 / 3, 15);
  });
});
