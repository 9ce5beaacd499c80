import { describe, expect, it } from "vitest";
import { bootstrapCorrelation, bootstrapCorrelations, normInter } from "../../analyses/bootstrap-correlation.ts";
import { MPG, WT } from "./mtcars.ts";

// Expected values: test/reference/bootstrap-reference.out (R boot 1.3-28: boot(), empinf(type = "jack"),
// boot.ci(type = c("perc", "bca"), L = L), boot:::norm.inter).
describe("bootstrapCorrelation on mtcars (wt, mpg)", () => {
  const result = bootstrapCorrelation(WT, MPG, 20_000, 7);

  it("matches the BCa acceleration from jackknife influence values exactly (deterministic)", () => {
    expect(result.acceleration).toBeCloseTo(-0.0023930810951040375, 12);
  });

  it("agrees with boot.ci's percentile interval to Monte Carlo error (B = 20,000 each; ±0.01)", () => {
    expect(Math.abs(result.percentile[0] - -0.92563624521002352)).toBeLessThan(0.01);
    expect(Math.abs(result.percentile[1] - -0.79167560543170623)).toBeLessThan(0.01);
  });

  it("agrees with boot.ci's BCa interval to Monte Carlo error (±0.01)", () => {
    expect(Math.abs(result.bca[0] - -0.9171776131423387)).toBeLessThan(0.01);
    expect(Math.abs(result.bca[1] - -0.77175672393135442)).toBeLessThan(0.01);
  });

  it("agrees with boot's bias correction to Monte Carlo error (±0.05)", () => {
    expect(Math.abs(result.bias_correction - 0.18618460029171621)).toBeLessThan(0.05);
  });

  it("repeats exactly with the same seed, and differs with another", () => {
    expect(bootstrapCorrelation(WT, MPG, 500, 3)).toEqual(bootstrapCorrelation(WT, MPG, 500, 3));
    expect(bootstrapCorrelation(WT, MPG, 500, 4).bca).not.toEqual(bootstrapCorrelation(WT, MPG, 500, 3).bca);
  });
});

describe("bootstrapCorrelations (several pairs from one set of resamples)", () => {
  const HP = MPG.map((m, i) => 300 - 6 * m + 20 * WT[i]! + (i % 5)); // a third variable on the same cars

  it("gives each pair exactly the interval bootstrapCorrelation gives it alone with the same seed", () => {
    const together = bootstrapCorrelations([WT, MPG, HP], [[0, 1], [2, 1], [0, 2]], 500, 9);
    expect(together[0]).toEqual(bootstrapCorrelation(WT, MPG, 500, 9));
    expect(together[1]).toEqual(bootstrapCorrelation(HP, MPG, 500, 9));
    expect(together[2]).toEqual(bootstrapCorrelation(WT, HP, 500, 9));
  });

  it("refuses columns of different lengths", () => {
    expect(() => bootstrapCorrelations([WT, MPG.slice(1)], [[0, 1]])).toThrow(RangeError);
  });
});

describe("normInter", () => {
  it("matches boot:::norm.inter((1:99)^2/100, c(.025, .975, .5, .013))", () => {
    const t = Array.from({ length: 99 }, (_, i) => (i + 1) ** 2 / 100);
    const want = [0.067112474941987882, 94.982613477262475, 25, 0.021020156144917278];
    [0.025, 0.975, 0.5, 0.013].forEach((a, i) => expect(normInter(t, a)).toBeCloseTo(want[i]!, 12));
  });
});
