/**
 * The charts of the report's "Alliance over the sessions" section, as Vega-Lite specs drawn from
 * results.json's `dynamics` block alone (withheld means and counts are left out, never drawn as 0):
 * the mean alliance by session number per tier, ruptures by outcome per tier, the outcome around
 * sudden gains and losses (as Tang & DeRubeis 1999, figure 1), and the lagged models' estimates.
 */
import type { TopLevelSpec } from "vega-lite";
import type { DynamicsResults, Results } from "../results.ts";
import { chartFrame, tierColour } from "./chart-frame.ts";

/** The mean alliance at each session number by tier, with 95% t intervals. */
export function allianceCourseSpec(results: Results, d: DynamicsResults): TopLevelSpec {
  const rows = d.alliance_by_session.filter((x) => x.mean !== null);
  const x = { field: "session", type: "quantitative" as const, title: "Session number", axis: { tickMinStep: 1 } };
  const colour = tierColour(results);
  return {
    ...chartFrame(
      "Alliance over the sessions by early-alliance tier",
      "Mean rating at each session with 95% CIs; cells under the minimum size not drawn",
      520,
      280,
    ),
    data: { values: rows },
    layer: [
      {
        transform: [{ filter: "datum.ci_low != null" }],
        mark: { type: "area", opacity: 0.15 },
        encoding: {
          x,
          y: { field: "ci_low", type: "quantitative" },
          y2: { field: "ci_high" },
          color: { ...colour, legend: null },
        },
      },
      {
        mark: { type: "line", point: true, strokeWidth: 2 },
        encoding: {
          x,
          y: {
            field: "mean",
            type: "quantitative",
            title: `Mean ${results.settings.alliance.instrument}`,
            scale: { zero: false },
          },
          color: colour,
        },
      },
    ],
    resolve: { legend: { color: "independent" } },
  } as TopLevelSpec;
}

const OUTCOMES = ["repaired", "unrepaired", "ended"] as const;
const OUTCOME_LABELS = { repaired: "Repaired", unrepaired: "Unrepaired", ended: "Ended before repair" } as const;

/** Ruptures (at the config's k) by outcome, per tier: stacked counts; withheld counts are not drawn. */
export function rupturesSpec(results: Results, d: DynamicsResults): TopLevelSpec {
  const k = d.settings.rupture_sd;
  const tiers = results.dropout_by_tier.map((t) => t.tier);
  const rows = d.ruptures
    .filter((r) => r.k === k && r.tier !== null)
    .flatMap((r) =>
      OUTCOMES.filter((o) => r[o] !== null).map((o) => ({
        tier: r.tier,
        outcome: OUTCOME_LABELS[o],
        n: r[o],
        order: OUTCOMES.indexOf(o),
      })),
    );
  return {
    ...chartFrame(
      `Ruptures by outcome (drop ≥ ${k} SD)`,
      `Repaired within ${d.settings.repair_sessions} rated sessions, unrepaired, or the episode ended first; withheld counts not drawn`,
      360,
      280,
    ),
    data: { values: rows },
    mark: { type: "bar", width: { band: 0.6 } },
    encoding: {
      x: { field: "tier", type: "nominal", sort: tiers, title: "Early-alliance tier", axis: { labelAngle: 0 } },
      y: { field: "n", type: "quantitative", title: "Ruptures", stack: "zero" },
      color: {
        field: "outcome",
        type: "nominal",
        title: "Outcome",
        sort: OUTCOMES.map((o) => OUTCOME_LABELS[o]),
        scale: { domain: OUTCOMES.map((o) => OUTCOME_LABELS[o]), range: ["#009e73", "#d55e00", "#999999"] },
      },
      order: { field: "order", type: "quantitative" },
    },
  } as TopLevelSpec;
}

/** The mean outcome at sessions n−2 … n+3 around sudden gains and losses (n: the last session before). */
export function shiftCourseSpec(results: Results, d: DynamicsResults): TopLevelSpec {
  const rows = d.sudden.kinds.flatMap((k) =>
    k.around
      .filter((a) => a.outcome_mean !== null)
      .map((a) => ({
        kind: k.kind === "gain" ? "Sudden gains" : "Sudden losses",
        offset: a.offset,
        mean: a.outcome_mean,
      })),
  );
  return {
    ...chartFrame(
      "Outcome around sudden gains and losses",
      "Mean score at the sessions before and after the shift (0 = the last session before it)",
      420,
      260,
    ),
    data: { values: rows },
    mark: { type: "line", point: true, strokeWidth: 2 },
    encoding: {
      x: {
        field: "offset",
        type: "quantitative",
        title: "Sessions from the shift",
        scale: { domain: [-2, 3] },
        axis: { tickMinStep: 1 },
      },
      y: {
        field: "mean",
        type: "quantitative",
        title: `Mean ${results.settings.outcome.measure}`,
        scale: { zero: false },
      },
      color: { field: "kind", type: "nominal", title: null, scale: { range: ["#0072b2", "#d55e00"] } },
    },
  } as TopLevelSpec;
}

/** The within- and between-client coefficients of each lagged model with 95% CIs. */
export function withinSpec(_results: Results, d: DynamicsResults): TopLevelSpec {
  const models = [
    ["Alliance → next outcome", d.within.forward],
    ["Outcome → next alliance", d.within.reverse],
    ["Alliance (detrended) → next outcome", d.within.detrended],
  ] as const;
  const rows = models.flatMap(([label, m]) =>
    m && m.within && m.between
      ? [
          { model: label, term: "Within client", b: m.within.estimate, lo: m.within.ci_low, hi: m.within.ci_high },
          { model: label, term: "Between clients", b: m.between.estimate, lo: m.between.ci_low, hi: m.between.ci_high },
        ]
      : [],
  );
  const y = {
    field: "model",
    type: "nominal" as const,
    title: null,
    sort: models.map(([l]) => l),
    axis: { labelLimit: 260 },
  };
  const yOffset = { field: "term", type: "nominal" as const };
  const colour = {
    field: "term",
    type: "nominal" as const,
    title: null,
    scale: { domain: ["Within client", "Between clients"], range: ["#0072b2", "#7f7f7f"] },
  };
  return {
    ...chartFrame(
      "Within- and between-client effects",
      "Coefficients of the lagged models with 95% CIs (Satterthwaite df)",
      420,
      60 * Math.max(1, rows.length / 2),
    ),
    data: { values: rows },
    layer: [
      { mark: { type: "rule", strokeDash: [3, 3], color: "#999999" }, encoding: { x: { datum: 0 } } },
      {
        mark: { type: "rule", strokeWidth: 2 },
        encoding: {
          y,
          yOffset,
          x: { field: "lo", type: "quantitative", title: "Coefficient" },
          x2: { field: "hi" },
          color: colour,
        },
      },
      {
        mark: { type: "point", filled: true, size: 60 },
        encoding: { y, yOffset, x: { field: "b", type: "quantitative" }, color: colour },
      },
    ],
  } as TopLevelSpec;
}
