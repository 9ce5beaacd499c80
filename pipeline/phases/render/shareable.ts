/**
 * Builds results.json from the exact analysis: the only place counts are withheld, so every
 * shareable output (HTML, PDF, CSV tables, results.json) is built from the same masked numbers.
 * It is built twice: first exact, so that the disclosure model (pipeline/privacy/disclosure.ts) can
 * choose the counts to withhold (those from 1 to min_cell_size − 1, and whatever else it takes so that
 * none of them can be worked out by subtraction, within a table or across tables sharing a total);
 * then with those counts null. A rate, correlation or curve whose numerator, denominator or n is
 * withheld is withheld too.
 */
import { text } from "../../messages.ts";
import { withheldCounts } from "../../privacy/disclosure.ts";
import type { Study } from "../../config/study.ts";
import { apaCoefficient, apaCorrelation } from "../../report/apa.ts";
import { BENCHMARKS } from "../../benchmarks.ts";
import type { MixedCoefficient } from "../../../analyses/random-intercept-model.ts";
import {
  RESULTS_SCHEMA_VERSION,
  pooledCorrelation,
  type CorrelationRow,
  type MixedCoefficientRow,
  type TherapistResults,
  type PredictorResults,
  type PredictorCorrelationRow,
  type BenchmarkResults,
  type DropoutTierRow,
  type ExclusionRow,
  type Provenance,
  type Results,
} from "../../results.ts";
import { CONFIDENCE_LEVEL, type Analysis, type ExactCorrelation } from "../handoff.ts";
import type { ReadFile } from "../handoff.ts";
import type { ValidationOutput } from "../handoff.ts";
import type { RetentionAnalysis } from "../handoff.ts";
import { shareableRetention, type Counter } from "./shareable-retention.ts";
import { shareableClustering } from "./shareable-clustering.ts";
import { shareableDynamics } from "./shareable-dynamics.ts";

export const NO_ALLIANCE = { code: "X_NO_ALLIANCE_RATING", reason: text("X_NO_ALLIANCE_RATING", {}) } as const;

/** Early alliance × outcome change (Pearson) for the benchmark chart, or null when withheld or not estimable. */
function primaryEstimate(correlations: CorrelationRow[]): BenchmarkResults["this_study"] {
  const c = correlations.find((x) => x.y === "outcome_change" && x.method === "pearson");
  return c && c.estimate !== null && c.ci_low !== null && c.ci_high !== null && c.n !== null
    ? { r: c.estimate, ci_low: c.ci_low, ci_high: c.ci_high, n: c.n }
    : null;
}

const coefficientRow = (c: MixedCoefficient): MixedCoefficientRow => ({
  ...c,
  apa: apaCoefficient(c, CONFIDENCE_LEVEL),
});

/** The other predictors' correlations, each count withheld as the cells' counter says (called in report order). */
function predictorRows(a: Analysis["predictors"], cells: Counter): PredictorCorrelationRow[] {
  const correlations = a.correlations.map((c, i): PredictorCorrelationRow => {
    const n = cells.count(c.n, `predictors.correlations[${i}].n`);
    const r = n === null ? null : c.result;
    const bs = r ? c.bootstrap : null;
    return {
      x: c.x,
      y: c.y,
      n,
      estimate: r?.estimate ?? null,
      ci_low: r?.ci_low ?? null,
      ci_high: r?.ci_high ?? null,
      df: r?.df ?? null,
      p: r?.p ?? null,
      p_holm: r ? c.p_holm : null,
      boot_percentile: bs && { ci_low: bs.percentile[0], ci_high: bs.percentile[1] },
      boot_bca: bs && { ci_low: bs.bca[0], ci_high: bs.bca[1] },
      apa: r
        ? apaCorrelation({ method: "pearson", ...r }, CONFIDENCE_LEVEL)
        : n === null
          ? "suppressed (small cell)"
          : `not estimable: ${c.reason}`,
      suppressed: n === null,
    };
  });
  return correlations;
}

