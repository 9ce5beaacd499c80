/**
 * Golden-file tests of the rendered reports: the research report's charts and page from a fixed
 * results.json (test/golden/demo-results.json), the quarterly report of the program and of a site
 * from theirs, and the meta report from its meta-results.json. On a mismatch, or when a golden file
 * is missing, the new output is written beside it as <name>-changed.<ext> and the test fails; when
 * the change is intended, accept it with `UPDATE_GOLDEN=1 npx vitest run test/report/golden.test.ts`.
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
import { buildReportView } from "../../pipeline/report/research-view.ts";
import { renderHtml, renderPage } from "../../pipeline/report/html.ts";
import type { QuarterlyResults } from "../../pipeline/quarterly/quarterly-results.ts";
import { buildQuarterlyView } from "../../pipeline/report/quarterly-view.ts";
import { renderQuarterlyCharts } from "../../pipeline/report/quarterly-charts.ts";
import type { MetaResults } from "../../pipeline/meta/meta-results.ts";
import { buildMetaView } from "../../pipeline/report/meta-view.ts";
import { funnelSpec, metaForestSpec } from "../../pipeline/report/meta-charts.ts";

const golden = (name: string) => fileURLToPath(new URL(`../golden/${name}`, import.meta.url));
const results: Results = JSON.parse(readFileSync(golden("demo-results.json"), "utf8"));

function expectGolden(name: string, actual: string) {
  const path = golden(name);
  const changed = path.replace(/(\.\w+)$/, "-changed$1");
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  if (!existsSync(path)) {
    writeFileSync(changed, actual);
    expect.fail(`${name} has no golden file; if ${changed} is right, accept it with UPDATE_GOLDEN=1`);
  }
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

describe("rendered quarterly and meta reports (golden files)", () => {
  const branding = { programName: null, footer: null, logo: null, templates: null };
  for (const [who, file] of [
    ["the program's", "quarterly-program"],
    ["a site's", "quarterly-site"],
  ] as const) {
    it(`lays out ${who} quarterly report as before`, async () => {
      const r: QuarterlyResults = JSON.parse(readFileSync(golden(`${file}-results.json`), "utf8"));
      expectGolden(
        `${file}.html`,
        renderPage("quarterly.hbs", buildQuarterlyView(r, await renderQuarterlyCharts(r), branding, "2026-01-01")),
      );
    });
  }

  it("lays out the meta-analysis report as before", async () => {
    const m: MetaResults = JSON.parse(readFileSync(golden("meta-results.json"), "utf8"));
    const charts = { forest: await renderSvg(metaForestSpec(m)), funnel: await renderSvg(funnelSpec(m)) };
    expectGolden("meta.html", renderPage("meta.hbs", buildMetaView(m, charts)));
  });
});
