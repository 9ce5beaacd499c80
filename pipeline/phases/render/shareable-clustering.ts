/**
 * The clustering block of results.json from the exact cluster analysis. Each row follows the row of
 * the report it belongs to: when that row's count is withheld, so is everything here (an effective
 * n and a design effect together give n back). Counts of clusters are counts of therapists or sites,
 * not of clients, and are shown.
 */
import { ciText, CORRELATION_SYMBOL, noLeadingZero } from "../../report/apa.ts";
import { unitPlural } from "../../report/clustering-view.ts";
import type { ClusterCorrelationRow, ClusteringResults } from "../../results.ts";
import type { Analysis } from "../handoff.ts";
import type { Counter } from "./shareable-retention.ts";

/** A correlation's cluster-aware row: its interval, design effect and bootstrap, or why they are not shown. */
function clusterRow(
  row: Analysis["clustering"]["correlations"][number],
  hidden: boolean,
  unitName: string,
): ClusterCorrelationRow {
  const shown = !hidden && row.ci !== null && row.estimate !== null;
  const head = {
    family: row.family,
    x: row.x,
    y: row.y,
    method: row.method,
    n: hidden ? null : row.n,
    clusters: row.clusters,
  };
  if (!shown) {
    return {
      ...head,
      estimate: null,
      ci_low: null,
      ci_high: null,
      design_effect: null,
      effective_n: null,
      bootstrap: null,
      apa: hidden ? "suppressed (small cell)" : `not estimable: ${row.reason ?? "no interval"}`,
      suppressed: hidden,
    };
  }
  const deff = row.design_effect === null ? "" : `, design effect ${row.design_effect.toFixed(2)}`;
  return {
    ...head,
    estimate: row.estimate,
    ci_low: row.ci![0],
    ci_high: row.ci![1],
    design_effect: row.design_effect,
    effective_n: row.effective_n,
    bootstrap: row.bootstrap && {
      percentile: { ci_low: row.bootstrap.percentile[0], ci_high: row.bootstrap.percentile[1] },
      bca: { ci_low: row.bootstrap.bca[0], ci_high: row.bootstrap.bca[1] },
      undefined_replicates: row.bootstrap.undefined_replicates,
    },
    apa: `${CORRELATION_SYMBOL[row.method]} = ${noLeadingZero(row.estimate!)}, 95% CI ${ciText(row.ci![0], row.ci![1])}${deff} (${row.clusters} ${unitName})`,
    suppressed: false,
  };
}

export function shareableClustering(analysis: Analysis, cells: Counter): ClusteringResults {
  const c = analysis.clustering;
  const secondary = analysis.predictors.correlations;
  // Rater rows come in the order of predictors.rater_agreement (both follow the config's raters).
  const raters = c.correlations.filter((k) => k.family === "rater_agreement");
  // The path of the count that the row's own row in the report shows.
  const pathOf = (row: Analysis["clustering"]["correlations"][number]): string => {
    if (row.family === "primary")
      return `correlations[${analysis.correlations.findIndex((k) => k.y === row.y && k.method === row.method)}].n`;
    if (row.family === "partial") return "partial_correlation.n";
    if (row.family === "secondary")
      return `predictors.correlations[${secondary.findIndex((k) => k.x === row.x && k.y === row.y)}].n`;
    return `predictors.rater_agreement[${raters.indexOf(row)}].n`;
  };
  const unitName = unitPlural(c.unit);
  const icc = analysis.therapists.icc;
  return {
    unit: c.unit,
    clusters: c.unit === "none" ? null : c.clusters,
    mean_cluster_size: c.mean_cluster_size,
    icc_design_effects:
      c.unit === "therapist" && c.mean_cluster_size !== null
        ? icc.map((row, i) => {
            const shown = !cells.hidden(`therapists.icc[${i}].n`) && row.icc !== null;
            return {
              variable: row.variable,
              icc: shown ? row.icc : null,
              design_effect: shown ? 1 + (c.mean_cluster_size! - 1) * row.icc! : null,
            };
          })
        : [],
    bootstrap: { ...c.bootstrap },
    correlations: c.correlations.map((row) => clusterRow(row, cells.hidden(pathOf(row)), unitName)),
    dropout_by_tier: c.dropout_by_tier.map((t) => {
      const i = analysis.dropout_by_tier.findIndex((d) => d.tier === t.tier);
      const hidden = ["closed", "dropouts"].some((k) => cells.hidden(`dropout_by_tier[${i}].${k}`)) || t.ci === null;
      return hidden
        ? {
            tier: t.tier,
            rate: null,
            ci_low: null,
            ci_high: null,
            design_effect: null,
            effective_n: null,
            suppressed: t.ci !== null,
          }
        : {
            tier: t.tier,
            rate: t.rate,
            ci_low: t.ci![0],
            ci_high: t.ci![1],
            design_effect: t.design_effect,
            effective_n: t.effective_n,
            suppressed: false,
          };
    }),
    reason: c.reason ?? null,
  };
}
