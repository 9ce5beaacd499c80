/**
 * What every chart shares: the Vega-Lite frame (schema, title block, size, styling) and rendering
 * a spec to SVG text in Node (no browser, no script in the page, nothing fetched).
 */
import type { Results } from "../results.ts";
import { compile, type TopLevelSpec } from "vega-lite";
import { parse, View } from "vega";

const FONT = "Liberation Sans, Arial, Helvetica, sans-serif";

const BASE_CONFIG = {
  font: FONT,
  padding: 12,
  view: { stroke: null },
  axis: { labelFontSize: 12, titleFontSize: 13, titlePadding: 10, grid: true, gridColor: "#e6e6e6" },
  title: { fontSize: 15, anchor: "start" as const, offset: 12 },
};

/** What every chart of the report shares: schema, title block, size and styling. */
export function chartFrame(text: string, subtitle: string, width: number, height: number) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text, subtitle },
    width,
    height,
    config: BASE_CONFIG,
  };
}

/**
 * Parsed charts by their spec without its data: a batch draws the same chart for each of its sites,
 * with only the data changed, and compiling and parsing it took half of each chart's time.
 */
const parsed = new Map<string, ReturnType<typeof parse>>();
const MAX_PARSED = 64;

/**
 * A spec's inline data sets, each replaced by a named data source ("inline_0", …) whose values are
 * returned beside it, so that the rest of the spec can key the cache of parsed charts.
 */
function withNamedData(spec: unknown): { named: unknown; values: [string, unknown[]][] } {
  const values: [string, unknown[]][] = [];
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node !== "object" || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (
        k === "data" &&
        typeof v === "object" &&
        v !== null &&
        Array.isArray((v as { values?: unknown }).values) &&
        Object.keys(v).length === 1
      ) {
        const name = `inline_${values.length}`;
        values.push([name, (v as { values: unknown[] }).values]);
        out[k] = { name };
      } else out[k] = visit(v);
    }
    return out;
  };
  return { named: visit(spec), values };
}

/** Render a Vega-Lite spec to standalone SVG markup. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { named, values } = withNamedData(spec);
  const key = JSON.stringify(named);
  let runtime = parsed.get(key);
  if (!runtime) {
    runtime = parse(compile(named as TopLevelSpec).spec);
    if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value!);
    parsed.set(key, runtime);
  }
  const view = new View(runtime, { renderer: "none" });
  for (const [name, rows] of values) view.data(name, rows);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Okabe–Ito colours, safe for colour-blind readers, one per tier in order. */
const TIER_COLOURS = ["#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"];

/** The colour encoding of the tiers, in their order. */
export function tierColour(results: Pick<Results, "dropout_by_tier">) {
  const tiers = results.dropout_by_tier.map((t) => t.tier);
  return {
    field: "tier",
    type: "nominal" as const,
    title: "Tier",
    sort: tiers,
    scale: { domain: tiers, range: TIER_COLOURS.slice(0, tiers.length) },
  };
}
