import { describe, expect, it } from "vitest";
import { spearman, spearmanFromRanks } from "../../analyses/spearman.ts";
import fc from "fast-check";
import { averageRanks, averageRanksTyped } from "../../analyses/rank.ts";
import { MPG, WT } from "./mtcars.ts";

// Expected values: test/reference/analyses-reference.out (R, stats::cor.test and base::rank).
describe("spearman", () => {
  it("matches rho of cor.test(wt, mpg, method = 'spearman', exact = FALSE), data with ties", () => {
    expect(spearman(WT, MPG).estimate).toBeCloseTo(-0.88642203327029789, 12);
  });

  it("matches the t-approximation p of the same call", () => {
    expect(spearman(WT, MPG).p / 1.4875948581274329e-11).toBeCloseTo(1, 8);
  });

  it("gives no confidence interval, as cor.test gives none", () => {
    const r = spearman(WT, MPG);
    expect([r.ci_low, r.ci_high]).toEqual([null, null]);
  });

  it("gives the same result, to the last bit, from ranks found elsewhere (spearmanFromRanks)", () => {
    expect(spearmanFromRanks(averageRanksTyped(Float64Array.from(WT)), averageRanks(MPG))).toEqual(spearman(WT, MPG));
  });
});

describe("averageRanks", () => {
  it("gives tied values the mean of their ranks, as rank(c(10, 20, 20, 5)) in R", () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });

  it("gives the same ranks for a typed column, into the buffer given", () => {
    const into = new Float64Array(6);
    const ranks = averageRanksTyped(Float64Array.of(10, 20, 20, 5), into);
    expect(Array.from(ranks)).toEqual([2, 3.5, 3.5, 1]);
    expect(ranks.buffer).toBe(into.buffer);
  });

  it("is R's definition for any values: the values below, plus the mean place among the equal ones (-0 equals 0)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: -3, max: 3 }),
            fc.double({ noNaN: true }),
            fc.constantFrom(-0, Infinity, -Infinity),
          ),
          { maxLength: 60 },
        ),
        (values) => {
          const expected = values.map(
            (v) => values.filter((w) => w < v).length + (values.filter((w) => w === v).length + 1) / 2,
          );
          expect(averageRanks(values)).toEqual(expected);
          expect(Array.from(averageRanksTyped(Float64Array.from(values)))).toEqual(expected);
        },
      ),
    );
  });

  it("gives the ranks a native sort and a count of the values below each gives, on 100,000 scores of few and of many distinct values", () => {
    let seed = 11;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (const draw of [
      () => Math.round(next() * 915) / 23,
      () => next() * 200 - 100,
      () => (next() < 0.05 ? NaN : Math.round(next() * 80) - 40),
    ]) {
      const values = Float64Array.from({ length: 100_000 }, draw);
      const sorted = Float64Array.from(values).sort();
      // How many sorted values are below v (or, with `orEqual`, at most v): a binary search.
      const count = (v: number, orEqual: boolean) => {
        let lo = 0;
        let hi = sorted.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (sorted[mid]! < v || (orEqual && sorted[mid] === v)) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      };
      // R's average rank: the values below, plus the mean place among the equal ones.
      const expected = Array.from(values, (v) =>
        Number.isNaN(v) ? values.length : count(v, false) + (count(v, true) - count(v, false) + 1) / 2,
      );
      expect(Array.from(averageRanksTyped(values))).toEqual(expected);
    }
  });

  it("ranks a NaN last, after every number (the analyses pass no NaN; this keeps the result defined)", () => {
    expect(averageRanks([3, NaN, 1, NaN])).toEqual([2, 4, 1, 4]);
  });
});
