/**
 * The quarterly report's charts, from its suppressed results only: trend small multiples, the
 * p-chart of dropout and the funnel plot of sites. Rendered to inline SVG (no script, nothing fetched).
 */
import type { TopLevelSpec } from "vega-lite";
import { chartFrame, renderSvg } from "./chart-frame.ts";
import type { QuarterlyResults } from "../quarterly/quarterly-results.ts";

const PERCENT_KEYS = (key: string) => key === "lowest_tier" || key === "dropout" || key.startsWith("retention_");

/** One small chart per figure over the trend periods, each with its 95% CI; withheld points left out. */
export function trendsSpec(r: QuarterlyResults): TopLevelSpec {
  const order = r.trends.map((t) => t.period);
  const rows = r.trends.flatMap((t) =>
    t.figures
      .filter((f) => f.status === "shown" && f.value !== null)
      .map((f) => {
        const k = PERCENT_KEYS(f.key) ? 100 : 1;
        return {
          period: t.period,
          figure: r.cohorts.find((c) => c.key === f.key)!.short,
          value: f.value! * k,
          lo: (f.ci_low ?? f.value!) * k,
          hi: (f.ci_high ?? f.value!) * k,
        };
      }),
  );
  const figures = r.cohorts.map((c) => c.short);
  const x = {
    field: "period",
    type: "ordinal" as const,
    sort: order,
    scale: { domain: order },
    title: null,
    axis: { labelAngle: -45, labelFontSize: 10 },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Trends",
      subtitle:
        "Each figure per period with its 95% CI; a missing point is withheld (small cell) or not yet observable",
    },
    config: {
      font: "Liberation Sans, Arial, Helvetica, sans-serif",
      padding: 8,
      view: { stroke: "#d0d0d0" },
      axis: { labelFontSize: 10, titleFontSize: 11, gridColor: "#eeeeee" },
      header: { labelFontSize: 11, labelLimit: 220 },
    },
    data: { values: rows },
    facet: { field: "figure", type: "nominal", sort: figures, title: null, header: { labelFontWeight: "bold" } },
    columns: 3,
    spec: {
      width: 190,
      height: 110,
      layer: [
        {
          mark: { type: "rule", color: "#8fb3d9", strokeWidth: 2 },
          encoding: {
            x,
            y: { field: "lo", type: "quantitative", scale: { zero: false }, title: null },
            y2: { field: "hi" },
          },
        },
        {
          mark: { type: "line", color: "#1f4e79", point: { filled: true, size: 30 } },
          encoding: { x, y: { field: "value", type: "quantitative" } },
        },
      ],
    },
    resolve: { scale: { y: "independent" } },
  } as TopLevelSpec;
}

