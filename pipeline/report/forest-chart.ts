/**
 * A forest plot of correlations as a Vega-Lite spec: one row per estimate with its CI, pooled rows
 * as diamonds with their prediction interval dashed, benchmarks and "this study" in their own
 * colours. Shared by the sites chart, the benchmark chart and `alliance meta`.
 */
import type { TopLevelSpec } from "vega-lite";
import { chartFrame } from "./chart-frame.ts";

export interface ForestRow {
  label: string;
  r: number;
  /** CI bounds; null where the source gives none (drawn as a point only). */
  lo: number | null;
  hi: number | null;
  pilo?: number;
  pihi?: number;
  kind: "study" | "pooled" | "benchmark" | "this study";
}

const KINDS = ["study", "pooled", "benchmark", "this study"] as const;
const SHAPES = ["square", "diamond", "circle", "square"];
const COLOURS = ["#1f4e79", "#c0504d", "#7f7f7f", "#c0504d"];

export interface ForestOptions {
  title: string;
  subtitle: string;
  xTitle: string;
  /** Pixels per row (default 34). */
  rowHeight?: number;
  width?: number;
}

/** @example forestChart([{ label: "A (n = 50)", r: 0.3, lo: 0.02, hi: 0.53, kind: "study" }], { title: "…", subtitle: "…", xTitle: "r" }) */
export function forestChart(rows: ForestRow[], o: ForestOptions): TopLevelSpec {
  const order = rows.map((d) => d.label);
  const values = rows.flatMap((d) => [d.lo ?? d.r, d.hi ?? d.r, d.pilo ?? d.r, d.pihi ?? d.r]);
  const domain = [
    Math.min(-0.2, Math.floor(Math.min(...values) * 5) / 5),
    Math.max(0.6, Math.ceil(Math.max(...values) * 5) / 5),
  ];
  const y = { field: "label", type: "nominal" as const, sort: order, title: null, axis: { labelLimit: 400 } };
  const x = { field: "r", type: "quantitative" as const, title: o.xTitle, scale: { domain } };
  const kind = { field: "kind", type: "nominal" as const, legend: null };
  return {
    ...chartFrame(o.title, o.subtitle, o.width ?? 420, (o.rowHeight ?? 34) * Math.max(1, order.length)),
    data: { values: rows },
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: "rule", color: "#999999", strokeDash: [4, 3] },
        encoding: { x: { field: "zero", type: "quantitative" } },
      },
      {
        transform: [{ filter: "isValid(datum.pilo)" }],
        mark: { type: "rule", color: "#c0504d", strokeWidth: 1, strokeDash: [2, 2] },
        encoding: { y, x: { field: "pilo", type: "quantitative" }, x2: { field: "pihi" } },
      },
      {
        transform: [{ filter: "isValid(datum.lo)" }],
        mark: { type: "rule", color: "#1f1f1f", strokeWidth: 1.5 },
        encoding: { y, x: { field: "lo", type: "quantitative" }, x2: { field: "hi" } },
      },
      {
        mark: { type: "point", filled: true, size: 90 },
        encoding: {
          y,
          x,
          shape: { ...kind, scale: { domain: [...KINDS], range: SHAPES } },
          color: { ...kind, scale: { domain: [...KINDS], range: COLOURS } },
        },
      },
    ],
  } as TopLevelSpec;
}
