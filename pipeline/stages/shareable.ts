/**
 * Builds results.json from the exact analysis: the only place small-cell suppression is
 * applied, so every shareable output (HTML, PDF, CSV tables, results.json) is built from
 * suppressed numbers. A count from 1 to min_cell_size − 1 becomes null; a rate or
 * correlation whose numerator, denominator or n is withheld is withheld too.
 */
import { cellSuppressor, isSmallCell } from "../../analyses/suppress.ts";
import { complementarySuppression, rowsAndColumns } from "../../analyses/complementary-suppression.ts";
import type { Study } from "../config/study.ts";
import { apaCoefficient, apaCorrelation } from "../report/apa.ts";
import { BENCHMARKS } from "../benchmarks.ts";
import type { MixedCoefficient } from "../../analyses/random-intercept-model.ts";
import type { RandomEffects } from "../../analyses/random-effects.ts";
import { RESULTS_SCHEMA_VERSION, type PooledCorrelation, type CorrelationRow, type MixedCoefficientRow, type TherapistResults, type PredictorResults, type PredictorCorrelationRow, type BenchmarkResults, type DropoutTierRow, type ExclusionRow, type Provenance, type Results } from "../results.ts";
import { CONFIDENCE_LEVEL, type Analysis, type ExactCorrelation } from "./analyze.ts";
import type { IngestedFile } from "./ingest.ts";
import type { ValidationOutput } from "./validate.ts";
import type { RetentionAnalysis } from "./analyze-retention.ts";
import { shareableRetention } from "./shareable-retention.ts";

export const NO_ALLIANCE = { code: "X_NO_ALLIANCE_RATING", reason: "no alliance rating before the cutoff" } as const;

function pooled(m: RandomEffects | null): PooledCorrelation | null {
  return m && { method: m.method, k: m.k, r: m.r, ci_low: m.r_ci[0], ci_high: m.r_ci[1], pi_low: m.r_pi[0], pi_high: m.r_pi[1], tau2: m.tau2, i2: m.i2, q: m.q, q_df: m.q_df, q_p: m.q_p };
}

/** Early alliance × outcome change (Pearson) for the benchmark chart, or null when withheld or not estimable. */
function primaryEstimate(correlations: CorrelationRow[]): BenchmarkResults["this_study"] {
  const c = correlations.find((x) => x.y === "outcome_change" && x.method === "pearson");
  return c && c.estimate !== null && c.ci_low !== null && c.ci_high !== null && c.n !== null ? { r: c.estimate, ci_low: c.ci_low, ci_high: c.ci_high, n: c.n } : null;
}

const coefficientRow = (c: MixedCoefficient): MixedCoefficientRow => ({ ...c, apa: apaCoefficient(c, CONFIDENCE_LEVEL) });

function shareablePredictors(a: Analysis["predictors"], study: Study, count: (n: number) => number | null, min: number): PredictorResults & { withheld: number } {
  const correlations = a.correlations.map((c): PredictorCorrelationRow => {
    const n = count(c.n);
    const r = n === null ? null : c.result;
    const bs = r ? c.bootstrap : null;
    return {
      x: c.x, y: c.y, n,
      estimate: r?.estimate ?? null, ci_low: r?.ci_low ?? null, ci_high: r?.ci_high ?? null, df: r?.df ?? null, p: r?.p ?? null,
      p_holm: r ? c.p_holm : null,
      boot_percentile: bs && { ci_low: bs.percentile[0], ci_high: bs.percentile[1] },
      boot_bca: bs && { ci_low: bs.bca[0], ci_high: bs.bca[1] },
      apa: r ? apaCorrelation({ method: "pearson", ...r }, CONFIDENCE_LEVEL) : n === null ? "suppressed (small cell)" : `not estimable: ${c.reason}`,
      suppressed: n === null,
    };
  });
  const jt = a.reliable_change;
  // Rows: tiers then all; columns: n then the four categories. Complementary suppression so that
  // no hidden count can be recovered from its row's n or its column's total.
  const body = jt ? [...jt.by_tier.map((t) => ({ tier: t.tier as string | null, n: t.n, k: t.counts })), { tier: null, n: jt.overall.n, k: jt.overall.counts }] : [];
  const grid = body.map((b) => [b.n, b.k.recovered, b.k.improved, b.k.unchanged, b.k.deteriorated]);
  const hidden = complementarySuppression(grid, rowsAndColumns(grid.length, 5), min);
  const rows = body.map((b, i) => {
    const v = (j: number) => (hidden[i]![j] ? null : grid[i]![j]!);
    return { tier: b.tier, n: v(0), recovered: v(1), improved: v(2), unchanged: v(3), deteriorated: v(4) };
  });
  const withheld = hidden.flat().filter(Boolean).length;
  return {
    bootstrap_max_n: study.bootstrap.secondaryMaxN,
    alliance_rater: study.allianceRater,
    components: study.allianceComponents.map(({ key, kind, name, label }) => ({ key, kind, name, label })),
    correlations,
    rater_agreement: a.rater_agreement.map((g) => {
      const n = count(g.n);
      const r = n === null ? null : g.result;
      return {
        rater: g.rater, n,
        estimate: r?.estimate ?? null, ci_low: r?.ci_low ?? null, ci_high: r?.ci_high ?? null, df: r?.df ?? null, p: r?.p ?? null,
        apa: r ? apaCorrelation({ method: "pearson", ...r }, CONFIDENCE_LEVEL) : n === null ? "suppressed (small cell)" : "not estimable",
      };
    }),
    residualized_fit: a.residualized_fit && !isSmallCell(a.residualized_fit.n, min) ? a.residualized_fit : null,
    reliable_change: jt && {
      reliability: jt.reliability, clinical_cutoff: jt.clinical_cutoff, sd_pre: jt.sd_pre, threshold_points: jt.threshold_points,
      rows,
    },
    withheld,
  };
}

