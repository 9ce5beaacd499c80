import { describe, expect, it } from "vitest";
import {
  bootstrapCorrelation,
  bootstrapCorrelations,
  bootstrapInterval,
  bootstrapReplicates,
  normInter,
} from "../../analyses/bootstrap-correlation.ts";
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
    const together = bootstrapCorrelations(
      [WT, MPG, HP],
      [
        [0, 1],
        [2, 1],
        [0, 2],
      ],
      500,
      9,
    );
    expect(together[0]).toEqual(bootstrapCorrelation(WT, MPG, 500, 9));
    expect(together[1]).toEqual(bootstrapCorrelation(HP, MPG, 500, 9));
    expect(together[2]).toEqual(bootstrapCorrelation(WT, HP, 500, 9));
  });

  it("refuses columns of different lengths", () => {
    expect(() => bootstrapCorrelations([WT, MPG.slice(1)], [[0, 1]])).toThrow(RangeError);
  });
});

describe("bootstrapReplicates (any range of the replicates, on its own)", () => {
  it("gives bootstrapCorrelation's intervals, to the last bit, however the replicates are cut into ranges", () => {
    const whole = bootstrapCorrelation(WT, MPG, 500, 9);
    for (const cuts of [
      [0, 500],
      [0, 250, 500],
      [0, 1, 137, 499, 500],
    ]) {
      const ranges = cuts.slice(1).map((to, k) => bootstrapReplicates(WT, MPG, 9, cuts[k]!, to));
      expect(bootstrapInterval(WT, MPG, ranges, 500, 9)).toEqual(whole);
    }
  });

  it("finds a range's starting state without drawing the ones before, across the 2^32 wrap of the stream", () => {
    // 400,000 resamples of 32 cars: 12.8 million draws of step 0x6d2b79f5 wrap the 32-bit state thousands of times.
    const late = bootstrapReplicates(WT, MPG, 5, 400_000, 400_003);
    const drawn = bootstrapReplicates(WT, MPG, 5, 0, 400_003).subarray(400_000);
    expect(Array.from(late)).toEqual(Array.from(drawn));
  });

  it("marks a resample with a constant variable NaN, and refuses ranges that do not add up to B", () => {
    const constant = bootstrapReplicates([1, 1, 1, 2], [1, 2, 3, 4], 1, 0, 200);
    expect(constant.some(Number.isNaN)).toBe(true);
    expect(() => bootstrapInterval(WT, MPG, [bootstrapReplicates(WT, MPG, 9, 0, 100)], 500, 9)).toThrow(RangeError);
  });
});

describe("normInter", () => {
  it("matches boot:::norm.inter((1:99)^2/100, c(.025, .975, .5, .013))", () => {
    const t = Array.from({ length: 99 }, (_, i) => (i + 1) ** 2 / 100);
    const want = [0.067112474941987882, 94.982613477262475, 25, 0.021020156144917278];
    [0.025, 0.975, 0.5, 0.013].forEach((a, i) => expect(normInter(t, a)).toBeCloseTo(want[i]!, 12));
  });
});
