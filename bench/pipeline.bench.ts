/**
 * Times each stage of `alliance run` on a generated study of a given size.
 *   npm run bench -- --episodes 100000 [--seed 7] [--pdf]
 * Generates the study with the demo generator (data/demo/model.ts) into a temporary folder,
 * then runs ingest → validate → derive → analyze → render, printing seconds and rows per
 * second per stage and the process's peak resident memory. For medians, run the whole
 * command several times (e.g. with hyperfine) and quote the median.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parse, stringify } from "yaml";
import { generateDemoStudy } from "../data/demo/model.ts";
import { writeDemoStudy } from "../data/demo/generate.ts";
import { parseStudyConfig } from "../pipeline/config/load-config.ts";
import { openDb } from "../pipeline/db.ts";
import { ingest } from "../pipeline/stages/ingest.ts";
import { validate } from "../pipeline/stages/validate.ts";
import { derive } from "../pipeline/stages/derive.ts";
import { analyze } from "../pipeline/stages/analyze.ts";
import { analyzeRetention } from "../pipeline/stages/analyze-retention.ts";
import { shareableResults } from "../pipeline/stages/shareable.ts";
import { renderCharts } from "../pipeline/report/charts.ts";
import { buildReportView } from "../pipeline/report/view-model.ts";
import { renderHtml } from "../pipeline/report/html.ts";
import { printPdf } from "../pipeline/report/pdf.ts";

const { values } = parseArgs({ options: { episodes: { type: "string", default: "100000" }, seed: { type: "string", default: "7" }, pdf: { type: "boolean", default: false } } });
const n = Number(values.episodes);
const dir = mkdtempSync(join(tmpdir(), "alliance-bench-"));

const study = generateDemoStudy(n, Number(values.seed));
writeDemoStudy(study, dir);
const config = parse(readFileSync(new URL("../data/demo/study.yaml", import.meta.url), "utf8"));
config.study.name = "bench";
writeFileSync(join(dir, "study.yaml"), stringify(config));
const parsed = parseStudyConfig(stringify(config), join(dir, "study.yaml"));
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const s = parsed.value;
const rows = study.episodes.length + study.sessions.length;
console.log(`study: ${study.episodes.length.toLocaleString("en-US")} episodes, ${study.sessions.length.toLocaleString("en-US")} sessions (${dir})`);

const timings: [string, number][] = [];
async function stage<T>(name: string, f: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const out = await f();
  timings.push([name, (performance.now() - t0) / 1000]);
  return out;
}

const db = await openDb();
const ingested = await stage("ingest", () => ingest(db, s));
const validated = await stage("validate", () => validate(db, s));
if (!ingested.ok || !validated.ok) throw new Error("bench study failed validation");
const { episodes } = await stage("derive", () => derive(db, s));
const analysis = await stage("analyze", () => analyze(episodes, s));
const retention = await stage("retention", () => analyzeRetention(episodes, s));
const provenance = { package: "bench", package_version: "0", run_at: new Date().toISOString(), node_version: process.versions.node, duckdb_version: "", inputs: [], config: { file: "study.yaml", sha256: "" } };
const html = await stage("render html", async () => {
  const results = shareableResults(s, ingested.value, validated.value, analysis, retention, provenance);
  return renderHtml(buildReportView(results, await renderCharts(results)));
});
if (values.pdf) await stage("render pdf", () => printPdf(html));
db.closeSync();
rmSync(dir, { recursive: true, force: true });

const total = timings.reduce((a, [, t]) => a + t, 0);
for (const [name, t] of timings) console.log(`${name.padEnd(12)} ${t.toFixed(3).padStart(8)} s  ${Math.round(rows / t).toLocaleString("en-US").padStart(12)} rows/s`);
console.log(`${"total".padEnd(12)} ${total.toFixed(3).padStart(8)} s`);
console.log(`peak RSS     ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
