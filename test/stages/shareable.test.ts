import { describe, expect, it } from "vitest";
import { analyze } from "../../pipeline/phases/analyze/analyze.ts";
import { analyzeRetention } from "../../pipeline/phases/analyze/analyze-retention.ts";
import { shareableResults } from "../../pipeline/phases/render/shareable.ts";
import type { DerivedEpisode } from "../../pipeline/phases/derive/derive.ts";
import type { Provenance } from "../../pipeline/results.ts";
import { writeTinyStudy } from "../helpers/tiny-study.ts";
import { recoverableCounts } from "../../pipeline/privacy/disclosure.ts";

const study = writeTinyStudy([], []).study;
const provenance = {
  package: "t",
  package_version: "0",
  run_at: "2026-01-01T00:00:00.000Z",
  node_version: "20",
  duckdb_version: "v1",
  inputs: [],
  config: { file: "study.yaml", sha256: "x" },
  release_check: { checks: [], plain_number_ids_not_checked: false },
} satisfies Provenance;

/** n episodes in a tier, `dropouts` of them closed as dropout and the rest closed as completed. */
function episodes(tier: string, alliance: number, n: number, dropouts: number): DerivedEpisode[] {
  return Array.from({ length: n }, (_, i) => ({
    src_row: i,
    site: "N",
    therapist_id: "T",
    admit_date: "2025-01-01",
    discharge_date: "2025-02-01",
    discharge_reason: i < dropouts ? "dropped out" : "completed",
    n_sessions: 3,
    early_alliance: alliance + (i % 5) * 0.1,
    early_alliance_n: 3,
    mean_alliance: alliance,
    last_alliance: alliance,
    outcome_first: 10,
    outcome_last: 10 + (i % 7),
    outcome_n: 3,
    outcome_change: i % 7,
    days_in_treatment: 31,
    closed: true,
    dropout: i < dropouts,
    dropout_by: i < dropouts ? "reason" : null,
    tier,
    early_components: {},
  }));
}

function resultsFor(eps: DerivedEpisode[]) {
  const ingest = {
    files: [
      { role: "episodes" as const, path: "e.csv", sha256: "", rows: eps.length, columns: [] },
      { role: "sessions" as const, path: "s.csv", sha256: "", rows: 0, columns: [] },
    ],
  };
  return shareableResults(
    study,
    ingest,
    { counts: [], findings: [], excluded: { episodes: [], sessions: [] } },
    analyze(eps, study),
    analyzeRetention(eps, study),
    provenance,
  );
}

