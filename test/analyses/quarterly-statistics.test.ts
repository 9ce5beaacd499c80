/**
 * The statistics of the quarterly report: funnel limits, p-chart limits, special-cause rules and
 * the intervals for a change between periods. Expected values come from
 * test/reference/quarterly-reference.R (R 4.x, survival), from published worked examples, or are
 * worked by hand in the test.
 */
import { describe, expect, it } from "vitest";
import { funnelLimits } from "../../analyses/funnel-limits.ts";
import { pChart } from "../../analyses/p-chart.ts";
import { specialCauses, type ChartPoint } from "../../analyses/special-causes.ts";
import {
  correlationDifference,
  countDifference,
  meanDifference,
  proportionDifference,
  survivalDifference,
} from "../../analyses/difference-intervals.ts";
import { kaplanMeier, survivalAt } from "../../analyses/kaplan-meier.ts";
import { mean, sampleStandardDeviation } from "simple-statistics";
import { AML_EVENT, AML_GROUP, AML_TIME } from "./aml.ts";
import ref from "../reference/quarterly-reference.json" with { type: "json" };

describe("funnel limits (Spiegelhalter 2005, exact binomial with interpolation)", () => {
  for (const row of ref.funnel) {
    it(`match R's qbinom/pbinom construction at n = ${row.n} around 30%`, () => {
      const f95 = funnelLimits(row.theta, row.n, 0.95);
      const f998 = funnelLimits(row.theta, row.n, 0.998);
      expect(f95.lower).toBeCloseTo(Math.max(0, row.l95), 12);
      expect(f95.upper).toBeCloseTo(row.u95, 12);
      expect(f998.lower).toBeCloseTo(Math.max(0, row.l998), 12);
      expect(f998.upper).toBeCloseTo(row.u998, 12);
    });
  }

  it("narrow as the number of discharges grows", () => {
    const widths = [20, 80, 320].map((n) => funnelLimits(0.3, n, 0.95)).map((l) => l.upper - l.lower);
    expect(widths[0]!).toBeGreaterThan(widths[1]!);
    expect(widths[1]!).toBeGreaterThan(widths[2]!);
  });
});

describe("p-chart", () => {
  it("centres on all events over all cases and sets 3-sigma limits from each period's own n (worked by hand)", () => {
    // p̄ = (10 + 20 + 15) / (100 + 200 + 150) = 0.1; at n = 100: 0.1 ± 3·√(0.09/100) = 0.1 ± 0.09.
    const chart = pChart([10, 20, 15], [100, 200, 150]);
    expect(chart.center).toBeCloseTo(0.1, 15);
    expect(chart.points[0]!.lower).toBeCloseTo(0.01, 12);
    expect(chart.points[0]!.upper).toBeCloseTo(0.19, 12);
    // at n = 200: 0.1 ± 3·√(0.09/200) = 0.1 ± 0.0636396…
    expect(chart.points[1]!.upper).toBeCloseTo(0.1 + 3 * Math.sqrt(0.09 / 200), 12);
  });

  it("clips a lower limit below zero to zero", () => {
    const chart = pChart([1, 2], [10, 10]);
    expect(chart.points[0]!.lower).toBe(0);
  });
});

describe("special-cause rules (Provost & Murray 2011)", () => {
  const at = (values: (number | null)[]): ChartPoint[] =>
    values.map((value) => ({ value, center: 0.5, lower: 0.2, upper: 0.8 }));
  const rules = (values: (number | null)[]) => specialCauses(at(values)).map((s) => `${s.rule}:${s.points.join(",")}`);

  it("flags a single point beyond a limit", () => {
    expect(rules([0.5, 0.85, 0.4])).toEqual(["beyond_limits:1"]);
  });

  it("flags a shift of 8 points above the center line, and not one of 7", () => {
    expect(rules([0.4, 0.6, 0.55, 0.6, 0.55, 0.6, 0.55, 0.6, 0.55, 0.45])).toEqual(["shift:1,2,3,4,5,6,7,8"]);
    expect(rules([0.4, 0.6, 0.55, 0.6, 0.55, 0.6, 0.55, 0.6, 0.45])).toEqual([]);
  });

  it("lets a point on the center line neither count toward nor break a shift", () => {
    expect(rules([0.6, 0.55, 0.6, 0.5, 0.55, 0.6, 0.55, 0.6, 0.55])).toEqual(["shift:0,1,2,4,5,6,7,8"]);
  });

  it("flags a trend of 6 rising points, not 5, and skips equal neighbours", () => {
    expect(rules([0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.5])).toEqual(["trend:0,1,2,3,4,5"]);
    expect(rules([0.3, 0.35, 0.4, 0.45, 0.5, 0.45])).toEqual([]);
    expect(rules([0.3, 0.35, 0.35, 0.4, 0.45, 0.5, 0.55])).toEqual(["trend:0,1,3,4,5,6"]);
  });

  it("flags 2 of 3 points in the outer third on one side", () => {
    // Outer third above: > 0.5 + (2/3)·0.3 = 0.7.
    expect(rules([0.72, 0.5, 0.75])).toEqual(["two_of_three:0,2"]);
    expect(rules([0.72, 0.5, 0.25])).toEqual([]);
  });

  it("lets a withheld point break a run", () => {
    expect(rules([0.6, 0.6, 0.6, 0.6, null, 0.6, 0.6, 0.6, 0.6])).toEqual([]);
  });
});

