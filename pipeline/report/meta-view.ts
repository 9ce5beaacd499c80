/** What the meta-analysis page prints, as formatted text, from meta-results.json alone. */
import type { MetaResults, PooledMeta } from "../meta/meta-results.ts";
import { apaHtml, ciText, formatP, noLeadingZero, pCell } from "./apa.ts";

export function buildMetaView(m: MetaResults, charts: { forest: string; funnel: string }) {
  const pooledRow = (p: PooledMeta) => ({
    method: p.method === "REML" ? "REML" : "DerSimonian–Laird",
    r: noLeadingZero(p.r, 3),
    ci: ciText(p.ci_low, p.ci_high, 3),
    pi: ciText(p.pi_low, p.pi_high, 3),
    p: pCell(p.p),
    tau2: p.tau2.toFixed(4),
    i2: `${p.i2.toFixed(1)}%`,
    q: `Q(${p.q_df}) = ${p.q.toFixed(2)}, ${formatP(p.q_p)}`,
  });
  const e = m.egger;
  const eggerText = e
    ? `Egger's regression test for funnel-plot asymmetry: t(${e.df}) = ${e.t.toFixed(2)}, ${formatP(e.p)}; the estimate for a study of infinite size is r = ${noLeadingZero(Math.tanh(e.limit_estimate))}, 95% CI ${ciText(Math.tanh(e.limit_ci[0]), Math.tanh(e.limit_ci[1]))}. ${e.p < 0.1 ? "Small studies differ from large ones, which can mean publication bias." : "The data show no funnel-plot asymmetry; with few studies the test has little power."}`
    : "Egger's test needs at least three studies of different sizes.";
  const r = m.reml;
  return {
    title: m.title,
    generatedAt: m.provenance.run_at,
    summaryHtml:
      `${m.k} studies (Σ<i>n</i> = ${m.total_n.toLocaleString("en-US")}) were pooled by random-effects meta-analysis on Fisher's z (REML): ${apaHtml(r.apa)}, ` +
      `95% prediction interval ${ciText(r.pi_low, r.pi_high)}; τ² = ${r.tau2.toFixed(4)}, <i>I</i>² = ${r.i2.toFixed(1)}%, <i>Q</i>(${r.q_df}) = ${r.q.toFixed(2)}, ${apaHtml(formatP(r.q_p))}.`,
    eggerText,
    pooled: [pooledRow(m.reml), pooledRow(m.dl)],
    studies: m.studies.map((s) => ({
      study: s.study,
      year: s.year ?? "",
      n: s.n.toLocaleString("en-US"),
      r: noLeadingZero(s.r, 3),
      ci: ciText(s.ci_low, s.ci_high, 3),
      weight: `${s.weight_reml.toFixed(1)}%`,
    })),
    subgroups: m.subgroups
      ? {
          column: m.subgroups.column,
          rows: m.subgroups.groups.map((g) => ({
            level: g.level || "(empty)",
            k: g.k,
            n: g.total_n.toLocaleString("en-US"),
            r: g.pooled ? noLeadingZero(g.pooled.r, 3) : g.r === null ? "—" : noLeadingZero(g.r, 3),
            ci: g.pooled ? ciText(g.pooled.ci_low, g.pooled.ci_high) : "—",
            i2: g.pooled ? `${g.pooled.i2.toFixed(1)}%` : "—",
          })),
        }
      : null,
    methods:
      "Each correlation was transformed to Fisher's z with sampling variance 1/(n − 3) and pooled under a random-effects model, with the between-study variance τ² estimated by restricted maximum likelihood (REML) and, for comparison, by the DerSimonian–Laird method; " +
      "the pooled z, its 95% CI (normal) and the 95% prediction interval (z ± 1.96·√(SE² + τ²)) were transformed back to r. I² is τ² over τ² plus the typical sampling variance (Higgins & Thompson 2002). " +
      "Study CIs are Fisher-z intervals; weights are each study's share of 1/(v + τ²). Egger's test regresses z on its standard error with weights 1/v and tests the slope on k − 2 df (as metafor's regtest with model = \"lm\"). These are the computations of R's metafor::rma, predict and regtest.",
    provenance: [
      {
        label: "Tool",
        value: `${m.provenance.package} ${m.provenance.package_version} (Node ${m.provenance.node_version})`,
      },
      { label: "Run at", value: m.provenance.run_at },
      { label: `Input: ${m.provenance.input.file}`, value: `SHA-256 ${m.provenance.input.sha256}` },
      { label: "Release check", value: `passed: ${m.provenance.release_check.checks.join("; ")} (docs/privacy.md)` },
      { label: "Results schema", value: m.schema_version },
    ],
    charts,
  };
}