/** Dropout rate per period with 3-sigma limits that follow each period's discharges; signals in red. */
export function pChartSpec(r: QuarterlyResults): TopLevelSpec {
  const flagged = new Set(r.p_chart.signals.flatMap((s) => s.periods));
  const order = r.p_chart.points.map((p) => p.period);
  const rows = r.p_chart.points
    .filter((p) => !p.withheld)
    .map((p) => ({ ...p, signal: flagged.has(p.period) ? "special cause" : "common cause" }));
  const x = {
    field: "period",
    type: "ordinal" as const,
    sort: order,
    scale: { domain: order },
    title: "Period of discharge",
    axis: { labelAngle: 0 },
  };
  const y = (field: string, title: string | null = null) => ({
    field,
    type: "quantitative" as const,
    title,
    axis: { format: ".0%" },
  });
  return {
    ...chartFrame(
      "Dropout among discharges: p-chart",
      `Center line ${r.p_chart.center === null ? "—" : (100 * r.p_chart.center).toFixed(1) + "%"}; 3-sigma limits from each period's number of discharges`,
      620,
      260,
    ),
    data: { values: rows },
    layer: [
      {
        mark: { type: "line", interpolate: "step", color: "#999999", strokeDash: [5, 3] },
        encoding: { x, y: y("upper") },
      },
      {
        mark: { type: "line", interpolate: "step", color: "#999999", strokeDash: [5, 3] },
        encoding: { x, y: y("lower") },
      },
      ...(r.p_chart.center === null
        ? []
        : [
            {
              mark: { type: "rule" as const, color: "#555555" },
              encoding: { y: { datum: r.p_chart.center, type: "quantitative" as const } },
            },
          ]),
      { mark: { type: "line", color: "#1f4e79" }, encoding: { x, y: y("rate", "Dropout rate") } },
      {
        mark: { type: "point", filled: true, size: 70 },
        encoding: {
          x,
          y: y("rate"),
          color: {
            field: "signal",
            type: "nominal",
            title: null,
            scale: { domain: ["common cause", "special cause"], range: ["#1f4e79", "#d55e00"] },
            legend: { orient: "bottom" },
          },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Each site's dropout rate against its discharges, with 95% and 99.8% limits around the program rate. */
/** The funnel's sites: points labelled alternately above and below (ordered by discharges) so that neighbours do not overlap. */
function pointsLayer(points: { discharges: number | null; rate: number | null; group: string }[]) {
  return {
    data: {
      values: [...points]
        .sort((a, b) => a.discharges! - b.discharges!)
        .map((p, i) => ({ n: p.discharges, rate: p.rate, group: p.group, above: i % 2 === 0 })),
    },
    layer: [
      {
        mark: { type: "point", filled: true, size: 80, color: "#1f4e79" },
        encoding: { x: { field: "n", type: "quantitative" }, y: { field: "rate", type: "quantitative" } },
      },
      {
        transform: [{ filter: "datum.above" }],
        mark: { type: "text", dy: -12, fontSize: 12 },
        encoding: {
          x: { field: "n", type: "quantitative" },
          y: { field: "rate", type: "quantitative" },
          text: { field: "group" },
        },
      },
      {
        transform: [{ filter: "!datum.above" }],
        mark: { type: "text", dy: 14, fontSize: 12 },
        encoding: {
          x: { field: "n", type: "quantitative" },
          y: { field: "rate", type: "quantitative" },
          text: { field: "group" },
        },
      },
    ],
  };
}

export function funnelSpec(r: QuarterlyResults): TopLevelSpec | null {
  const f = r.funnel;
  if (!f || f.target === null || !f.limits.length) return null;
  const points = f.points.filter((p) => p.rate !== null);
  const lines = f.limits.flatMap((l) => [
    { n: l.n, v: l.lower95, line: "95% limits", side: "lower" },
    { n: l.n, v: l.upper95, line: "95% limits", side: "upper" },
    { n: l.n, v: l.lower998, line: "99.8% limits", side: "lower" },
    { n: l.n, v: l.upper998, line: "99.8% limits", side: "upper" },
  ]);
  const xN = {
    field: "n",
    type: "quantitative" as const,
    title: "Discharges in the 12 months",
    scale: { zero: false },
  };
  return {
    ...chartFrame(
      "Sites: dropout rate against discharges (funnel plot)",
      `${f.window.start} to ${f.window.end}; program rate ${(100 * f.target).toFixed(1)}%, limits exact binomial (Spiegelhalter 2005)`,
      560,
      300,
    ),
    layer: [
      {
        data: { values: lines },
        mark: { type: "line", strokeWidth: 1.2 },
        encoding: {
          x: xN,
          y: { field: "v", type: "quantitative", title: "Dropout rate", axis: { format: ".0%" } },
          detail: { field: "side" },
          strokeDash: {
            field: "line",
            type: "nominal",
            title: null,
            scale: {
              domain: ["95% limits", "99.8% limits"],
              range: [
                [5, 3],
                [1, 0],
              ],
            },
            legend: { orient: "bottom" },
          },
          color: { value: "#888888" },
        },
      },
      {
        data: { values: [{}] },
        mark: { type: "rule", color: "#555555" },
        encoding: { y: { datum: f.target, type: "quantitative" } },
      },
      pointsLayer(points),
    ],
  } as TopLevelSpec;
}

export interface QuarterlyCharts {
  trends: string;
  pChart: string;
  funnel: string | null;
}

export async function renderQuarterlyCharts(r: QuarterlyResults): Promise<QuarterlyCharts> {
  const funnel = funnelSpec(r);
  return {
    trends: await renderSvg(trendsSpec(r)),
    pChart: await renderSvg(pChartSpec(r)),
    funnel: funnel ? await renderSvg(funnel) : null,
  };
}