describe("intervals for a change between two periods", () => {
  it("difference of proportions matches Newcombe's (1998) table II, method 10, for 56/70 − 48/80", () => {
    const d = proportionDifference(56, 70, 48, 80);
    expect(d.estimate).toBeCloseTo(0.2, 12);
    expect(d.ci_low).toBeCloseTo(0.0524, 4);
    expect(d.ci_high).toBeCloseTo(0.3339, 4);
  });

  it("difference of proportions matches Newcombe's table II for 9/10 − 3/10", () => {
    const d = proportionDifference(9, 10, 3, 10);
    expect(d.ci_low).toBeCloseTo(0.1705, 4);
    expect(d.ci_high).toBeCloseTo(0.809, 4);
  });

  it("difference of means matches R's t.test (Welch)", () => {
    const { x, y } = ref.welch;
    const d = meanDifference(
      { mean: mean(x), sd: sampleStandardDeviation(x), n: x.length },
      { mean: mean(y), sd: sampleStandardDeviation(y), n: y.length },
    );
    expect(d.estimate).toBeCloseTo(ref.welch.estimate, 12);
    expect(d.ci_low).toBeCloseTo(ref.welch.ci[0]!, 10);
    expect(d.ci_high).toBeCloseTo(ref.welch.ci[1]!, 10);
  });

  it("difference of correlations matches Zou's (2007) method computed in R", () => {
    const [a, b] = [correlationDifference(0.45, 80, 0.2, 95), correlationDifference(-0.1, 40, 0.35, 200)];
    expect([a.estimate, a.ci_low, a.ci_high].map((v) => v.toFixed(12))).toEqual(ref.zou.a.map((v) => v.toFixed(12)));
    expect([b.estimate, b.ci_low, b.ci_high].map((v) => v.toFixed(12))).toEqual(ref.zou.b.map((v) => v.toFixed(12)));
  });

  it("difference of Kaplan–Meier survival at a day matches R's survfit Greenwood SEs (aml, week 20)", () => {
    const groups = ["Maintained", "Nonmaintained"].map((g) => {
      const idx = AML_GROUP.map((x, i) => (x === g ? i : -1)).filter((i) => i >= 0);
      const fit = kaplanMeier(
        idx.map((i) => AML_TIME[i]!),
        idx.map((i) => AML_EVENT[i]!),
      );
      const s = survivalAt(fit, 20);
      return { surv: s.surv, se: s.surv * s.std_err };
    });
    expect(groups.map((g) => g.se)).toEqual(ref.km.se.map((v: number) => expect.closeTo(v, 12)));
    const d = survivalDifference(groups[0]!, groups[1]!);
    expect(d.estimate).toBeCloseTo(ref.km.diff, 12);
    expect(d.ci_low).toBeCloseTo(ref.km.lo, 12);
    expect(d.ci_high).toBeCloseTo(ref.km.hi, 12);
  });

  it("difference of two Poisson counts: 132 − 110 ± 1.96·√242 (worked by hand)", () => {
    const d = countDifference(132, 110);
    expect(d.estimate).toBe(22);
    expect(d.ci_low).toBeCloseTo(22 - 1.959963984540054 * Math.sqrt(242), 10);
  });
});