/** Variance components and coefficients are aggregates; only the counts behind them can be small cells. */
function shareableTherapists(t: Analysis["therapists"], count: (n: number) => number | null): TherapistResults {
  const icc = t.icc.map((row) => {
    const n = count(row.n);
    return n === null
      ? { variable: row.variable, n, therapists: row.therapists, icc: null, var_therapist: null, var_residual: null, singular: false, suppressed: true }
      : { variable: row.variable, n, therapists: row.therapists, icc: row.icc, var_therapist: row.var_therapist, var_residual: row.var_residual, singular: row.singular, suppressed: false };
  });
  const m = t.model;
  if (!m) return { icc, model: null, reason: t.reason ?? "not estimated" };
  if (count(m.n) === null) return { icc, model: null, reason: "suppressed (small cell)" };
  return {
    icc,
    model: { ...m, coefficients: m.coefficients.map(coefficientRow), contextual: coefficientRow(m.contextual) },
    reason: null,
  };
}

export function shareableResults(study: Study, ingest: { files: Pick<IngestedFile, "role" | "rows">[] }, validation: ValidationOutput, analysis: Analysis, retention: RetentionAnalysis, provenance: Provenance): Results {
  const cells = cellSuppressor(study.minCellSize);
  const count = cells.count;
  const exclusions = (rows: { code: string; reason: string; n: number }[]): ExclusionRow[] =>
    rows.map((r) => {
      const n = count(r.n);
      return { code: r.code, reason: r.reason, n, suppressed: n === null };
    });

  const rowsOf = (role: "episodes" | "sessions") => ingest.files.find((f) => f.role === role)!.rows;
  const episodeExclusions = [...validation.excluded.episodes, ...(analysis.excluded_no_alliance ? [{ ...NO_ALLIANCE, n: analysis.excluded_no_alliance }] : [])];
  const sessionsExcluded = validation.excluded.sessions.reduce((a, r) => a + r.n, 0);

  const shareCorrelation = (c: ExactCorrelation): CorrelationRow => {
    const n = count(c.n);
    const r = n === null ? null : c.result;
    return {
      x: "early_alliance",
      y: c.y,
      method: c.method,
      ...(c.method === "partial" ? { control: "outcome_first" as const } : {}),
      n,
      estimate: r?.estimate ?? null,
      ci_low: r?.ci_low ?? null,
      ci_high: r?.ci_high ?? null,
      df: r?.df ?? null,
      t: r?.t ?? null,
      p: r?.p ?? null,
      p_holm: r ? c.p_holm : null,
      apa: r ? apaCorrelation({ method: c.method, ...r }, CONFIDENCE_LEVEL) : n === null ? "suppressed (small cell)" : `not estimable: ${c.reason}`,
      suppressed: n === null,
    };
  };
  const correlations = analysis.correlations.map(shareCorrelation);

  const dropout_by_tier: DropoutTierRow[] = analysis.dropout_by_tier.map((t) => {
    const [episodes, closed, dropouts] = [count(t.episodes), count(t.closed), count(t.dropouts)];
    const hidden = closed === null || dropouts === null;
    const rate = hidden ? null : t.rate;
    return { tier: t.tier, episodes, closed, dropouts, rate: rate?.rate ?? null, ci_low: rate?.ci_low ?? null, ci_high: rate?.ci_high ?? null, suppressed: hidden || episodes === null };
  });

  const sets = analysis.analysis_sets;
  const bins = analysis.binned_scatter.filter((b) => !isSmallCell(b.n, study.minCellSize));
  const cuts = study.tiers.cutPoints;
  const { withheld: changeCellsWithheld, ...predictors } = shareablePredictors(analysis.predictors, study, count, study.minCellSize);
  return {
    schema_version: RESULTS_SCHEMA_VERSION,
    study: { name: study.name, title: study.title },
    provenance,
    settings: {
      alliance: study.itemScoring ? { ...study.alliance, scoring_source: study.itemScoring.def.source } : study.alliance,
      outcome: study.outcome,
      dropout_reasons: study.dropoutReasons,
      completion_reasons: study.completionReasons,
      cutoff_date: study.cutoffDate,
      early_alliance_window: study.earlyWindow,
      tier_rule: { by: study.tiers.by, method: study.tiers.method, quantiles: study.tiers.quantiles, column: study.tiers.column },
      tiers: study.tiers.labels.map((label, i) => ({ label, from: i === 0 || !cuts.length ? null : cuts[i - 1]!, below: i < cuts.length ? cuts[i]! : null })),
      confidence_level: CONFIDENCE_LEVEL,
    },
    flow: {
      episodes_ingested: rowsOf("episodes"),
      excluded: exclusions(episodeExclusions),
      episodes_analyzed: count(analysis.episodes_analyzed),
      sessions: { ingested: rowsOf("sessions"), excluded: exclusions(validation.excluded.sessions), used: count(rowsOf("sessions") - sessionsExcluded) },
      analysis_sets: {
        with_outcome_change: count(sets.with_outcome_change),
        with_outcome_last: count(sets.with_outcome_last),
        closed: count(sets.closed),
        active_at_cutoff: count(sets.active_at_cutoff),
      },
    },
    correlations,
    partial_correlation: shareCorrelation(analysis.partial),
    power: { ...analysis.power, n: count(analysis.power.n) },
    bootstrap_max_n: study.bootstrap.maxN,
    bootstrap:
      analysis.bootstrap && !isSmallCell(analysis.power.n, study.minCellSize)
        ? {
            y: "outcome_change",
            b: analysis.bootstrap.b,
            seed: analysis.bootstrap.seed,
            undefined_replicates: analysis.bootstrap.undefined_replicates,
            percentile: { ci_low: analysis.bootstrap.percentile[0], ci_high: analysis.bootstrap.percentile[1] },
            bca: { ci_low: analysis.bootstrap.bca[0], ci_high: analysis.bootstrap.bca[1] },
          }
        : null,
    sites: {
      per_site: analysis.sites.per_site.map((site) => {
        const n = count(site.n);
        return n === null ? { site: site.site, n, r: null, ci_low: null, ci_high: null, suppressed: true } : { ...site, suppressed: false };
      }),
      reml: pooled(analysis.sites.reml),
      dl: pooled(analysis.sites.dl),
    },
    benchmarks: {
      this_study: primaryEstimate(correlations),
      published: BENCHMARKS.map((b) => ({ ...b })),
    },
    predictors,
    therapists: shareableTherapists(analysis.therapists, count),
    dropout_by_tier,
    fitted_line: analysis.fitted_line && !isSmallCell(analysis.fitted_line.n, study.minCellSize) ? analysis.fitted_line : null,
    binned_scatter: bins.map((b) => ({
      n: b.n,
      early_alliance_mean: b.x,
      outcome_change_mean: b.y,
      ci_low: b.ci_low,
      ci_high: b.ci_high,
    })),
    retention: shareableRetention(retention, cells),
    suppression: { min_cell_size: study.minCellSize, cells_suppressed: cells.withheld() + changeCellsWithheld },
  };
}
