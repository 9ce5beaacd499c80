/**
 * Without node-canvas (not installable offline) Vega estimates text widths generously, so
 * titles stay short: a long subtitle would widen the SVG and shrink the chart on the page.
 *
 * The report's charts as Vega-Lite specs, built from results.json's shareable numbers only,
 * and rendered to SVG text in Node (no browser, no script in the page, nothing fetched).
 */
import type { TopLevelSpec } from "vega-lite";
import { allianceCourseSpec, rupturesSpec, shiftCourseSpec, withinSpec } from "./dynamics-charts.ts";
import { chartFrame, renderSvg, tierColour } from "./chart-frame.ts";
import type { Results } from "../results.ts";
import type { ReportCharts } from "./research-view.ts";
import { forestChart, type ForestRow } from "./forest-chart.ts";

/** Binned scatter of early alliance against outcome change, with 95% CI bars and the fitted line. */
export function scatterSpec(results: Results): TopLevelSpec {
  const { alliance, outcome } = results.settings;
  const points = results.binned_scatter;
  const xs = points.map((p) => p.early_alliance_mean);
  const line = results.fitted_line;
  const lineData =
    line && xs.length ? [Math.min(...xs), Math.max(...xs)].map((x) => ({ x, y: line.intercept + line.slope * x })) : [];
  const x = {
    field: "early_alliance_mean",
    type: "quantitative" as const,
    title: `Early alliance (${shortName(alliance.instrument)}, mean of first ${results.settings.early_alliance_window})`,
    scale: { zero: false },
  };
  return {
    ...chartFrame("Early alliance and outcome change", "Group means with 95% CIs; line: least-squares fit", 520, 320),
    layer: [
      {
        data: { values: points },
        mark: { type: "rule", color: "#6b8fb5" },
        encoding: {
          x,
          y: {
            field: "ci_low",
            type: "quantitative",
            title: [`Outcome change (${shortName(outcome.measure)})`, "positive = improvement"],
          },
          y2: { field: "ci_high" },
        },
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
  const x = {
    field: "tier",
    type: "nominal" as const,
    sort: order,
    title: "Early-alliance tier",
    axis: { labelAngle: 0 },
  };
  return {
    ...chartFrame("Dropout by early-alliance tier", "Share of closed episodes, Wilson 95% CIs", 360, 300),
    data: { values: rows },
    layer: [
      {
        mark: { type: "bar", color: "#8fb3d9", width: { band: 0.6 } },
        encoding: {
          x,
          y: {
            field: "rate",
            type: "quantitative",
            title: "Dropout rate",
            axis: { format: ".0%" },
            scale: { domain: [0, 1] },
          },
        },
      },
      {
        mark: { type: "rule", color: "#1f1f1f", strokeWidth: 1.5 },
        encoding: { x, y: { field: "ci_low", type: "quantitative" }, y2: { field: "ci_high" } },
      },
      {
        mark: { type: "text", dy: -8, fontSize: 12, color: "#333333" },
        encoding: { x, y: { field: "labelY", type: "quantitative" }, text: { field: "label" } },
      },
    ],
  } as TopLevelSpec;
}

/** "Session Rating Scale (SRS)" → "SRS"; names without an abbreviation stay as they are. */
function shortName(name: string): string {
  return /\(([^)]+)\)\s*$/.exec(name)?.[1] ?? name;
}

/** Kaplan–Meier curves of remaining free of dropout, by tier, with pointwise CI bands (steps). */
export function kaplanMeierSpec(results: Results): TopLevelSpec {
  const rows = results.retention.kaplan_meier.flatMap((k) =>
    k.curve.length
      ? [{ tier: k.tier, time: 0, surv: 1, ci_low: 1, ci_high: 1 }, ...k.curve.map((c) => ({ tier: k.tier, ...c }))]
      : [],
  );
  const x = { field: "time", type: "quantitative" as const, title: "Days since admission" };
  const colour = tierColour(results);
  return {
    ...chartFrame(
      "Time to dropout by early-alliance tier",
      `Kaplan–Meier, ${results.retention.conf_type} 95% CIs; censored at other discharge or cutoff`,
      520,
      300,
    ),
    data: { values: rows },
    layer: [
      {
        transform: [{ filter: "datum.ci_low != null && datum.ci_high != null" }],
        mark: { type: "area", interpolate: "step-after", opacity: 0.15 },
        encoding: {
          x,
          y: { field: "ci_low", type: "quantitative" },
          y2: { field: "ci_high" },
          color: { ...colour, legend: null },
        },
      },
      {
        mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
        encoding: {
          x,
          y: {
            field: "surv",
            type: "quantitative",
            title: "Not dropped out",
            axis: { format: ".0%" },
            scale: { domain: [0, 1] },
          },
          color: colour,
        },
      },
    ],
    // One legend, drawn from the lines (a shared legend would show the pale band swatches).
    resolve: { legend: { color: "independent" } },
  } as TopLevelSpec;
}

/** Aalen–Johansen cumulative incidence of dropout and of completion, by tier, side by side. */
export function incidenceSpec(results: Results): TopLevelSpec {
  const names = { dropout: "Dropout", completion: "Completion", other: "Other discharge" } as const;
  const rows = results.retention.cumulative_incidence
    .filter((c) => c.cause !== "other" && c.curve.length)
    .flatMap((c) => [
      { tier: c.tier, cause: names[c.cause], time: 0, incidence: 0 },
      ...c.curve.map((p) => ({ tier: c.tier, cause: names[c.cause], ...p })),
    ]);
  const frame = chartFrame(
    "Dropout and completion as competing outcomes",
    "Cumulative incidence (Aalen–Johansen) by early-alliance tier",
    250,
    220,
  );
  return {
    $schema: frame.$schema,
    title: frame.title,
    config: frame.config,
    data: { values: rows },
    facet: {
      column: {
        field: "cause",
        type: "nominal",
        title: null,
        sort: ["Dropout", "Completion"],
        header: { labelFontSize: 13, labelFontWeight: "bold" },
      },
    },
    spec: {
      width: frame.width,
      height: frame.height,
      mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
      encoding: {
        x: { field: "time", type: "quantitative", title: "Days since admission" },
        y: {
          field: "incidence",
          type: "quantitative",
          title: "Cumulative incidence",
          axis: { format: ".0%" },
          scale: { domain: [0, 1] },
        },
        color: tierColour(results),
      },
    },
  } as TopLevelSpec;
}

/** Forest plot: r with 95% CI per site, and the REML pooled estimate with its CI and prediction interval. */
export function forestSpec(results: Results): TopLevelSpec {
  const sites: ForestRow[] = results.sites.per_site
    .filter((s) => s.r !== null)
    .map((s) => ({ label: `${s.site} (n = ${s.n})`, r: s.r!, lo: s.ci_low!, hi: s.ci_high!, kind: "study" }));
  const p = results.sites.reml;
  const pooled: ForestRow[] = p
    ? [{ label: "Pooled (REML)", r: p.r, lo: p.ci_low, hi: p.ci_high, pilo: p.pi_low, pihi: p.pi_high, kind: "pooled" }]
    : [];
  return forestChart([...sites, ...pooled], {
    title: "Early alliance and outcome change by site",
    subtitle: "r with 95% CI; pooled by random-effects meta-analysis on Fisher z",
    xTitle: "Correlation of early alliance with outcome change (r)",
  });
}

/** This study's primary r beside the published meta-analytic benchmarks. */
export function benchmarkSpec(results: Results): TopLevelSpec {
  const b = results.benchmarks;
  const rows: ForestRow[] = b.published.map((p) => ({
    label: `${p.short} (k = ${p.k})`,
    r: p.r,
    lo: p.ci_low,
    hi: p.ci_high,
    kind: "benchmark",
  }));
  if (b.this_study)
    rows.push({
      label: `This study (n = ${b.this_study.n})`,
      r: b.this_study.r,
      lo: b.this_study.ci_low,
      hi: b.this_study.ci_high,
      kind: "this study",
    });
  return forestChart(rows, {
    title: "This study and the published benchmarks",
    subtitle: "Alliance–outcome r with 95% CI (no CI where the source gives none)",
    xTitle: "Correlation of alliance with outcome (r)",
  });
}

/** The section "Alliance over the sessions"'s charts ("" each without it). */
async function dynamicsCharts(results: Results) {
  const d = results.dynamics;
  if (!d) return { allianceCourse: "", ruptures: "", shiftCourse: "", within: "" };
  const some = (rows: unknown[]) => rows.length > 0;
  return {
    allianceCourse: some(d.alliance_by_session.filter((x) => x.mean !== null))
      ? await renderSvg(allianceCourseSpec(results, d))
      : "",
    ruptures: some(d.ruptures.filter((x) => x.ruptures !== null)) ? await renderSvg(rupturesSpec(results, d)) : "",
    shiftCourse: d.sudden.kinds.some((k) => k.around.some((a) => a.outcome_mean !== null))
      ? await renderSvg(shiftCourseSpec(results, d))
      : "",
    within: d.within.forward.within ? await renderSvg(withinSpec(results, d)) : "",
  };
}

/** Every chart of the report, rendered to SVG. */
export async function renderCharts(results: Results): Promise<ReportCharts> {
  return {
    scatter: await renderSvg(scatterSpec(results)),
    dropout: await renderSvg(dropoutSpec(results)),
    km: await renderSvg(kaplanMeierSpec(results)),
    incidence: await renderSvg(incidenceSpec(results)),
    forest: await renderSvg(forestSpec(results)),
    benchmarks: await renderSvg(benchmarkSpec(results)),
    ...(await dynamicsCharts(results)),
  };
}