function shareablePredictors(a: Analysis["predictors"], study: Study, cells: Counter): PredictorResults {
  const correlations = predictorRows(a, cells);
  const jt = a.reliable_change;
  // Rows: tiers then all; each count withheld as the disclosure model says (it declares the table's sums).
  const body = jt
    ? [
        ...jt.by_tier.map((t) => ({ tier: t.tier as string | null, n: t.n, k: t.counts })),
        { tier: null, n: jt.overall.n, k: jt.overall.counts },
      ]
    : [];
  const rows = body.map((b, i) => {
    const v = (k: "n" | "recovered" | "improved" | "unchanged" | "deteriorated") =>
      cells.count(k === "n" ? b.n : b.k[k], `predictors.reliable_change.rows[${i}].${k}`);
    return {
      tier: b.tier,
      n: v("n"),
      recovered: v("recovered"),
      improved: v("improved"),
      unchanged: v("unchanged"),
      deteriorated: v("deteriorated"),
    };
  });
  return {
    bootstrap_max_n: study.bootstrap.secondaryMaxN,
    alliance_rater: study.allianceRater,
    components: study.allianceComponents.map(({ key, kind, name, label }) => ({ key, kind, name, label })),
    correlations,
    rater_agreement: a.rater_agreement.map((g, i) => {
      const n = cells.count(g.n, `predictors.rater_agreement[${i}].n`);
      const r = n === null ? null : g.result;
      return {
        rater: g.rater,
        n,
        estimate: r?.estimate ?? null,
        ci_low: r?.ci_low ?? null,
        ci_high: r?.ci_high ?? null,
        df: r?.df ?? null,
        p: r?.p ?? null,
        apa: r
          ? apaCorrelation({ method: "pearson", ...r }, CONFIDENCE_LEVEL)
          : n === null
            ? "suppressed (small cell)"
            : "not estimable",
      };
    }),
    residualized_fit:
      a.residualized_fit && cells.count(a.residualized_fit.n, "predictors.residualized_fit.n") !== null
        ? a.residualized_fit
        : null,
    reliable_change: jt && {
      reliability: jt.reliability,
      clinical_cutoff: jt.clinical_cutoff,
      sd_pre: jt.sd_pre,
      threshold_points: jt.threshold_points,
      rows,
    },
  };
}

/** Variance components and coefficients are aggregates; only the counts behind them can be small cells. */
function shareableTherapists(t: Analysis["therapists"], cells: Counter): TherapistResults {
  const icc = t.icc.map((row, i) => {
    const n = cells.count(row.n, `therapists.icc[${i}].n`);
    return n === null
      ? {
          variable: row.variable,
          n,
          therapists: row.therapists,
          icc: null,
          var_therapist: null,
          var_residual: null,
          singular: false,
          suppressed: true,
        }
      : {
          variable: row.variable,
          n,
          therapists: row.therapists,
          icc: row.icc,
          var_therapist: row.var_therapist,
          var_residual: row.var_residual,
          singular: row.singular,
          suppressed: false,
        };
  });
  const m = t.model;
  if (!m) return { icc, model: null, reason: t.reason ?? "not estimated" };
  if (cells.count(m.n, "therapists.model.n") === null) return { icc, model: null, reason: "suppressed (small cell)" };
  return {
    icc,
    model: { ...m, coefficients: m.coefficients.map(coefficientRow), contextual: coefficientRow(m.contextual) },
    reason: null,
  };
}

type Inputs = [
  study: Study,
  read: { files: Pick<ReadFile, "role" | "rows">[] },
  validation: ValidationOutput,
  analysis: Analysis,
  retention: RetentionAnalysis,
  provenance: Provenance,
];

/**
 * results.json: built exact, the counts to withhold chosen on it (withheldCounts), then built again
 * with those counts null.
 */
