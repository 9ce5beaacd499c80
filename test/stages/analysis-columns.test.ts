/**
 * The columns analyze reads the episodes through (analysis-columns.ts). Expected values are the fields
 * of the episodes each test writes.
 */
import { describe, expect, it } from "vitest";
import { analysisColumns, analysedColumns, rowsWith } from "../../pipeline/phases/analyze/analysis-columns.ts";
import { episodeColumns, episodeObjects } from "../../pipeline/phases/episodes.ts";
import type { Study } from "../../pipeline/config/study.ts";
import type { DerivedEpisode } from "../../pipeline/phases/derive/derive.ts";

const episode = (over: Partial<DerivedEpisode>): DerivedEpisode => ({
  src_row: 2,
  site: "North",
  therapist_id: "T1",
  admit_date: "2025-01-06",
  discharge_date: null,
  discharge_reason: null,
  n_sessions: 4,
  early_alliance: 30,
  early_alliance_n: 3,
  mean_alliance: 31,
  last_alliance: 32,
  outcome_first: 20,
  outcome_last: 24,
  outcome_n: 4,
  outcome_change: 4,
  days_in_treatment: 40,
  closed: false,
  dropout: false,
  dropout_by: null,
  tier: "high",
  early_components: {},
  ...over,
});

const episodes = [
  episode({
    site: "South",
    therapist_id: "T2",
    outcome_last: null,
    outcome_change: null,
    tier: "low",
    closed: true,
    dropout: true,
    dropout_by: "reason",
  }),
  episode({ early_components: { bond: 3.5 } }),
  episode({ early_alliance: null, tier: null, site: "East" }),
  episode({ site: "South", tier: "medium", closed: true }),
];

describe("analysisColumns", () => {
  const c = analysisColumns(episodeColumns(episodes, ["bond"]), Int32Array.of(0, 1, 2, 3), ["bond"], ["low", "high"]);

  it("keeps the episodes' order, a missing score as NaN", () => {
    expect(c.n).toBe(4);
    expect(Array.from(c.score.outcome_last)).toEqual([NaN, 24, 24, 24]);
    expect(Array.from(c.score.early_alliance)).toEqual([30, 30, NaN, 30]);
    expect(Array.from(c.components.get("bond")!)).toEqual([NaN, 3.5, NaN, NaN]);
  });

  it("numbers tiers by their place in the labels, −1 for none or a label not listed", () => {
    expect(Array.from(c.tier)).toEqual([0, 1, -1, -1]);
  });

  it("numbers sites and therapists in order of first appearance", () => {
    expect(c.siteNames).toEqual(["South", "North", "East"]);
    expect(Array.from(c.site.codes)).toEqual([0, 1, 2, 0]);
    expect(Array.from(c.therapist.codes)).toEqual([0, 1, 1, 1]);
    expect(c.therapist.count).toBe(2);
  });

  it("holds closed and dropout as 0 and 1", () => {
    expect(Array.from(c.closed)).toEqual([1, 0, 0, 1]);
    expect(Array.from(c.dropout)).toEqual([1, 0, 0, 0]);
  });

  it("lists the rows where every score given is present", () => {
    expect(Array.from(rowsWith(c, [c.score.outcome_last, c.score.early_alliance]))).toEqual([1, 3]);
  });
});

describe("analysedColumns", () => {
  const study = { allianceComponents: [], tiers: { labels: ["low", "high"] } as Study["tiers"] };

  it("takes only the episodes with an early alliance score", () => {
    const c = analysedColumns(episodes, study);
    expect(c.n).toBe(3);
    expect(c.siteNames).toEqual(["South", "North"]);
  });

  it("numbers sites and therapists among the analysed episodes only, as their labels would be", () => {
    // East (the third episode's site) has no analysed episode; T2 comes first, as in the objects.
    const c = analysedColumns(
      [episode({ early_alliance: null, site: "East", therapist_id: "T9" }), ...episodes],
      study,
    );
    expect(c.siteNames).toEqual(["South", "North"]);
    expect(Array.from(c.site.codes)).toEqual([0, 1, 0]);
    expect(Array.from(c.therapist.codes)).toEqual([0, 1, 1]);
  });
});

describe("episodeColumns and episodeObjects", () => {
  it("give back the same episodes, nulls and components included", () => {
    expect(episodeObjects(episodeColumns(episodes, ["bond"]))).toEqual(
      episodes.map((e) => ({ ...e, early_components: { bond: e.early_components["bond"] ?? null } })),
    );
  });

  it("share one empty components record when the study has none", () => {
    const [a, b] = episodeObjects(episodeColumns(episodes, []));
    expect(a!.early_components).toEqual({});
    expect(a!.early_components).toBe(b!.early_components);
  });
});
