import { describe, expect, it } from "vitest";
import {
  clusterBootstrap,
  clusterJackknife,
  partialBlock,
  pearsonBlock,
  proportionBlock,
} from "../../analyses/cluster-bootstrap.ts";
import { partialCorrelation } from "../../analyses/partial-correlation.ts";
import { correlationCoefficient } from "../../analyses/pearson.ts";
import { CHICK, TIME, WEIGHT } from "./chickweight.ts";

// Expected values: test/reference/cluster-bootstrap-reference.out (R 4.2.2, boot 1.3-28.1):
// cor(weight, Time) in datasets::ChickWeight with the 50 chicks as clusters, boot() resampling chick ids
// and keeping each chick's rows whole; boot.ci(type = "perc"); empinf(type = "jack") on the chicks.
const ids = (() => {
  const index = new Map<string, number>();
  return CHICK.map((c) => index.get(c) ?? index.set(c, index.size).get(c)!);
})();
const G = new Set(CHICK).size;

describe("cluster bootstrap of r(weight, Time) in ChickWeight, chicks as clusters", () => {
  const block = pearsonBlock(WEIGHT, TIME, ids, G);

  it("estimates r as cor() does (.837102)", () => {
    expect(clusterJackknife(block)!.estimate).toBeCloseTo(0.837101699539959, 12);
    expect(correlationCoefficient(WEIGHT, TIME)).toBeCloseTo(0.837101699539959, 12);
  });

  // Tolerance: 4 × the Monte Carlo SD of one B = 10,000 percentile endpoint, 0.00075 (the SD over 20 seeds
  // in R), so 0.003. Two independent runs differ by more than that about once in 10,000 comparisons; a
  // resampling that ignored the chicks (weighings resampled) gives [.813, .861], far outside it.
  it("agrees with R's percentile interval [.78956, .88505] within Monte Carlo error at B = 10,000, for three seeds", () => {
    for (const seed of [1, 2, 3]) {
      const [result] = clusterBootstrap([block], 10_000, seed);
      expect(Math.abs(result!.percentile[0] - 0.78955834222501)).toBeLessThan(0.003);
      expect(Math.abs(result!.percentile[1] - 0.885049509447575)).toBeLessThan(0.003);
      expect(result!.undefined_replicates).toBe(0);
    }
  });

  it("has R's BCa acceleration from leave-one-chick-out values exactly (deterministic)", () => {
    const [result] = clusterBootstrap([block], 200, 1);
    expect(result!.acceleration).toBeCloseTo(-0.0427028283117307, 10);
  });

  it("gives the cluster jackknife of Fisher z, the design effect and the t interval as computed in R", () => {
    const jack = clusterJackknife(block)!;
    expect(jack.se).toBeCloseTo(0.0856372273600767, 10);
    expect(jack.se_independent).toBeCloseTo(0.0414107075371121, 10);
    expect(jack.design_effect).toBeCloseTo(4.27661243152373, 8);
    expect(jack.effective_n).toBeCloseTo(578 / 4.27661243152373, 6);
    expect(jack.ci[0]).toBeCloseTo(0.777617315905248, 10);
    expect(jack.ci[1]).toBeCloseTo(0.88173340129475, 10);
  });

  it("repeats exactly with the same seed, and gives each statistic the same interval alone or with others", () => {
    const other = pearsonBlock(
      TIME,
      WEIGHT.map((w) => Math.log(w)),
      ids,
      G,
    );
    const together = clusterBootstrap([block, other], 500, 9);
    expect(clusterBootstrap([block], 500, 9)[0]).toEqual(together[0]);
    expect(clusterBootstrap([other], 500, 9)[0]).toEqual(together[1]);
  });
});

describe("cluster blocks", () => {
  it("with every case its own cluster, the jackknife's design effect is 1", () => {
    const x = [1, 3, 2, 5, 4, 6, 8, 7];
    const y = [2, 1, 4, 3, 6, 5, 7, 9];
    const jack = clusterJackknife(
      pearsonBlock(
        x,
        y,
        x.map((_, i) => i),
        x.length,
      ),
    )!;
    expect(jack.design_effect).toBeCloseTo(1, 12);
  });

  it("computes the partial correlation from cluster sums as analyses/partial-correlation.ts does", () => {
    const z = TIME.map((t, i) => (t * 7 + i) % 13);
    const block = partialBlock(WEIGHT, TIME, z, ids, G);
    const totals = new Float64Array(block.width);
    for (let c = 0; c < G; c++) for (let v = 0; v < block.width; v++) totals[v]! += block.sums[c * block.width + v]!;
    expect(block.statistic(totals)).toBeCloseTo(partialCorrelation(WEIGHT, TIME, z).estimate, 12);
  });

  it("takes a proportion as a ratio of cluster sums, with no design effect when every cluster has the same rate", () => {
    const events = [1, 0, 1, 0, 1, 0];
    const block = proportionBlock(
      events,
      events.map(() => 1),
      [0, 0, 1, 1, 2, 2],
      3,
    );
    const jack = clusterJackknife(block)!;
    expect(jack.estimate).toBe(0.5);
    expect(jack.se).toBe(0);
  });

  it("leaves out replicates where a variable is constant and counts them", () => {
    // Two clusters hold all the variation: a resample of only the constant clusters has no r.
    const x = [1, 2, 5, 5, 5, 5, 5, 5];
    const y = [2, 1, 3, 3, 3, 3, 3, 3];
    const [result] = clusterBootstrap([pearsonBlock(x, y, [0, 0, 1, 1, 2, 2, 3, 3], 4)], 400, 3);
    expect(result!.undefined_replicates).toBeGreaterThan(0);
    expect(result!.undefined_replicates).toBeLessThan(400);
  });
});
