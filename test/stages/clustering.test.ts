/**
 * Cluster-aware intervals on the demo (clients nested in 30 therapists). Expected values:
 * test/reference/demo-clustering-reference.json, from test/reference/demo-clustering-reference.R, which
 * re-derives the episodes from the raw CSVs and computes each jackknife and Wilson interval in R.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Study } from "../../pipeline/config/study.ts";
import { analyze, type Analysis } from "../../pipeline/phases/analyze/analyze.ts";
import { analyzeRetention } from "../../pipeline/phases/analyze/analyze-retention.ts";
import { analyzeClustering } from "../../pipeline/phases/analyze/analyze-clustering.ts";
import { analysedColumns } from "../../pipeline/phases/analyze/analysis-columns.ts";
import type { DerivedEpisode } from "../../pipeline/phases/derive/derive.ts";
import { demoStudyAndEpisodes } from "../helpers/run-stages.ts";
import reference from "../reference/demo-clustering-reference.json" with { type: "json" };

let study: Study;
let episodes: DerivedEpisode[];
let result: Analysis;
beforeAll(async () => {
  ({ study, episodes } = await demoStudyAndEpisodes());
  result = analyze(episodes, study);
}, 60_000);

const withCluster = (cluster: Study["inference"]["cluster"], more: Partial<Study["inference"]> = {}): Study => ({
  ...study,
  inference: { ...study.inference, cluster, ...more },
});

describe("cluster-aware intervals on the demo, therapists as clusters (the default)", () => {
  it("clusters by therapist unless the config says otherwise", () => {
    expect(study.inference.cluster).toBe("therapist");
    expect(result.clustering.unit).toBe("therapist");
    expect(result.clustering.clusters).toBe(30);
  });

  it("gives every correlation of the report a cluster-aware interval: the four primary, the partial, the secondary family and rater agreement", () => {
    const c = result.clustering.correlations;
    expect(c.filter((k) => k.family === "primary").map((k) => `${k.y} ${k.method}`)).toEqual(
      result.correlations.map((k) => `${k.y} ${k.method}`),
    );
    expect(c.filter((k) => k.family === "partial")).toHaveLength(1);
    expect(c.filter((k) => k.family === "secondary").map((k) => `${k.x} ${k.y}`)).toEqual(
      result.predictors.correlations.filter((k) => k.result).map((k) => `${k.x} ${k.y}`),
    );
    expect(c.filter((k) => k.family === "rater_agreement")).toHaveLength(result.predictors.rater_agreement.length);
    for (const row of c) {
      expect(row.ci, `${row.family} ${row.x} ${row.y}`).not.toBeNull();
      expect(row.ci![0]).toBeLessThan(row.estimate!);
      expect(row.ci![1]).toBeGreaterThan(row.estimate!);
    }
  });

  it("keeps each correlation's estimate: the cluster-aware row is about the same r as the row it belongs to", () => {
    const row = (y: string, m: string) =>
      result.clustering.correlations.find((k) => k.family === "primary" && k.y === y && k.method === m)!;
    for (const c of result.correlations) expect(row(c.y, c.method).estimate).toBeCloseTo(c.result!.estimate, 12);
    expect(result.clustering.correlations.find((k) => k.family === "partial")!.estimate).toBeCloseTo(
      result.partial.result!.estimate,
      12,
    );
    const agreement = result.clustering.correlations.find((k) => k.family === "rater_agreement")!;
    expect(agreement.estimate).toBeCloseTo(result.predictors.rater_agreement[0]!.result!.estimate, 12);
  });

  for (const want of reference.correlations) {
    it(`matches R's ${want.r_call}: cluster jackknife CI and design effect`, () => {
      const got = result.clustering.correlations.find(
        (k) => k.family === "primary" && k.y === want.y && k.method === want.method,
      )!;
      expect(got.n).toBe(want.n);
      expect(got.clusters).toBe(want.clusters);
      expect(got.se_z).toBeCloseTo(want.se_z, 10);
      expect(got.design_effect).toBeCloseTo(want.design_effect, 8);
      expect(got.ci![0]).toBeCloseTo(want.ci[0]!, 10);
      expect(got.ci![1]).toBeCloseTo(want.ci[1]!, 10);
    });
  }

  for (const want of reference.dropout_by_tier) {
    it(`matches R for the ${want.tier} tier's dropout rate: Wilson on the effective n, adjusted for its degrees of freedom`, () => {
      const got = result.clustering.dropout_by_tier.find((t) => t.tier === want.tier)!;
      expect(got.closed).toBe(want.closed);
      expect(got.design_effect).toBeCloseTo(want.design_effect, 8);
      expect(got.effective_n).toBeCloseTo(want.effective_n, 8);
      expect(got.ci![0]).toBeCloseTo(want.ci[0]!, 10);
      expect(got.ci![1]).toBeCloseTo(want.ci[1]!, 10);
    });
  }

  it("never counts the sample for more than it is: effective n at most n, even with a design effect below 1", () => {
    const primary = result.clustering.correlations[0]!;
    expect(primary.design_effect).toBeLessThan(1);
    expect(primary.effective_n).toBe(primary.n);
  });

  it("runs the seeded cluster bootstrap with the config's B and seed, and repeats it exactly", () => {
    expect(result.clustering.bootstrap).toEqual({
      b: study.bootstrap.b,
      seed: study.bootstrap.seed,
      max_clusters: study.inference.bootstrapMaxClusters,
      run: true,
    });
    const again = analyze(episodes, study).clustering;
    expect(again.correlations.map((k) => k.bootstrap)).toEqual(result.clustering.correlations.map((k) => k.bootstrap));
    const other = analyze(episodes, {
      ...study,
      bootstrap: { ...study.bootstrap, seed: study.bootstrap.seed + 1 },
    }).clustering;
    expect(other.correlations[0]!.bootstrap!.percentile).not.toEqual(
      result.clustering.correlations[0]!.bootstrap!.percentile,
    );
  });

  it("gives Spearman's interval from the ranks analyze found, the same as ranking the pairs again", () => {
    const again = analyzeClustering(analysedColumns(episodes, study), study, result.predictors, 0.95); // no ranks handed on
    expect(again).toEqual(result.clustering);
  });

  it("leaves the bootstrap out above inference.bootstrap_max_clusters, and says so; the jackknife intervals stand", () => {
    const capped = analyze(episodes, withCluster("therapist", { bootstrapMaxClusters: 29 })).clustering;
    expect(capped.bootstrap.run).toBe(false);
    expect(capped.correlations.every((k) => k.bootstrap === null && k.ci !== null)).toBe(true);
  });
});

describe("the clustering unit in the config", () => {
  it("site: the four sites are the clusters, for the correlations and the robust log-rank", () => {
    const bySite = analyze(episodes, withCluster("site")).clustering;
    expect(bySite.unit).toBe("site");
    expect(bySite.clusters).toBe(4);
    expect(bySite.correlations[0]!.ci).not.toBeNull();
    const retention = analyzeRetention(episodes, withCluster("site"));
    expect(retention.logrank_robust!.clusters).toBe(4);
  });

  it("none: no cluster-aware intervals, no robust Cox or log-rank, and the reason", () => {
    const none = analyze(episodes, withCluster("none")).clustering;
    expect(none.correlations).toEqual([]);
    expect(none.dropout_by_tier).toEqual([]);
    expect(none.reason).toMatch(/inference.cluster to none/);
    const retention = analyzeRetention(episodes, withCluster("none"));
    expect(retention.logrank_robust).toBeNull();
    expect(retention.cox!.terms.every((t) => t.robust === null)).toBe(true);
  });

  it("fewer than 3 therapists: no cluster-aware intervals, with the reason", () => {
    const two = episodes.map((e, i) => ({ ...e, therapist_id: i % 2 ? "A" : "B" }));
    const c = analyze(two, study).clustering;
    expect(c.correlations).toEqual([]);
    expect(c.reason).toBe("fewer than 3 therapists");
    expect(analyzeRetention(two, study).logrank_robust).toBeNull();
  });
});

describe("the report's section on clustering", async () => {
  const { buildClusteringView } = await import("../../pipeline/report/clustering-view.ts");
  const golden = (await import("../golden/demo-results.json", { with: { type: "json" } }))
    .default as unknown as import("../../pipeline/results.ts").Results;
  const show = (n: number | null) => (n === null ? "s" : String(n));

  it("says what the ICC means for the intervals, in one plain sentence, and cites the jackknife interval", () => {
    const view = buildClusteringView(golden, show);
    expect(view.textHtml).toMatch(
      /^Clients share therapists: 2\.1% of the variance in outcome change lay between therapists \(ICC = \.021\)/,
    );
    expect(view.textHtml).toContain("they are the intervals to cite");
    expect(view.rows.map((r) => r.correlation)).toEqual([
      "Outcome change, r",
      "Outcome change, ρ",
      "Last outcome, r",
      "Last outcome, ρ",
      "Last outcome given first, partial r",
      "Therapist-rated alliance, r",
    ]);
  });

  it("warns when the intervals rest on fewer than 10 clusters", () => {
    const few = { ...golden, clustering: { ...golden.clustering, unit: "site" as const, clusters: 4 } };
    expect(buildClusteringView(few, show).textHtml).toContain(
      "With only 4 sites, these intervals and the robust tests rest on 4 units",
    );
    expect(buildClusteringView(golden, show).textHtml).not.toContain("With only");
  });

  it("shows nothing for unit none: no section, and no cluster-aware column in any table", async () => {
    const none = {
      ...golden,
      clustering: {
        ...golden.clustering,
        unit: "none" as const,
        clusters: null,
        correlations: [],
        dropout_by_tier: [],
        reason: "the config sets inference.cluster to none",
      },
      retention: {
        ...golden.retention,
        logrank_robust: null,
        hazard_ratios: golden.retention.hazard_ratios.map((h) => ({ ...h, robust: null })),
      },
    };
    expect(buildClusteringView(none, show).shown).toBe(false);
    const { buildReportView } = await import("../../pipeline/report/research-view.ts");
    const { renderHtml } = await import("../../pipeline/report/html.ts");
    const charts = {
      scatter: "",
      dropout: "",
      km: "",
      incidence: "",
      forest: "",
      benchmarks: "",
      allianceCourse: "",
      ruptures: "",
      shiftCourse: "",
      within: "",
    };
    const html = renderHtml(buildReportView(none, charts));
    expect(html).not.toMatch(/cluster-aware|cluster-robust|Clients nested/);
    expect(html).toContain("Episodes were treated as independent (config inference.cluster: none)");
    expect(renderHtml(buildReportView(golden, charts))).toContain("95% CI, cluster-aware");
  });
});
