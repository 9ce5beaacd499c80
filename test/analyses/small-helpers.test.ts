import { describe, expect, it } from "vitest";
import { linearRegression } from "simple-statistics";
import { linearFit } from "../../analyses/linear-fit.ts";
import { pairwiseComplete } from "../../analyses/pairwise-complete.ts";
import { cellSuppressor } from "../../analyses/suppress.ts";
import { binnedMeans, sortedByRanks } from "../../analyses/binned-means.ts";
import { averageRanks } from "../../analyses/rank.ts";
import { MPG, WT } from "./mtcars.ts";

describe("linearFit", () => {
  it("matches coef(lm(mpg ~ wt)) in R (test/reference/analyses-reference.out)", () => {
    const fit = linearFit(WT, MPG);
    expect(fit.intercept).toBeCloseTo(37.285126167342028, 10);
    expect(fit.slope).toBeCloseTo(-5.3444715727226786, 10);
  });

  it("gives simple-statistics' linearRegression line to the bit, from arrays or typed columns", () => {
    let s = 7;
    const next = () => (s = (s * 16807) % 2147483647) / 2147483647;
    const x = Array.from({ length: 10_000 }, () => Math.round(next() * 400) / 10);
    const y = x.map((v) => Math.round(v * 0.6 + next() * 20 - 10));
    const { m, b } = linearRegression(x.map((v, i) => [v, y[i]!]));
    expect(linearFit(x, y)).toEqual({ intercept: b, slope: m });
    expect(linearFit(Float64Array.from(x), Float64Array.from(y))).toEqual({ intercept: b, slope: m });
  });
});

describe("pairwiseComplete", () => {
  it("keeps only pairs where both values are present", () => {
    expect(pairwiseComplete([1, null, 3, 4], [5, 6, null, 8])).toEqual({ x: [1, 4], y: [5, 8] });
  });
});

describe("cellSuppressor", () => {
  it("withholds counts from 1 to the minimum cell size minus one", () => {
    const cells = cellSuppressor(11);
    expect([1, 10].map(cells.count)).toEqual([null, null]);
  });

  it("shows zero and counts at or above the minimum", () => {
    const cells = cellSuppressor(11);
    expect([0, 11, 500].map(cells.count)).toEqual([0, 11, 500]);
  });

  it("counts how many cells it withheld", () => {
    const cells = cellSuppressor(11);
    [3, 0, 40, 10].forEach(cells.count);
    expect(cells.withheld()).toBe(2);
  });
});

describe("binnedMeans", () => {
  it("cuts sorted x into equal-count bins and averages each (hand-computed)", () => {
    const bins = binnedMeans([4, 3, 2, 1], [7, 5, 3, 1], 2);
    expect(bins.map((b) => [b.n, b.x, b.y])).toEqual([
      [2, 1.5, 2],
      [2, 3.5, 6],
    ]);
  });

  it("gives the t interval of each bin's mean: mean ± qt(.975, 1)·sd/√2 = 2 ± 12.7062·1.41421/1.41421", () => {
    const [bin] = binnedMeans([1, 2, 3, 4], [1, 3, 5, 7], 2);
    // qt(0.975, 1) in R = 12.706204736174707; sd(c(1, 3)) = sqrt(2)
    expect(bin!.ci_low).toBeCloseTo(2 - 12.706204736174707, 10);
    expect(bin!.ci_high).toBeCloseTo(2 + 12.706204736174707, 10);
  });
});

describe("binnedMeans from ranks found elsewhere", () => {
  // Scores with many ties and negative values, from a fixed seed (Park–Miller).
  let seed = 7;
  const draw = () => ((seed = (seed * 16807) % 2147483647) % 41) / 4 - 3;
  const xs = Array.from({ length: 5000 }, draw);
  const ys = Array.from({ length: 5000 }, draw);

  it("sorts the pairs by x, then y, as the comparator x[a] − x[b] || y[a] − y[b] does", () => {
    const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]! || ys[a]! - ys[b]!);
    expect(sortedByRanks(xs, ys, averageRanks(xs), averageRanks(ys))).toEqual({
      x: order.map((i) => xs[i]!),
      y: order.map((i) => ys[i]!),
    });
  });

  it("gives the same bins, to the last bit, as sorting the pairs itself", () => {
    expect(binnedMeans(xs, ys, 10, 0.95, { x: averageRanks(xs), y: averageRanks(ys) })).toEqual(
      binnedMeans(xs, ys, 10),
    );
  });
});