describe("small-cell suppression in results.json", () => {
  const results = resultsFor([
    ...episodes("low", 25, 8, 3),
    ...episodes("moderate", 32, 40, 12),
    ...episodes("high", 38, 30, 0),
  ]);
  const tier = (t: string) => results.dropout_by_tier.find((r) => r.tier === t)!;

  it("withholds a tier's counts below the minimum cell size, and its rate with them", () => {
    expect(tier("low")).toMatchObject({
      episodes: null,
      closed: null,
      dropouts: null,
      rate: null,
      ci_low: null,
      ci_high: null,
      suppressed: true,
    });
  });

  it("shows tiers whose counts are all at or above the minimum", () => {
    expect(tier("moderate")).toMatchObject({ episodes: 40, closed: 40, dropouts: 12, rate: 0.3, suppressed: false });
  });

  it("shows a zero count: zero identifies no one", () => {
    expect(tier("high").dropouts).toBe(0);
  });

  it("withholds enough beside the small tier that its counts cannot be worked out by subtraction", () => {
    // Shown totals less the other tiers' shown counts would give the low tier's: so at least one
    // term of each such sum is withheld too, and the audit finds nothing recoverable.
    const sumOrHidden = (total: number | null, parts: (number | null)[]) =>
      total === null || parts.some((p) => p === null);
    expect(sumOrHidden(results.flow.episodes_analyzed, [tier("moderate").episodes, tier("high").episodes])).toBe(true);
    expect(sumOrHidden(results.flow.analysis_sets.closed, [tier("moderate").closed, tier("high").closed])).toBe(true);
    expect(recoverableCounts(results)).toEqual([]);
  });

  it("counts every count it withheld, across all tables", () => {
    const nulls = (values: unknown[]) => values.filter((v) => v === null).length;
    const f = results.flow;
    const ret = results.retention;
    const withheld =
      nulls([
        f.episodes_analyzed,
        f.sessions.used,
        ...Object.values(f.analysis_sets),
        ...f.excluded.map((e) => e.n),
        ...f.sessions.excluded.map((e) => e.n),
      ]) +
      nulls(results.correlations.map((c) => c.n)) +
      nulls(results.dropout_by_tier.flatMap((t) => [t.episodes, t.closed, t.dropouts])) +
      nulls(
        ret.censoring.flatMap((c) => [
          c.episodes,
          c.dropouts,
          c.censored_active,
          c.censored_completion,
          c.censored_other,
        ]),
      ) +
      nulls(ret.risk_table.map((r) => r.n_risk)) +
      nulls(ret.retention_at.flatMap((r) => [r.eligible, r.retained, r.short_followup]));
    expect(results.suppression.min_cell_size).toBe(11);
    expect(results.suppression.cells_suppressed).toBe(withheld);
    expect(withheld).toBeGreaterThanOrEqual(3);
  });

  it("draws no curve for a tier below the minimum cell size, and cuts the others where fewer remain at risk", () => {
    const low = results.retention.kaplan_meier.find((k) => k.tier === "low")!;
    expect([low.suppressed, low.curve]).toEqual([true, []]);
    expect(results.retention.hazard_ratios.every((h) => h.suppressed)).toBe(true);
  });

  it("withholds a tier's cluster-aware rate, design effect and effective n with its counts (together they give n back)", () => {
    const spread = (eps: DerivedEpisode[]) => eps.map((e, i) => ({ ...e, therapist_id: `T${i % 5}` }));
    const clustered = resultsFor(
      spread([...episodes("low", 25, 8, 3), ...episodes("moderate", 32, 40, 12), ...episodes("high", 38, 30, 0)]),
    );
    const row = (t: string) => clustered.clustering.dropout_by_tier.find((r) => r.tier === t)!;
    expect(clustered.clustering.clusters).toBe(5);
    expect(row("low")).toEqual({
      tier: "low",
      rate: null,
      ci_low: null,
      ci_high: null,
      design_effect: null,
      effective_n: null,
      suppressed: true,
    });
    expect(row("moderate")).toMatchObject({ rate: 0.3, suppressed: false });
    expect(row("moderate").ci_low).not.toBeNull();
  });

  it("withholds a correlation's cluster-aware interval with the correlation", () => {
    const small = resultsFor(episodes("moderate", 32, 8, 2).map((e, i) => ({ ...e, therapist_id: `T${i % 4}` })));
    expect(small.clustering.correlations.length).toBeGreaterThan(0);
    expect(
      small.clustering.correlations.every(
        (c) =>
          c.suppressed &&
          c.n === null &&
          c.estimate === null &&
          c.effective_n === null &&
          c.apa === "suppressed (small cell)",
      ),
    ).toBe(true);
  });

  it("withholds a correlation whose n is below the minimum cell size", () => {
    const small = resultsFor(episodes("moderate", 32, 8, 2));
    expect(small.correlations.every((c) => c.suppressed && c.estimate === null && c.n === null)).toBe(true);
  });

  it("shares only bin means of the scatter, each bin at least the minimum cell size", () => {
    expect(results.binned_scatter.length).toBeGreaterThan(1);
    expect(
      results.binned_scatter.every(
        (b) => b.n >= 11 && Object.keys(b).sort().join() === "ci_high,ci_low,early_alliance_mean,n,outcome_change_mean",
      ),
    ).toBe(true);
  });
});
