/**
 * Writes the research report's shareable outputs into the folder a run is given (its staging
 * folder): results.json, tables/*.csv, report.html, and report.pdf printed by the browser the run
 * started. Everything written is built from results.json's suppressed numbers.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { problem } from "../messages.ts";
import { fail, ok, type Problem, type Result } from "../problem.ts";
import type { Results } from "../results.ts";
import type { Progress } from "../progress.ts";
import { preloadPdfReader } from "../privacy/release-check.ts";
import { buildReportView } from "../report/research-view.ts";
import { renderHtml } from "../report/html.ts";
import { reportTables } from "../report/tables.ts";
import type { Printer } from "../report/pdf.ts";
import { INSTALL_BROWSER_HINT } from "../report/find-browser.js";
import { writeJson } from "./write-json.ts";

/**
 * The files written (relative to `outDir`) and what the user should know (no browser for the PDF).
 * @param printer the browser started at the run's beginning; null for no PDF
 * @example (await writeResearchReport(dir, results, charts, null, SILENT)).value.files // => ["results.json", "tables/…", "report.html"]
 */
export async function writeResearchReport(
  outDir: string,
  results: Results,
  charts: typeof import("../report/charts.ts"),
  printer: Promise<Result<Printer>> | null,
  progress: Progress,
): Promise<Result<{ files: string[]; notices: Problem[] }>> {
  const files = ["results.json"];
  writeJson(join(outDir, "results.json"), results);
  mkdirSync(join(outDir, "tables"));
  for (const [name, text] of Object.entries(reportTables(results))) {
    writeFileSync(join(outDir, "tables", name), text);
    files.push(`tables/${name}`);
  }
  const html = renderHtml(buildReportView(results, await charts.renderCharts(results)));
  writeFileSync(join(outDir, "report.html"), html);
  files.push("report.html");
  progress.end("render");
  const notices: Problem[] = [];
  if (printer) {
    progress.begin("pdf");
    const printing = printWith(printer, html);
    preloadPdfReader(); // while the browser prints: the release check reads the PDF next
    const pdf = await printing;
    if (pdf.ok) {
      writeFileSync(join(outDir, "report.pdf"), pdf.value.bytes);
      files.push("report.pdf");
      if (pdf.value.blockedRequests.length)
        return fail(problem("E_REPORT_NOT_SELF_CONTAINED", { urls: pdf.value.blockedRequests }));
    } else notices.push(...pdf.problems);
    progress.end("pdf");
  }
  return ok({ files, notices });
}

/** Prints the report with the browser started at the beginning of the run (or says why there is no PDF). */
async function printWith(
  printer: Promise<Result<Printer>>,
  html: string,
): Promise<Result<{ bytes: Uint8Array; blockedRequests: string[] }>> {
  const opened = await printer;
  if (!opened.ok) return fail(problem("W_NO_BROWSER", { hint: INSTALL_BROWSER_HINT, file: "the PDF" }));
  return ok(await opened.value.print(html));
}
