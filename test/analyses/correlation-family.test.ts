import { describe, expect, it } from "vitest";
import { partialCorrelation } from "../../analyses/partial-correlation.ts";
import { holm } from "../../analyses/holm.ts";
import { correlationPower, pairsNeeded, smallestDetectableR } from "../../analyses/correlation-power.ts";
import { MPG, WT } from "./mtcars.ts";

// Expected values: test/reference/correlation-family-reference.out (R with psych and pwr).
const HP = [
  110, 110, 93, 110, 175, 105, 245, 62, 95, 123, 123, 180, 180, 180, 205, 215, 230, 66, 52, 65, 97, 150, 150, 245, 175,
  66, 91, 113, 264, 175, 335, 109,
];

describe("partialCorrelation", () => {
  const r = partialCorrelation(WT, MPG, HP);

  it("matches psych::partial.r(mtcars[, c('wt', 'mpg', 'hp')], c(1, 2), 3)", () => {
    expect(r.estimate).toBeCloseTo(-0.75120490496186521, 12);
  });

  it("has the t and p of wt in lm(mpg ~ wt + hp), on n − 3 df", () => {
    expect(r.t).toBeCloseTo(-6.1286952198104139, 10);
    expect(r.df).toBe(29);
    expect(r.p / 1.1196471362000422e-6).toBeCloseTo(1, 8);
  });

  it("has the Fisher-z interval of psych::r.con(r, n − 1)", () => {
    expect(r.ci_low).toBeCloseTo(-0.87313276712342536, 12);
    expect(r.ci_high).toBeCloseTo(-0.54082184491452567, 12);
  });
});

describe("holm", () => {
  it("matches p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2), 'holm')", () => {
    const adjusted = holm([0.01, 0.04, 0.03, 0.005, 0.2]);
    [0.04, 0.09, 0.09, 0.025, 0.2].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 15));
  });

  it("never lowers a p-value and never exceeds 1", () => {
    const p = [0.5, 0.6, 0.001];
    holm(p).forEach((a, i) => {
      expect(a).toBeGreaterThanOrEqual(p[i]!);
      expect(a).toBeLessThanOrEqual(1);
    });
  });
});

describe("correlation power", () => {
  it("matches pwr.r.test(n = 538, r = 0.2)$power", () => {
    expect(correlationPower(538, 0.2)).toBeCloseTo(0.99686489498085884, 12);
  });

  it("finds the smallest r detectable at 80% power for n = 538 (R: uniroot of pwr.r.test's power function, tol 1e-14)", () => {
    expect(smallestDetectableR(538)).toBeCloseTo(0.12043443783398981, 9);
  });

  it("finds the pairs needed to detect r = .278 at 80% power (R: uniroot, tol 1e-12; pwr.r.test gives 98.42313)", () => {
    expect(pairsNeeded(0.278)).toBeCloseTo(98.423131807173661, 6);
  });
});
