/**
 * Golden-file tests of the rendered report: the charts' SVG and the whole HTML page, built
 * from a fixed results.json (test/golden/demo-results.json). On a mismatch the new output is
 * written beside the golden file as <name>-changed.<ext> to diff; when the change is intended,
 * accept it with `UPDATE_GOLDEN=1 npx vitest run test/report/golden.test.ts`.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Results } from "../../pipeline/results.ts";
import {
  dropoutSpec,
  forestSpec,
  incidenceSpec,
  kaplanMeierSpec,
  renderCharts,
  scatterSpec,
} from "../../pipeline/report/charts.ts";
import { renderSvg } from "../../pipeline/report/chart-frame.ts";
import { buildReportView } from "../../pipeline/report/view-model.ts";
import { renderHtml } from "../../pipeline/report/html.ts";

const golden = (name: string) => fileURLToPath(new URL(`../golden/${name}`, import.meta.url));
const results: Results = JSON.parse(readFileSync(golden("demo-results.json"), "utf8"));

function expectGolden(name: string, actual: string) {
  const path = golden(name);
  const changed = path.replace(/(\.\w+)$/, "-changed$1");
  if (process.env.UPDATE_GOLDEN || !existsSync(path)) writeFileSync(path, actual);
  const expected = readFileSync(path, "utf8");
  if (actual !== expected) writeFileSync(changed, actual);
  else rmSync(changed, { force: true });
  expect(actual === expected, `${name} differs from its golden file; see ${changed}`).toBe(true);
}

describe("rendered report (golden files)", () => {
  it("draws the alliance–outcome scatter as before", async () => {
    expectGolden("scatter.svg", await renderSvg(scatterSpec(results)));
  });

  it("draws the dropout-by-tier chart as before", async () => {
    expectGolden("dropout.svg", await renderSvg(dropoutSpec(results)));
  });

  it("draws the Kaplan–Meier chart as before", async () => {
    expectGolden("kaplan-meier.svg", await renderSvg(kaplanMeierSpec(results)));
  });

  it("draws the cumulative-incidence chart as before", async () => {
    expectGolden("incidence.svg", await renderSvg(incidenceSpec(results)));
  });

  it("draws the forest plot by site as before", async () => {
    expectGolden("forest.svg", await renderSvg(forestSpec(results)));
  });

  it("lays out the whole HTML page as before", async () => {
    expectGolden("report.html", renderHtml(buildReportView(results, await renderCharts(results))));
  });
});
