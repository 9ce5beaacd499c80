import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadStudyConfig, parseStudyConfig } from "../../pipeline/config/load-config.ts";
import type { Study } from "../../pipeline/config/study.ts";
import { DEMO_CONFIG } from "../../pipeline/cli.ts";
import { demoLikeConfig, writeTinyStudy } from "../helpers/tiny-study.ts";
import { deriveAll, deriveStudy, ingestAndValidate } from "../helpers/run-stages.ts";
import reference from "../reference/demo-reference.json" with { type: "json" };

describe("tiers by sample quantiles", () => {
  it(`cuts the demo's early alliance as R's ${reference.tier_quantiles.r_call}`, async () => {
    // Expected: test/reference/demo-reference.R (tier_quantiles).
    const loaded = loadStudyConfig(DEMO_CONFIG);
    if (!loaded.ok) throw new Error("demo config invalid");
    const study: Study = {
      ...loaded.value,
      tiers: {
        ...loaded.value.tiers,
        method: "quantiles",
        quantiles: 3,
        cutPoints: [],
        labels: ["T1", "T2", "T3"],
        reference: "T1",
      },
    };
    const { episodes, tierCutPoints } = await deriveStudy(study);
    expect(tierCutPoints[0]).toBeCloseTo(reference.tier_quantiles.cuts[0]!, 10);
    expect(tierCutPoints[1]).toBeCloseTo(reference.tier_quantiles.cuts[1]!, 10);
    expect(["T1", "T2", "T3"].map((t) => episodes.filter((e) => e.tier === t).length)).toEqual(
      reference.tier_quantiles.counts,
    );
  });
});

describe("tiers from a column of the data", () => {
  const episodes = ["C1,N,T1,2025-01-01,,,high", "C2,N,T1,2025-01-01,,,low", "C3,N,T1,2025-01-01,,,high"];
  const sessions = ["C1,2025-01-02,20,", "C2,2025-01-02,39,", "C3,2025-01-02,,10"];
  const headers = {
    episodes: "ClientID,Site,Clinician,AdmitDate,DischargeDate,DischargeReason,Tier",
    sessions: "ClientID,SessionDate,SRS_Total,ORS_Total",
  };
  const byColumn = (c: Record<string, any>) =>
    (c.tiers = { method: "column", column: "Tier", labels: ["low", "high"] });

  it("takes each episode's tier from the column, whatever its alliance score", async () => {
    const derived = await deriveAll(writeTinyStudy(episodes, sessions, byColumn, headers).study);
    expect(derived.map((e) => e.tier)).toEqual(["high", "low", null]);
  });

  it("leaves an episode without any alliance rating untiered, as with the other methods", async () => {
    const derived = await deriveAll(writeTinyStudy(episodes, sessions, byColumn, headers).study);
    expect(derived[2]!.early_alliance).toBeNull();
  });

  it("refuses a label that is not in tiers.labels, naming file, row and column", async () => {
    const { validated } = await ingestAndValidate(
      writeTinyStudy([...episodes, "C4,N,T1,2025-01-01,,,medium"], sessions, byColumn, headers).study,
    );
    expect(validated!.ok).toBe(false);
    expect(!validated!.ok && validated!.problems[0]).toMatchObject({
      code: "E_TIER_UNKNOWN",
      where: { file: "episodes.csv", row: 5, column: "Tier" },
    });
  });
});

describe("tiers by another alliance score", () => {
  it("uses the mean or the last alliance rating when tiers.by says so (hand-worked: ratings 20, 40, 33)", async () => {
    const eps = ["C1,N,T1,2025-01-01,,"];
    const ses = ["C1,2025-01-02,20,", "C1,2025-01-09,40,", "C1,2025-01-16,33,", "C1,2025-01-23,,"];
    const [byMean] = await deriveAll(writeTinyStudy(eps, ses, (c) => (c.tiers.by = "mean_alliance")).study);
    const [byLast] = await deriveAll(writeTinyStudy(eps, ses, (c) => (c.tiers.by = "last_alliance")).study);
    expect([byMean!.mean_alliance, byMean!.tier]).toEqual([31, "moderate"]);
    expect([byLast!.last_alliance, byLast!.tier]).toEqual([33, "moderate"]);
  });
});

describe("tier settings in the config", () => {
  const problems = (change: (c: Record<string, any>) => void) => {
    const c = demoLikeConfig();
    change(c);
    const r = parseStudyConfig(stringify(c), "study.yaml");
    return r.ok ? [] : r.problems.map((p) => `${p.where?.key}: ${p.message}`);
  };

  it("requires the key of the chosen method", () => {
    expect(problems((c) => (c.tiers = { method: "quantiles", labels: ["a", "b", "c"] }))).toEqual([
      "tiers.quantiles: is missing",
    ]);
    expect(problems((c) => (c.tiers = { method: "column", labels: ["a", "b"] }))).toEqual(["tiers.column: is missing"]);
  });

  it("refuses keys of another method, so a half-edited config is caught", () => {
    expect(
      problems((c) => (c.tiers = { method: "quantiles", quantiles: 3, cut_points: [30], labels: ["a", "b", "c"] })),
    ).toEqual(["tiers.cut_points: is not used with method quantiles"]);
  });

  it("wants one label per quantile group", () => {
    expect(problems((c) => (c.tiers = { method: "quantiles", quantiles: 4, labels: ["a", "b", "c"] }))).toEqual([
      "tiers.labels: has 3 labels but quantiles: 4 makes 4 tiers",
    ]);
  });

  it("wants the reference tier to be one of the labels", () => {
    expect(problems((c) => (c.tiers.reference = "top"))).toEqual([
      'tiers.reference: "top" is not one of the tier labels',
    ]);
  });
});
