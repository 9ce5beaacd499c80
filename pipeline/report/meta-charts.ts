/**
 * The charts of `alliance meta`: a forest plot of the studies with the pooled estimates, and a
 * funnel plot (Fisher z against its standard error, axis reversed, with the pseudo-95% region
 * around the REML estimate, as metafor::funnel draws it).
 */
import type { TopLevelSpec } from "vega-lite";
import { chartFrame } from "./chart-frame.ts";
import { forestChart, type ForestRow } from "./forest-chart.ts";
import type { MetaResults } from "../meta/meta-results.ts";

export function metaForestSpec(m: MetaResults): TopLevelSpec {
  const rows: ForestRow[] = m.studies.map((s) => ({
    label: `${s.study}${s.year === null ? "" : ` ${s.year}`} (n = ${s.n})`,
    r: s.r,
    lo: s.ci_low,
    hi: s.ci_high,
    kind: "study",
  }));
  for (const p of [m.reml, m.dl])
    rows.push({
      label: `Pooled, ${p.method} (k = ${p.k})`,
      r: p.r,
      lo: p.ci_low,
      hi: p.ci_high,
      pilo: p.pi_low,
      pihi: p.pi_high,
      kind: "pooled",
    });
  return forestChart(rows, {
    title: "Studies and pooled correlation",
    subtitle: "r with 95% CI; pooled on Fisher z, dashed: 95% prediction interval",
    xTitle: "Correlation (r)",
    rowHeight: 22,
    width: 380,
  });
}

export function funnelSpec(m: MetaResults): TopLevelSpec {
  const points = m.studies.map((s) => ({ z: Math.atanh(s.r), se: 1 / Math.sqrt(s.n - 3), study: s.study }));
  const maxSe = Math.max(...points.map((p) => p.se)) * 1.05;
  const mu = m.reml.z;
  const q = 1.959963984540054;
  const region = [
    { side: "lower", se: 0, z: mu },
    { side: "lower", se: maxSe, z: mu - q * maxSe },
    { side: "upper", se: 0, z: mu },
    { side: "upper", se: maxSe, z: mu + q * maxSe },
  ];
  const y = {
    field: "se",
    type: "quantitative" as const,
    title: "Standard error of z",
    scale: { reverse: true, domain: [0, maxSe] },
  };
  return {
    ...chartFrame("Funnel plot", "Fisher z of each study against its SE; lines: REML estimate ± 1.96 SE", 380, 260),
    layer: [
      {
        data: { values: region },
        mark: { type: "line", color: "#999999", strokeDash: [4, 3] },
        encoding: { x: { field: "z", type: "quantitative", title: "Fisher's z of r" }, y, detail: { field: "side" } },
      },
      {
        data: { values: [{ z: mu }] },
        mark: { type: "rule", color: "#c0504d" },
        encoding: { x: { field: "z", type: "quantitative" } },
      },
      {
        data: { values: points },
        mark: { type: "point", filled: true, size: 60, color: "#1f4e79" },
        encoding: { x: { field: "z", type: "quantitative" }, y },
      },
    ],
  } as TopLevelSpec;
}
