import { describe, expect, it } from "vitest";
import { pairwiseCorrelation, pearson, pearsonFromR } from "../../analyses/pearson.ts";
import { MPG, WT } from "./mtcars.ts";

// Expected values: test/reference/analyses-reference.out (R 4.x, stats::cor.test).
describe("pearson", () => {
  const result = pearson(WT, MPG);

  it("matches r from cor.test(wt, mpg, method = 'pearson')", () => {
    expect(result.estimate).toBeCloseTo(-0.8676593765172278, 12);
  });

  it("matches the t statistic and two-sided p of cor.test", () => {
    expect(result.t).toBeCloseTo(-9.559044146972111, 10);
    expect(result.df).toBe(30);
    expect(result.p / 1.2939587013505163e-10).toBeCloseTo(1, 8);
  });

  it("matches the Fisher-z 95% interval of cor.test", () => {
    expect(result.ci_low).toBeCloseTo(-0.93382641328499416, 12);
    expect(result.ci_high).toBeCloseTo(-0.74408719646011279, 12);
  });

  it("honours another confidence level, as cor.test(conf.level = 0.90)", () => {
    const r90 = pearson(WT, MPG, 0.9);
    expect(r90.ci_low).toBeCloseTo(-0.92591514988401946, 12);
    expect(r90.ci_high).toBeCloseTo(-0.76908720785974927, 12);
  });

  it("refuses fewer than four pairs", () => {
    expect(() => pearson([1, 2, 3], [1, 2, 4])).toThrow(/at least 4/);
  });

  it("refuses a constant variable, whose correlation is undefined", () => {
    expect(() => pearson([1, 1, 1, 1], [1, 2, 3, 4])).toThrow(/constant/);
  });
});

describe("pairwiseCorrelation (cor(x, y, use = 'pairwise.complete.obs'))", () => {
  // mtcars' wt and mpg with a few values knocked out: the pairs left are R's complete cases.
  const wt: (number | null)[] = WT.map((v, i) => (i % 7 === 3 ? null : v));
  const mpg: (number | null)[] = MPG.map((v, i) => (i % 5 === 1 ? null : v));
  const keep = WT.map((_, i) => wt[i] !== null && mpg[i] !== null);

  it("uses only the pairs where both values are present", () => {
    expect(pairwiseCorrelation(wt, mpg).n).toBe(keep.filter(Boolean).length);
  });

  it("gives the same r, to the last bit, as pearson on the complete pairs", () => {
    const complete = pearson(
      WT.filter((_, i) => keep[i]),
      MPG.filter((_, i) => keep[i]),
    );
    const { r, n } = pairwiseCorrelation(wt, mpg);
    expect(r).toBe(complete.estimate);
    expect(pearsonFromR(r, n)).toEqual(complete);
  });

  it("refuses a variable that is constant on the complete pairs", () => {
    expect(() => pairwiseCorrelation([1, 1, null, 1, 1], [1, 2, 3, 4, 5])).toThrow(/constant/);
  });

  it("reads NaN in a typed column as missing, as null is in an array", () => {
    const typed = (xs: (number | null)[]) => Float64Array.from(xs, (v) => v ?? NaN);
    expect(pairwiseCorrelation(typed(wt), typed(mpg))).toEqual(pairwiseCorrelation(wt, mpg));
  });
});