export function shareableResults(...inputs: Inputs): Results {
  const min = inputs[0].minCellSize;
  const exact = exactResults(...inputs);
  const withheld = withheldCounts(exact, min);
  return buildResults(
    inputs,
    { minCell: min, count: (n, path) => (withheld.has(path) ? null : n), hidden: (path) => withheld.has(path) },
    withheld.size,
  );
}

/** results.json as it would be with nothing withheld: row-level in effect, for the internal folder and tests only. */
export function exactResults(...inputs: Inputs): Results {
  return buildResults(inputs, { minCell: inputs[0].minCellSize, count: (n) => n, hidden: () => false }, 0);
}

/** A correlation as it may be shared: its count withheld when small, and then its estimate too. */
function shareCorrelation(c: ExactCorrelation, path: string, cells: Counter): CorrelationRow {
  const n = cells.count(c.n, `${path}.n`);
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
    apa: r
      ? apaCorrelation({ method: c.method, ...r }, CONFIDENCE_LEVEL)
      : n === null
        ? "suppressed (small cell)"
        : `not estimable: ${c.reason}`,
    suppressed: n === null,
  };
}

/** Dropout by tier, each count withheld as the cells' counter says. */
function dropoutRows(analysis: Analysis, cells: Counter): DropoutTierRow[] {
  return analysis.dropout_by_tier.map((t, i) => {
    const at = (k: string) => `dropout_by_tier[${i}].${k}`;
    const [episodes, closed, dropouts] = [
      cells.count(t.episodes, at("episodes")),
      cells.count(t.closed, at("closed")),
      cells.count(t.dropouts, at("dropouts")),
    ];
    const hidden = closed === null || dropouts === null;
    const rate = hidden ? null : t.rate;
    return {
      tier: t.tier,
      episodes,
      closed,
      dropouts,
      rate: rate?.rate ?? null,
      ci_low: rate?.ci_low ?? null,
      ci_high: rate?.ci_high ?? null,
      suppressed: hidden || episodes === null,
    };
  });
}

/** The analysis settings as results.json records them. */
function settingsOf(study: Study): Results["settings"] {
  const cuts = study.tiers.cutPoints;
  return {
    alliance: study.itemScoring ? { ...study.alliance, scoring_source: study.itemScoring.def.source } : study.alliance,
    outcome: study.outcome,
    dropout_reasons: study.dropoutReasons,
    completion_reasons: study.completionReasons,
    cutoff_date: study.cutoffDate,
    early_alliance_window: study.earlyWindow,
    tier_rule: {
      by: study.tiers.by,
      method: study.tiers.method,
      quantiles: study.tiers.quantiles,
      column: study.tiers.column,
    },
    tiers: study.tiers.labels.map((label, i) => ({
      label,
      from: i === 0 || !cuts.length ? null : cuts[i - 1]!,
      below: i < cuts.length ? cuts[i]! : null,
    })),
    confidence_level: CONFIDENCE_LEVEL,
  };
}

/** The participant flow: episodes and sessions read, excluded by reason, analysed, and the analysis sets. */
function flowOf(read: Inputs[1], validation: Inputs[2], analysis: Analysis, cells: Counter): Results["flow"] {
  const exclusions = (rows: { code: string; reason: string; n: number }[], at: string): ExclusionRow[] =>
    rows.map((r, i) => {
      const n = cells.count(r.n, `${at}[${i}].n`);
      return { code: r.code, reason: r.reason, n, suppressed: n === null };
    });

  const rowsOf = (role: "episodes" | "sessions") => read.files.find((f) => f.role === role)!.rows;
  const episodeExclusions = [
    ...validation.excluded.episodes,
    ...(analysis.excluded_no_alliance ? [{ ...NO_ALLIANCE, n: analysis.excluded_no_alliance }] : []),
  ];
  const sessionsExcluded = validation.excluded.sessions.reduce((a, r) => a + r.n, 0);

  const sets = analysis.analysis_sets;
  return {
    episodes_ingested: cells.count(rowsOf("episodes"), "flow.episodes_ingested"),
    excluded: exclusions(episodeExclusions, "flow.excluded"),
    episodes_analyzed: cells.count(analysis.episodes_analyzed, "flow.episodes_analyzed"),
    sessions: {
      ingested: cells.count(rowsOf("sessions"), "flow.sessions.ingested"),
      excluded: exclusions(validation.excluded.sessions, "flow.sessions.excluded"),
      used: cells.count(rowsOf("sessions") - sessionsExcluded, "flow.sessions.used"),
    },
    analysis_sets: {
      with_outcome_change: cells.count(sets.with_outcome_change, "flow.analysis_sets.with_outcome_change"),
      with_outcome_last: cells.count(sets.with_outcome_last, "flow.analysis_sets.with_outcome_last"),
      closed: cells.count(sets.closed, "flow.analysis_sets.closed"),
      active_at_cutoff: cells.count(sets.active_at_cutoff, "flow.analysis_sets.active_at_cutoff"),
    },
  };
}

