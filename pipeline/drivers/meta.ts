/**
 * The driver of `alliance meta`: read the study table, pool, and write meta-results.json,
 * tables/studies.csv, meta.html and meta.pdf into the output folder. Published correlations
 * are aggregate data, so nothing is suppressed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE } from "../root.ts";
import { problem } from "../messages.ts";
import { fail, ok, type Problem, type Result } from "../problem.ts";
import { renderSvg } from "../report/chart-frame.ts";
import { renderPage } from "../report/html.ts";
import { printPdf } from "../report/pdf.ts";
import { toCsv } from "../report/tables.ts";
import { analyzeMeta } from "../meta/analyze-meta.ts";
import { funnelSpec, metaForestSpec } from "../report/meta-charts.ts";
import { META_RESULTS_SCHEMA_VERSION, type MetaResults } from "../meta/meta-results.ts";
import { buildMetaView } from "../report/meta-view.ts";
import { readStudies } from "../meta/read-studies.ts";
import { NO_CLIENT_IDS } from "../privacy/client-ids.ts";
import type { ReleaseRules } from "../privacy/release-check.ts";

const pkg = PACKAGE;

export interface MetaOptions {
  studiesPath: string;
  outDir: string;
  title?: string;
  /** A moderator column to pool within. */
  by?: string;
  pdf?: boolean;
  now?: Date;
}

/** What the release check verifies of a meta-analysis: its table is of published studies, with no client data. */
const META_CHECKS = ["no date other than the run date"];

export async function runMeta(
  o: MetaOptions,
): Promise<Result<{ results: MetaResults; files: string[]; notices: Problem[]; release: ReleaseRules }>> {
  const table = await readStudies(o.studiesPath);
  if (!table.ok) return table;
  const { file, sha256, studies, moderatorColumns } = table.value;
  if (o.by !== undefined && !moderatorColumns.includes(o.by)) {
    return fail(problem("E_META_BY", { column: o.by, moderators: moderatorColumns }, { file, row: 1, column: o.by }));
  }
  mkdirSync(join(o.outDir, "tables"), { recursive: true });
  const runAt = (o.now ?? new Date()).toISOString();
  const results: MetaResults = {
    schema_version: META_RESULTS_SCHEMA_VERSION,
    title: o.title ?? `Meta-analysis of ${file}`,
    provenance: {
      package: pkg.name,
      package_version: pkg.version,
      run_at: runAt,
      node_version: process.versions.node,
      input: { file, sha256, studies: studies.length },
      release_check: { checks: META_CHECKS },
    },
    ...analyzeMeta(studies, o.by ?? null),
  };
  const files = ["meta-results.json", "tables/studies.csv"];
  writeFileSync(join(o.outDir, "meta-results.json"), JSON.stringify(results, null, 2) + "\n");
  writeFileSync(join(o.outDir, "tables", "studies.csv"), studiesCsv(results));
  const html = renderPage(
    "meta.hbs",
    buildMetaView(results, {
      forest: await renderSvg(metaForestSpec(results)),
      funnel: await renderSvg(funnelSpec(results)),
    }),
  );
  writeFileSync(join(o.outDir, "meta.html"), html);
  files.push("meta.html");
  const notices: Problem[] = [];
  if (o.pdf !== false) {
    const pdf = await printPdf(html);
    if (pdf.ok) {
      writeFileSync(join(o.outDir, "meta.pdf"), pdf.value.bytes);
      files.push("meta.pdf");
    } else notices.push(...pdf.problems);
  }
  // Published correlations hold no client data: the check looks for dates only.
  const release: ReleaseRules = {
    kind: "meta",
    minCellSize: null,
    clientIds: NO_CLIENT_IDS,
    allowedDates: new Set([runAt.slice(0, 10)]),
  };
  return ok({ results, files, notices, release });
}

function studiesCsv(m: MetaResults): string {
  return toCsv(
    ["study", "year", "n", "r", "ci_low", "ci_high", "weight_reml_percent"],
    m.studies.map((s) => [s.study, s.year, s.n, s.r, s.ci_low, s.ci_high, s.weight_reml]),
  );
}
