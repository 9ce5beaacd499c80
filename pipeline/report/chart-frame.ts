/**
 * What every chart shares: the Vega-Lite frame (schema, title block, size, styling) and rendering
 * a spec to SVG text in Node (no browser, no script in the page, nothing fetched).
 */
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

