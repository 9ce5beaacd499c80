/**
 * The report's section on clients nested in therapists (or sites): the ICCs and the design effects
 * they imply, one plain sentence on what that means for the intervals, and each correlation's
 * cluster-aware interval beside the one that treats episodes as independent. From results.json alone.
 */
import type { ClusterCorrelationRow, Results } from "../results.ts";
import { ciText, formatPercent, noLeadingZero } from "./apa.ts";

export interface ClusteringView {
  shown: boolean;
  textHtml: string;
  icc: { variable: string; icc: string; designEffect: string }[];
  rows: {
    correlation: string;
    n: string;
    estimate: string;
    independent: string;
    clustered: string;
    percentile: string;
    bca: string;
    designEffect: string;
    effectiveN: string;
  }[];
  note: string;
}

const VARIABLES = {
  early_alliance: "Early alliance",
  outcome_change: "Outcome change",
  outcome_last: "Last outcome score",
} as const;
const Y = { outcome_change: "Outcome change", outcome_last: "Last outcome" } as Record<string, string>;
const METHOD = { pearson: "r", spearman: "ρ", partial: "partial r" } as const;

/** Below this many clusters the report warns that the cluster-aware intervals rest on few units (the coverage study starts at 10). */
export const FEW_CLUSTERS = 10;

/** "therapists" or "sites". */
export const unitPlural = (unit: Results["clustering"]["unit"]) => (unit === "site" ? "sites" : "therapists");

/** Whether the report has cluster-aware intervals (a clustering unit, and enough clusters). */
export const hasClusterIntervals = (r: Results) => r.clustering.unit !== "none" && r.clustering.reason === null;

/** A row's cluster-aware interval as "[.22, .33]", "—" when there is none. */
export const clusteredCi = (row: ClusterCorrelationRow | undefined) => (row ? ciText(row.ci_low, row.ci_high) : "—");

/** The cluster-aware row of a correlation shown elsewhere in the report. */
export function clusterRow(
  r: Results,
  family: ClusterCorrelationRow["family"],
  x: string,
  y: string,
  method: ClusterCorrelationRow["method"],
): ClusterCorrelationRow | undefined {
  return r.clustering.correlations.find((c) => c.family === family && c.x === x && c.y === y && c.method === method);
}

/** The correlations' rows: each with its interval treating episodes as independent, and its cluster-aware ones. */
function clusterRows(r: Results, show: (n: number | null) => string) {
  const c = r.clustering;
  const raters = c.correlations.filter((k) => k.family === "rater_agreement");
  const independent = (row: ClusterCorrelationRow) => {
    if (row.family === "primary" || row.family === "partial") {
      const main =
        row.family === "partial"
          ? r.partial_correlation
          : r.correlations.find((k) => k.y === row.y && k.method === row.method);
      return main ? ciText(main.ci_low, main.ci_high) : "—";
    }
    const g = r.predictors.rater_agreement[raters.indexOf(row)];
    return g ? ciText(g.ci_low, g.ci_high) : "—";
  };
  const label = (row: ClusterCorrelationRow) => {
    if (row.family === "rater_agreement")
      return `${r.predictors.components.find((k) => `early_${k.key}` === row.y)?.label ?? row.y} alliance, r`;
    return row.method === "partial"
      ? "Last outcome given first, partial r"
      : `${Y[row.y] ?? row.y}, ${METHOD[row.method]}`;
  };
  const rows = c.correlations
    .filter((row) => row.family !== "secondary")
    .map((row) => ({
      correlation: label(row),
      n: show(row.n),
      estimate: row.estimate === null ? "—" : noLeadingZero(row.estimate),
      independent: independent(row),
      clustered: clusteredCi(row),
      percentile: row.bootstrap ? ciText(row.bootstrap.percentile.ci_low, row.bootstrap.percentile.ci_high) : "—",
      bca: row.bootstrap ? ciText(row.bootstrap.bca.ci_low, row.bootstrap.bca.ci_high) : "—",
      designEffect: row.design_effect === null ? "—" : row.design_effect.toFixed(2),
      effectiveN: row.effective_n === null ? "—" : Math.round(row.effective_n).toLocaleString("en-US"),
    }));
  return rows;
}

