/**
 * The whole pipeline on the embedded demo: one run (with PDF when a browser is present),
 * checked against an independent recomputation in R (test/reference/demo-reference.R →
 * demo-reference.json), against the results schema, and for privacy and self-containment.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { main, DEMO_CONFIG } from "../../pipeline/cli.ts";
import { findBrowser } from "../../pipeline/report/find-browser.js";
import type { Results } from "../../pipeline/results.ts";
import resultsSchema from "../../schema/results.schema.json" with { type: "json" };
import reference from "../reference/demo-reference.json" with { type: "json" };
import family from "../reference/demo-family-reference.json" with { type: "json" };
import { apaHtml } from "../../pipeline/report/apa.ts";
import { intervals, TRUTH, type Truth } from "../../data/demo/truth.ts";
import { generateDemoStudy } from "../../data/demo/model.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const out = tempDir("alliance-demo-");
const browser = findBrowser();
// CI must produce the PDF; elsewhere a missing browser only skips the PDF checks.
const requirePdf = Boolean(process.env.CI) || browser !== null;
let results: Results;
let html: string;
const lines: string[] = [];

beforeAll(async () => {
  const code = await main(["demo", "--out", out], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
  if (code !== 0) throw new Error(`alliance demo failed (${code}):\n${lines.join("\n")}`);
  results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
  html = readFileSync(join(out, "report.html"), "utf8");
}, 120_000);

describe("alliance demo", () => {
  it("writes the report, results.json and the CSV tables", () => {
    for (const f of [
      "report.html",
      "results.json",
      "tables/participant_flow.csv",
      "tables/correlations.csv",
      "tables/dropout_by_tier.csv",
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
  });

  it.runIf(requirePdf)("writes a PDF with pages", () => {
    const pdf = readFileSync(join(out, "report.pdf"));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const pages = Number(/\/Count (\d+)/.exec(pdf.toString("latin1"))?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
  });

  it("writes results.json that the published schema accepts", () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(resultsSchema);
    expect(validate(results), JSON.stringify(validate.errors)).toBe(true);
  });

  it("holds the provenance: SHA-256 of each input and the config, version and run time", () => {
    expect(results.provenance.inputs.map((i) => i.file)).toEqual(["episodes.csv", "sessions.csv"]);
    expect(results.provenance.inputs.every((i) => /^[0-9a-f]{64}$/.test(i.sha256))).toBe(true);
    expect(results.provenance.config.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(results.provenance.package_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Date.parse(results.provenance.run_at)).not.toBeNaN();
  });
});

describe("demo results agree with the independent R recomputation (test/reference/demo-reference.R)", () => {
  it("has the participant flow R counts", () => {
    const f = reference.flow;
    expect(results.flow.episodes_ingested).toBe(f.episodes_ingested);
    expect(results.flow.excluded).toEqual([
      {
        code: "X_NO_ALLIANCE_RATING",
        reason: "no alliance rating before the cutoff",
        n: f.no_alliance,
        suppressed: false,
      },
    ]);
    expect(results.flow.episodes_analyzed).toBe(f.episodes_analyzed);
    expect(results.flow.sessions.ingested).toBe(f.sessions_ingested);
    expect(results.flow.sessions.excluded.map((e) => e.n)).toEqual([f.sessions_after_cutoff, f.sessions_duplicate]);
    expect(results.flow.analysis_sets).toMatchObject({
      with_outcome_change: f.with_outcome_change,
      closed: f.closed,
      active_at_cutoff: f.active_at_cutoff,
    });
  });

  for (const ref of reference.correlations) {
    it(`matches ${ref.r_call}`, () => {
      const got = results.correlations.find((c) => c.y === ref.y && c.method === ref.method)!;
      expect(got.n).toBe(ref.n);
      expect(got.estimate).toBeCloseTo(ref.estimate, 10);
      expect(got.p! / ref.p).toBeCloseTo(1, 6);
      if (ref.ci_low !== undefined && ref.ci_high !== undefined) {
        expect(got.ci_low).toBeCloseTo(ref.ci_low, 10);
        expect(got.ci_high).toBeCloseTo(ref.ci_high, 10);
      } else {
        expect([got.ci_low, got.ci_high]).toEqual([null, null]);
      }
    });
  }

  for (const ref of reference.dropout_by_tier) {
    it(`matches the ${ref.tier} tier: ${ref.r_call}`, () => {
      const got = results.dropout_by_tier.find((t) => t.tier === ref.tier)!;
      // The tiers' episode counts are withheld: beside the closed counts they would give away the few
      // episodes of a tier still active at the cutoff (2 in the low tier), by subtraction.
      expect([got.episodes, got.closed, got.dropouts]).toEqual([null, ref.closed, ref.dropouts]);
      expect(got.rate).toBeCloseTo(ref.rate, 12);
      expect(got.ci_low).toBeCloseTo(ref.ci_low, 10);
      expect(got.ci_high).toBeCloseTo(ref.ci_high, 10);
    });
  }
});

describe("demo correlation family against R (test/reference/demo-family-reference.json)", () => {
  it(`matches the partial correlation: ${family.partial.r_call}, and the t of early alliance in lm(last ~ early + first)`, () => {
    const pc = results.partial_correlation;
    expect([pc.n, pc.df]).toEqual([family.partial.n, family.partial.df]);
    expect(pc.estimate).toBeCloseTo(family.partial.estimate, 10);
    expect(pc.t).toBeCloseTo(family.partial.t, 8);
    expect(pc.t).toBeCloseTo(family.partial.lm_t, 8);
    expect(pc.ci_low).toBeCloseTo(family.partial.ci_low, 10);
    expect(pc.ci_high).toBeCloseTo(family.partial.ci_high, 10);
  });

  it(`matches ${family.holm.r_call}`, () => {
    const holm = [...results.correlations, results.partial_correlation].map((c) => c.p_holm!);
    family.holm.p_holm.forEach((v, i) => expect(holm[i]! / v).toBeCloseTo(1, 6));
  });

  it("agrees with boot.ci on the demo pairs to Monte Carlo error (ours B = 2,000, R's B = 20,000; ±0.02), and records B and seed", () => {
    const bs = results.bootstrap!;
    expect([bs.b, bs.seed]).toEqual([2000, 20261122]);
    expect(Math.abs(bs.percentile.ci_low - family.bootstrap.percentile[0]!)).toBeLessThan(0.02);
    expect(Math.abs(bs.percentile.ci_high - family.bootstrap.percentile[1]!)).toBeLessThan(0.02);
    expect(Math.abs(bs.bca.ci_low - family.bootstrap.bca[0]!)).toBeLessThan(0.02);
    expect(Math.abs(bs.bca.ci_high - family.bootstrap.bca[1]!)).toBeLessThan(0.02);
  });

  it("gives the smallest detectable r and the pairs needed for Flückiger et al.'s r = .278 (R: uniroot of pwr.r.test's power function)", () => {
    expect(results.power.n).toBe(family.power.n);
    expect(results.power.smallest_detectable_r!).toBeCloseTo(family.power.smallest_detectable_r, 9);
    expect(results.power.pairs_needed_for_benchmark).toBe(family.power.pairs_needed_for_benchmark);
  });
});

describe("demo sites against R (test/reference/demo-family-reference.json)", () => {
  it("matches cor.test(early_alliance, outcome_change) in each site", () => {
    family.sites.forEach((want, i) => {
      const got = results.sites.per_site[i]!;
      expect([got.site, got.n]).toEqual([want.site, want.n]);
      expect(got.r).toBeCloseTo(want.r, 12);
      expect(got.ci_low).toBeCloseTo(want.ci_low, 12);
      expect(got.ci_high).toBeCloseTo(want.ci_high, 12);
    });
  });

  it(`matches ${family.sites_reml.r_call} pooling of the sites on Fisher z`, () => {
    const p = results.sites.reml!;
    const want = family.sites_reml;
    expect(p.r).toBeCloseTo(want.r, 10);
    expect(p.ci_low).toBeCloseTo(want.ci_low, 10);
    expect(p.ci_high).toBeCloseTo(want.ci_high, 10);
    expect(p.tau2).toBeCloseTo(want.tau2, 10);
    expect(p.i2).toBeCloseTo(want.i2, 8);
    expect(p.q).toBeCloseTo(want.q, 10);
    expect(p.q_p).toBeCloseTo(want.q_p, 10);
  });
});

describe("the demo recovers its documented true parameters (data/demo/README.md, data/demo/truth.ts)", () => {
  const ci = (row: { ci_low: number | null; ci_high: number | null }) => [row.ci_low!, row.ci_high!] as const;
  const pearsonWith = (y: string) => results.correlations.find((r) => r.y === y && r.method === "pearson")!;
  const predictor = (x: string) => results.predictors.correlations.find((c) => c.x === x && c.y === "outcome_change")!;
  const tier = (t: string) => results.dropout_by_tier.find((d) => d.tier === t)!;
  const hr = (t: string) => results.retention.hazard_ratios.find((h) => h.tier === t)!;
  const coefficient = (name: string) => results.therapists.model!.coefficients.find((c) => c.name === name)!;
  // results.json is read in beforeAll, so the intervals are looked up inside each test.
  const reportedIntervals = (): Record<Truth, readonly [number, number]> => ({
    r_change: ci(pearsonWith("outcome_change")),
    r_last: ci(pearsonWith("outcome_last")),
    r_bond_change: ci(predictor("early_subscale_bond")),
    r_goals_change: ci(predictor("early_subscale_goals")),
    r_task_change: ci(predictor("early_subscale_task")),
    r_overall_change: ci(predictor("early_subscale_overall")),
    r_therapist_change: ci(predictor("early_rater_therapist")),
    r_therapist_client: ci(results.predictors.rater_agreement[0]!),
    dropout_low: ci(tier("low")),
    dropout_moderate: ci(tier("moderate")),
    dropout_high: ci(tier("high")),
    hr_moderate: ci(hr("moderate")),
    hr_high: ci(hr("high")),
    within: ci(coefficient("alliance_within")),
    between: ci(coefficient("alliance_between")),
  });
  for (const key of Object.keys(TRUTH) as Truth[]) {
    it(`has the population value of ${key} (${TRUTH[key]}) inside the report's 95% CI`, () => {
      const [lo, hi] = reportedIntervals()[key];
      expect(lo).toBeLessThan(TRUTH[key]);
      expect(hi).toBeGreaterThan(TRUTH[key]);
    });
  }

  it("reports the same intervals as the plain-TypeScript derivation that coverage.ts uses", () => {
    const plain = intervals(generateDemoStudy());
    const reported = reportedIntervals();
    for (const key of Object.keys(TRUTH) as Truth[]) {
      expect(reported[key][0]).toBeCloseTo(plain[key].lo, 10);
      expect(reported[key][1]).toBeCloseTo(plain[key].hi, 10);
    }
  });

  it("shows retention at 90 days rising with alliance, and significant trend tests", () => {
    const at90 = results.retention.retention_at.filter((x) => x.day === 90).map((x) => x.rate!);
    expect(at90[0]!).toBeLessThan(at90[1]!);
    expect(at90[1]!).toBeLessThan(at90[2]!);
    expect(results.retention.logrank_trend!.p).toBeLessThan(0.001);
    expect(results.retention.cochran_armitage!.p).toBeLessThan(0.001);
  });

  it("shows dropout falling as alliance rises", () => {
    const rates = results.dropout_by_tier.map((t) => t.rate!);
    expect(rates[0]!).toBeGreaterThan(rates[1]!);
    expect(rates[1]!).toBeGreaterThan(rates[2]!);
  });
});

describe("the demo report", () => {
  it("shows the therapist ICCs, the design effects and the cluster-aware intervals that results.json carries", () => {
    const c = results.clustering;
    expect(c.unit).toBe("therapist");
    expect(c.clusters).toBe(30);
    expect(html).toContain("Clients nested in therapists: cluster-aware intervals");
    expect(html).toContain("Design effect of a mean");
    const primary = c.correlations.find(
      (k) => k.family === "primary" && k.y === "outcome_change" && k.method === "pearson",
    )!;
    const ci = `[${primary.ci_low!.toFixed(2).replace(/^0/, "")}, ${primary.ci_high!.toFixed(2).replace(/^0/, "")}]`;
    expect(html).toContain(
      `Allowing for clients nested in 30 therapists, its 95% CI was ${ci}, design effect ${primary.design_effect!.toFixed(2)}.`,
    );
    for (const d of c.icc_design_effects) expect(html).toContain(d.design_effect!.toFixed(2));
    expect(html).toContain("95% CI, cluster-robust");
    expect(html).toContain("Log-rank test allowing for clustering by therapist (robust score test)");
    expect(results.retention.hazard_ratios.every((h) => h.robust !== null)).toBe(true);
  });

  it("hides reliable-change counts so that none can be recovered from its row's n or its column's total", () => {
    const rows = results.predictors.reliable_change!.rows;
    const grid = rows.map((r) => [r.n, r.recovered, r.improved, r.unchanged, r.deteriorated]);
    expect(grid.flat().some((v) => v === null)).toBe(true); // the demo has small cells here
    for (const line of [...grid, ...grid[0]!.map((_, j) => grid.map((r) => r[j]))]) {
      expect(line.filter((v) => v === null).length, JSON.stringify(line)).not.toBe(1);
    }
  });

  it("holds the ten charts as inline SVG", () => {
    expect(html.match(/<svg[\s>]/g)?.length).toBe(10);
    expect(html).toContain("Alliance over the sessions by early-alliance tier");
    expect(html).toContain("Ruptures by outcome");
    expect(html).toContain("Outcome around sudden gains and losses");
    expect(html).toContain("Within- and between-client effects");
    expect(html).toContain("This study and the published benchmarks");
    expect(html).toContain("Early alliance and outcome change by site");
    expect(html).toContain("Time to dropout by early-alliance tier");
    expect(html).toContain("Dropout and completion as competing outcomes");
    expect(html).toContain("Early alliance and outcome change");
    expect(html).toContain("Dropout by early-alliance tier");
  });

  it("needs no script and loads nothing from the network", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
  });

  it("shows the number-at-risk table beneath the Kaplan–Meier chart, and retention at 30, 60 and 90 days", () => {
    expect(html).toMatch(
      /Time to dropout by early-alliance tier[\s\S]*<\/svg>\s*<table class="risk">[\s\S]*Number at risk/,
    );
    for (const d of [30, 60, 90]) expect(html).toContain(`Day ${d}: n`);
  });

  it("shows the participant flow, the methods paragraph and the APA results", () => {
    expect(html).toContain("Participant flow");
    expect(html).toContain("Methods");
    const c = results.correlations.find((r) => r.y === "outcome_change" && r.method === "pearson")!;
    expect(c.apa).toMatch(/^r\(\d+\) = \.\d\d, 95% CI \[\.\d\d, \.\d\d\], p [<=] \.\d+$/);
    expect(html).toContain(apaHtml(c.apa));
  });

  it("contains no client id in any shareable file", () => {
    const ids = readFileSync(join(DEMO_CONFIG, "..", "episodes.csv"), "utf8")
      .split("\n")
      .slice(1)
      .map((l) => l.split(",")[0])
      .filter(Boolean);
    const shareable = ["report.html", "results.json", ...readdirSync(join(out, "tables")).map((f) => `tables/${f}`)];
    for (const f of shareable) {
      const text = readFileSync(join(out, f), "utf8");
      const leaked = ids.filter((id) => text.includes(id!));
      expect(leaked, f).toEqual([]);
    }
  });
});
