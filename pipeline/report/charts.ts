/**
 * Without node-canvas (not installable offline) Vega estimates text widths generously, so
 * titles stay short: a long subtitle would widen the SVG and shrink the chart on the page.
 *
 * The report's charts as Vega-Lite specs, built from results.json's shareable numbers only,
 * and rendered to SVG text in Node (no browser, no script in the page, nothing fetched).
 */
import { compile, type TopLevelSpec } from "vega-lite";
import { parse, View } from "vega";
import type { Results } from "../results.ts";

const FONT = "Liberation Sans, Arial, Helvetica, sans-serif";

const BASE_CONFIG = {
  font: FONT,
  padding: 12,
  view: { stroke: null },
  axis: { labelFontSize: 12, titleFontSize: 13, titlePadding: 10, grid: true, gridColor: "#e6e6e6" },
  title: { fontSize: 15, anchor: "start" as const, offset: 12 },
};

/** What every chart of the report shares: schema, title block, size and styling. */
function chartFrame(text: string, subtitle: string, width: number, height: number) {
  return { $schema: "https://vega.github.io/schema/vega-lite/v6.json", title: { text, subtitle }, width, height, config: BASE_CONFIG };
}

/** Render a Vega-Lite spec to standalone SVG markup. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Binned scatter of early alliance against outcome change, with 95% CI bars and the fitted line. */
export function scatterSpec(results: Results): TopLevelSpec {
  const { alliance, outcome } = results.settings;
  const points = results.binned_scatter;
  const xs = points.map((p) => p.early_alliance_mean);
  const line = results.fitted_line;
  const lineData = line && xs.length ? [Math.min(...xs), Math.max(...xs)].map((x) => ({ x, y: line.intercept + line.slope * x })) : [];
  const x = { field: "early_alliance_mean", type: "quantitative" as const, title: `Early alliance (${shortName(alliance.instrument)}, mean of first ${results.settings.early_alliance_window})`, scale: { zero: false } };
  return {
    ...chartFrame("Early alliance and outcome change", "Group means with 95% CIs; line: least-squares fit", 520, 320),
    layer: [
      {
        data: { values: points },
        mark: { type: "rule", color: "#6b8fb5" },
        encoding: { x, y: { field: "ci_low", type: "quantitative", title: [`Outcome change (${shortName(outcome.measure)})`, "positive = improvement"] }, y2: { field: "ci_high" } },
      },
      {
        data: { values: points },
        mark: { type: "circle", color: "#1f4e79", opacity: 0.9 },
        encoding: {
          x,
          y: { field: "outcome_change_mean", type: "quantitative" },
          size: { field: "n", type: "quantitative", title: "Episodes", scale: { range: [40, 160] }, legend: null },
        },
      },
      {
        data: { values: lineData },
        mark: { type: "line", color: "#c0504d", strokeWidth: 2 },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
      },
    ],
  } as TopLevelSpec;
}

/** Dropout rate by alliance tier (dropouts ÷ closed episodes) with Wilson 95% CI bars. */
export function dropoutSpec(results: Results): TopLevelSpec {
  const order = results.dropout_by_tier.map((t) => t.tier);
  const rows = results.dropout_by_tier.map((t) => ({
    ...t,
    label: t.rate === null ? "suppressed" : `${Math.round(t.rate * 100)}% of ${t.closed}`,
    labelY: t.ci_high ?? 0,
  }));
  const x = { field: "tier", type: "nominal" as const, sort: order, title: "Early-alliance tier", axis: { labelAngle: 0 } };
  return {
    ...chartFrame("Dropout by early-alliance tier", "Share of closed episodes, Wilson 95% CIs", 360, 300),
    data: { values: rows },
    layer: [
      {
        mark: { type: "bar", color: "#8fb3d9", width: { band: 0.6 } },
        encoding: { x, y: { field: "rate", type: "quantitative", title: "Dropout rate", axis: { format: ".0%" }, scale: { domain: [0, 1] } } },
      },
      { mark: { type: "rule", color: "#1f1f1f", strokeWidth: 1.5 }, encoding: { x, y: { field: "ci_low", type: "quantitative" }, y2: { field: "ci_high" } } },
      { mark: { type: "text", dy: -8, fontSize: 12, color: "#333333" }, encoding: { x, y: { field: "labelY", type: "quantitative" }, text: { field: "label" } } },
    ],
  } as TopLevelSpec;
}

/** "Session Rating Scale (SRS)" → "SRS"; names without an abbreviation stay as they are. */
function shortName(name: string): string {
  return /\(([^)]+)\)\s*$/.exec(name)?.[1] ?? name;
}
