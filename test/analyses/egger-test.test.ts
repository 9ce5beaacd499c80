/**
 * Egger's test against metafor on dat.molloy2014 (test/reference/meta-reference.R → .out, line
 * "regtest(rma(yi, vi), model = 'lm')"), with y = atanh(r), v = 1/(n − 3) as escalc("ZCOR").
 */
import { describe, expect, it } from "vitest";
import { eggerTest } from "../../analyses/egger-test.ts";

const RI = [0.187, 0.162, 0.34, 0.32, 0.27, 0, 0.175, 0.05, 0.26, 0.01, -0.09, 0.37, 0, 0.15, 0.24, 0.04];
const NI = [109, 749, 55, 107, 72, 65, 174, 326, 58, 771, 56, 91, 116, 537, 158, 65];

describe("Egger's regression test on dat.molloy2014", () => {
  const e = eggerTest(
    RI.map(Math.atanh),
    NI.map((n) => 1 / (n - 3)),
  );

  it("matches regtest(model = 'lm'): t = 1.34503, df = 14, p = .199999", () => {
    expect(e.t).toBeCloseTo(1.3450344270499277, 10);
    expect(e.df).toBe(14);
    expect(e.p).toBeCloseTo(0.19999872332970159, 10);
  });

  it("matches the slope on sei and its SE (coef(summary(fit)))", () => {
    expect(e.bias).toBeCloseTo(1.1189721315754155, 10);
    expect(e.bias_se).toBeCloseTo(0.83192824590346282, 10);
  });

  it("matches the limit estimate as sei → 0 and its CI", () => {
    expect(e.limit_estimate).toBeCloseTo(0.057896161503063051, 10);
    expect(e.limit_ci[0]).toBeCloseTo(-0.063422934899495506, 10);
    expect(e.limit_ci[1]).toBeCloseTo(0.17921525790562159, 10);
  });

  it("refuses studies of equal size, whose asymmetry cannot be tested", () => {
    expect(() => eggerTest([0.1, 0.2, 0.3], [0.01, 0.01, 0.01])).toThrow(/do not vary/);
  });
});
