/**
 * Other predictors and outcomes on the demo against R: test/reference/demo-predictors-reference.R
 * re-derives the episodes from the raw CSVs (the SRS items as subscales and the therapist-rated column
 * included) and runs cor.test, p.adjust(method = "holm") over all 24 rows, lm(last ~ first) for
 * residualized change, and Jacobson–Truax (reliability .93, cutoff 25).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadStudyConfig } from "../../pipeline/config/load-config.ts";
import { DEMO_CONFIG } from "../../pipeline/cli.ts";
import { analyzePredictors, type PredictorAnalysis } from "../../pipeline/phases/analyze/analyze-predictors.ts";
import { analyze } from "../../pipeline/phases/analyze/analyze.ts";
import { analysedColumns } from "../../pipeline/phases/analyze/analysis-columns.ts";
import { powerText } from "../../pipeline/report/research-view.ts";
import type { Results } from "../../pipeline/results.ts";
import { deriveAll, demoStudyAndEpisodes } from "../helpers/run-stages.ts";
import reference from "../reference/demo-predictors-reference.json" with { type: "json" };

let result: PredictorAnalysis;
beforeAll(async () => {
  const { study, episodes } = await demoStudyAndEpisodes();
  result = analyzePredictors(analysedColumns(episodes, study), study, 0.95);
}, 60_000);

describe("alliance predictors × outcomes on the demo", () => {
  it(`fits residualized change as ${reference.residualized_fit.r_call}`, () => {
    expect(result.residualized_fit!.n).toBe(reference.residualized_fit.n);
    expect(result.residualized_fit!.intercept).toBeCloseTo(reference.residualized_fit.intercept, 10);
    expect(result.residualized_fit!.slope).toBeCloseTo(reference.residualized_fit.slope, 12);
  });

  for (const ref of reference.correlations) {
    it(`matches ${ref.r_call} and its Holm-adjusted p over the family`, () => {
      const got = result.correlations.find((c) => c.x === ref.x && c.y === ref.y)!;
      expect(got.n).toBe(ref.n);
      expect(got.result!.estimate).toBeCloseTo(ref.estimate, 10);
      expect(got.result!.ci_low).toBeCloseTo(ref.ci_low, 10);
      expect(got.result!.ci_high).toBeCloseTo(ref.ci_high, 10);
      expect(got.result!.p / ref.p).toBeCloseTo(1, 6);
      expect(got.p_holm! / ref.p_holm).toBeCloseTo(1, 6);
    });
  }

  it("has one row per alliance score and outcome: 3 timings of the total, 4 subscales and the therapist's rating", () => {
    expect(result.correlations.map((c) => `${c.x}×${c.y}`)).toEqual(reference.correlations.map((c) => `${c.x}×${c.y}`));
    expect(result.correlations).toHaveLength(24);
  });

  it(`matches ${reference.rater_agreement.r_call} for the agreement of therapist- and client-rated early alliance`, () => {
    const [g] = result.rater_agreement;
    expect(g!.rater).toBe("therapist");
    expect(g!.n).toBe(reference.rater_agreement.n);
    expect(g!.result!.estimate).toBeCloseTo(reference.rater_agreement.estimate, 10);
    expect(g!.result!.ci_low).toBeCloseTo(reference.rater_agreement.ci_low, 10);
    expect(g!.result!.ci_high).toBeCloseTo(reference.rater_agreement.ci_high, 10);
    expect(g!.result!.p / reference.rater_agreement.p).toBeCloseTo(1, 6);
  });

  it("gives every correlation seeded bootstrap intervals that contain its estimate", () => {
    for (const c of result.correlations) {
      expect(c.bootstrap!.b).toBe(2000);
      expect(c.bootstrap!.bca[0]).toBeLessThan(c.result!.estimate);
      expect(c.bootstrap!.bca[1]).toBeGreaterThan(c.result!.estimate);
    }
  });
});

describe("bootstrap.secondary_max_n", () => {
  it("leaves rows on more episodes than the limit without bootstrap intervals, keeping their Fisher-z interval", async () => {
    const loaded = loadStudyConfig(DEMO_CONFIG);
    if (!loaded.ok) throw new Error("demo config invalid");
    const study = { ...loaded.value, bootstrap: { ...loaded.value.bootstrap, secondaryMaxN: 560 } };
    const capped = analyzePredictors(analysedColumns(await deriveAll(study), study), study, 0.95);
    for (const c of capped.correlations) {
      expect(c.result).not.toBeNull();
      expect(c.bootstrap === null).toBe(c.n > 560); // 570 and 555 on the last outcome: only the latter is bootstrapped
    }
    expect(
      capped.correlations.some((c) => c.bootstrap === null) && capped.correlations.some((c) => c.bootstrap !== null),
    ).toBe(true);
  });
});

describe("Jacobson–Truax reliable change on the demo (reliability .93, cutoff 25)", () => {
  it("uses R's sd(first) and threshold 1.96·√2·SD·√(1 − .93)", () => {
    expect(result.reliable_change!.sd_pre).toBeCloseTo(reference.reliable_change.sd_pre, 12);
    expect(result.reliable_change!.threshold_points).toBeCloseTo(reference.reliable_change.threshold_points, 12);
  });

  it("counts each category overall and by tier as R does", () => {
    const rc = result.reliable_change!;
    const got = [
      ...rc.by_tier.map((t) => ({ tier: t.tier, n: t.n, ...t.counts })),
      { tier: "All", n: rc.overall.n, ...rc.overall.counts },
    ];
    expect(got).toEqual(reference.reliable_change.rows);
  });
});

describe("bootstrap.max_n", () => {
  it("leaves the primary correlation on more episodes than the limit without bootstrap intervals, and the report says why", async () => {
    const loaded = loadStudyConfig(DEMO_CONFIG);
    if (!loaded.ok) throw new Error("demo config invalid");
    const study = { ...loaded.value, bootstrap: { ...loaded.value.bootstrap, maxN: 100 } };
    const episodes = await deriveAll(study);
    const capped = analyze(episodes, study);
    expect(capped.power.n).toBeGreaterThan(100);
    expect(capped.bootstrap).toBeNull();
    expect(analyze(episodes, loaded.value).bootstrap).not.toBeNull();
    const text = powerText({
      bootstrap: null,
      bootstrap_max_n: 100,
      power: { ...capped.power, n: capped.power.n },
    } as unknown as Results);
    expect(text).toContain(
      "rests on more than 100 episodes, the most the config bootstraps (bootstrap.max_n), so its Fisher-z CI stands",
    );
  });
});