export function buildClusteringView(r: Results, show: (n: number | null) => string): ClusteringView {
  const c = r.clustering;
  const unit = unitPlural(c.unit);
  const one = unit === "sites" ? "site" : "therapist";
  if (c.unit === "none" || c.reason) {
    return {
      shown: c.unit !== "none",
      textHtml: c.unit === "none" ? "" : `No cluster-aware intervals: ${c.reason}.`,
      icc: [],
      rows: [],
      note: "",
    };
  }
  const rows = clusterRows(r, show);
  const icc = c.icc_design_effects.map((d) => ({
    variable: VARIABLES[d.variable],
    icc: d.icc === null ? "—" : noLeadingZero(d.icc, 3),
    designEffect: d.design_effect === null ? "—" : d.design_effect.toFixed(2),
  }));
  const outcome = c.icc_design_effects.find((d) => d.variable === "outcome_change");
  const primary = c.correlations.find(
    (k) => k.family === "primary" && k.y === "outcome_change" && k.method === "pearson",
  );
  const size = c.mean_cluster_size!;
  const iccSentence =
    outcome?.icc != null && outcome.design_effect !== null
      ? `Clients share therapists: ${formatPercent(Math.max(0, outcome.icc))} of the variance in outcome change lay between therapists (ICC = ${noLeadingZero(outcome.icc, 3)}), and with ${size.toFixed(1)} episodes per therapist (size-weighted mean), a mean of outcome change carries the information of about ${((1 / outcome.design_effect) * 100).toFixed(0)} independent episodes per 100 (design effect 1 + (m − 1) × ICC = ${outcome.design_effect.toFixed(2)}). `
      : `Episodes were grouped in ${c.clusters} ${unit}, ${size.toFixed(1)} per ${one} on average (size-weighted). `;
  const meaning =
    primary && primary.design_effect !== null
      ? primary.design_effect > 1
        ? `For the correlation of early alliance with outcome change, the clustering inflates the variance ${primary.design_effect.toFixed(2)}-fold, so an interval that treats episodes as independent is too narrow by a factor of ${Math.sqrt(primary.design_effect).toFixed(2)}; the cluster-aware interval is ${ciText(primary.ci_low, primary.ci_high)}.`
        : `For the correlation of early alliance with outcome change the clustering does not widen the interval (design effect ${primary.design_effect.toFixed(2)}): the cluster-aware interval, ${ciText(primary.ci_low, primary.ci_high)}, is close to the one that treats episodes as independent.`
      : "";
  const textHtml =
    iccSentence +
    meaning +
    ` Cluster-aware intervals leave out one ${one} at a time (cluster jackknife on Fisher's <i>z</i>, <i>t</i> on ${c.clusters! - 1} df); they are the intervals to cite. ` +
    (c.bootstrap.run
      ? `The cluster bootstrap resampled whole ${unit} ${c.bootstrap.b.toLocaleString("en-US")} times from seed ${c.bootstrap.seed}.`
      : `With more than ${c.bootstrap.max_clusters.toLocaleString("en-US")} ${unit} the cluster bootstrap was not run (inference.bootstrap_max_clusters); the jackknife intervals stand.`) +
    (c.clusters! < FEW_CLUSTERS
      ? ` With only ${c.clusters} ${unit}, these intervals and the robust tests rest on ${c.clusters} units: they are wide, and their coverage has been checked only from ${FEW_CLUSTERS} ${unit} up (docs/clustering.md), so read them with caution.`
      : "");
  return {
    shown: true,
    textHtml,
    icc,
    rows,
    note: `Design effect: the variance of Fisher's z from leaving out whole ${unit} over that from leaving out single episodes; effective n = n / design effect (at most n). The secondary family's cluster-aware intervals are in the table of other predictors; tier dropout rates and hazard ratios have theirs in their own tables. The bootstrap intervals resample whole ${unit}.`,
  };
}