function buildResults(
  [study, read, validation, analysis, retention, provenance]: Inputs,
  cells: Counter,
  withheld: number,
): Results {
  const correlations = analysis.correlations.map((c, i) => shareCorrelation(c, `correlations[${i}]`, cells));
  const dropout_by_tier = dropoutRows(analysis, cells);

  const pairsShown = !cells.hidden("power.n");
  const power = cells.count(analysis.power.n, "power.n");
  const line =
    analysis.fitted_line && cells.count(analysis.fitted_line.n, "fitted_line.n") !== null ? analysis.fitted_line : null;
  const binned = cells.hidden("binned_scatter") ? [] : analysis.binned_scatter.filter((b) => b.n >= study.minCellSize);
  const predictors = shareablePredictors(analysis.predictors, study, cells);
  const thisStudy = primaryEstimate(correlations);
  return {
    schema_version: RESULTS_SCHEMA_VERSION,
    study: { name: study.name, title: study.title },
    provenance: {
      ...provenance,
      inputs: provenance.inputs.map((f, i) => ({
        ...f,
        rows: cells.count(f.rows ?? 0, `provenance.inputs[${i}].rows`),
      })),
    },
    settings: settingsOf(study),
    flow: flowOf(read, validation, analysis, cells),
    correlations,
    partial_correlation: shareCorrelation(analysis.partial, "partial_correlation", cells),
    // The smallest detectable r is a function of n: shown only with it.
    power: {
      ...analysis.power,
      n: power,
      smallest_detectable_r: power === null ? null : analysis.power.smallest_detectable_r,
    },
    bootstrap_max_n: study.bootstrap.maxN,
    bootstrap:
      analysis.bootstrap && pairsShown
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
      per_site: analysis.sites.per_site.map((site, i) => {
        const n = cells.count(site.n, `sites.per_site[${i}].n`);
        return n === null
          ? { site: site.site, n, r: null, ci_low: null, ci_high: null, suppressed: true }
          : { ...site, suppressed: false };
      }),
      reml: analysis.sites.reml && pooledCorrelation(analysis.sites.reml),
      dl: analysis.sites.dl && pooledCorrelation(analysis.sites.dl),
    },
    benchmarks: {
      this_study: thisStudy && cells.count(thisStudy.n, "benchmarks.this_study.n") !== null ? thisStudy : null,
      published: BENCHMARKS.map((b) => ({ ...b })),
    },
    predictors,
    therapists: shareableTherapists(analysis.therapists, cells),
    clustering: shareableClustering(analysis, cells),
    dropout_by_tier,
    fitted_line: line,
    binned_scatter: binned.map((b) => ({
      n: b.n,
      early_alliance_mean: b.x,
      outcome_change_mean: b.y,
      ci_low: b.ci_low,
      ci_high: b.ci_high,
    })),
    retention: shareableRetention(retention, cells),
    dynamics: analysis.dynamics ? shareableDynamics(analysis.dynamics, study, cells) : null,
    suppression: { min_cell_size: study.minCellSize, cells_suppressed: withheld },
  };
}
