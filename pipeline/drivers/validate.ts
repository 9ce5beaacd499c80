/**
 * `alliance validate`: reads the study's files, runs the identifier guard and every rule of the
 * catalogue without stopping at the first error, and writes validation.json and validation.html:
 * every finding with its file, row, column and fix, and the count of each rule. The report names
 * cells and shows their values, so it belongs with the data, not with shared reports.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Study } from "../config/study.ts";
import { closeDb, openDb } from "../db.ts";
import { ok, type Result } from "../problem.ts";
import { read } from "../phases/read/read.ts";
import { checkRules, ruleColumn, studyRules } from "../phases/validate/validate.ts";
import type { Finding, Severity } from "../phases/handoff.ts";
import { renderPage } from "../report/html.ts";
import { writeJson } from "../output/write-json.ts";
import { NO_CLIENT_IDS, readClientIds, type ClientIds } from "../privacy/client-ids.ts";
import type { ReleaseRules } from "../privacy/release-check.ts";

/** Findings listed per rule in validation.json (the count is always complete). */
export const VALIDATE_MAX_LISTED = 100_000;
/** Findings shown per rule in validation.html. */
const HTML_MAX_LISTED = 500;

export interface RuleSummary {
  code: string;
  severity: Severity;
  file: string;
  column: string;
  n: number;
}

export interface ValidationReport {
  study: string;
  config: string;
  run_at: string;
  /** Files read: format, how, rows, columns dropped. Empty when reading failed. */
  files: { role: string; file: string; format: string; rows: number; dropped_columns: string[] }[];
  /** Every rule of the catalogue that applies to this study, with how many records it found (0 when none). */
  rules: RuleSummary[];
  totals: Record<Severity, number>;
  findings: Finding[];
}

export async function runValidate(
  study: Study,
  outDir: string,
  now = new Date(),
): Promise<Result<{ report: ValidationReport; files: string[]; release: ReleaseRules }>> {
  const db = await openDb();
  let report: ValidationReport;
  let ids: ClientIds = NO_CLIENT_IDS;
  try {
    const base = { study: study.name, config: basename(study.configPath), run_at: now.toISOString() };
    const ingested = await read(db, study);
    if (!ingested.ok) {
      // Unreadable files, missing columns or identifiers: nothing further can be checked.
      const findings = ingested.problems.map((p): Finding => ({ ...p, severity: "error" }));
      const rules = summarise(findings);
      report = { ...base, files: [], rules, totals: totals(rules), findings };
    } else {
      ids = await readClientIds(db);
      const { counts, findings } = await checkRules(db, study, ingested.value, {
        maxListed: VALIDATE_MAX_LISTED,
        listAll: true,
      });
      const merged: RuleSummary[] = studyRules(study).map((r) => {
        const column = ruleColumn(study, r);
        const n = counts.find((c) => c.code === r.code && c.table === r.table && c.column === column)?.n ?? 0;
        return { code: r.code, severity: r.severity, file: basename(study.files[r.table]), column, n };
      });
      const files = ingested.value.files.map((f) => ({
        role: f.role,
        file: basename(f.path),
        format: f.format,
        rows: f.rows,
        dropped_columns: f.dropped_columns,
      }));
      report = { ...base, files, rules: merged, totals: totals(merged), findings };
    }
  } finally {
    closeDb(db);
  }
  mkdirSync(outDir, { recursive: true });
  writeJson(join(outDir, "validation.json"), report);
  writeFileSync(join(outDir, "validation.html"), renderPage("validation.hbs", htmlView(report)));
  // Findings point at rows: the check makes sure no client id or person's date slipped into one.
  const release: ReleaseRules = {
    kind: "validation",
    minCellSize: study.minCellSize,
    clientIds: ids,
    allowedDates: new Set([study.cutoffDate, now.toISOString().slice(0, 10)]),
  };
  return ok({ report, files: ["validation.json", "validation.html"], release });
}

function summarise(findings: Finding[]): RuleSummary[] {
  const by = new Map<string, RuleSummary>();
  for (const f of findings) {
    const k = `${f.code}|${f.where?.file}|${f.where?.column}`;
    const r = by.get(k) ?? {
      code: f.code,
      severity: f.severity,
      file: f.where?.file ?? "",
      column: f.where?.column ?? "",
      n: 0,
    };
    r.n++;
    by.set(k, r);
  }
  return [...by.values()];
}

/** Records found per severity, from the complete counts of each rule (findings may be capped). */
function totals(rules: RuleSummary[]): Record<Severity, number> {
  const t: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const r of rules) t[r.severity] += r.n;
  return t;
}

function htmlView(r: ValidationReport) {
  const groups = new Map<string, Finding[]>();
  for (const f of r.findings) {
    const list = groups.get(f.code);
    if (list) list.push(f);
    else groups.set(f.code, [f]);
  }
  return {
    title: `Validation of ${r.study}`,
    study: r.study,
    config: r.config,
    runAt: r.run_at,
    files: r.files.map((f) => ({ ...f, rows: count(f.rows) })),
    totals: { error: count(r.totals.error), warning: count(r.totals.warning), note: count(r.totals.note) },
    verdict:
      r.totals.error > 0
        ? `${r.totals.error} error(s): \`alliance run\` will stop until they are fixed.`
        : "No errors: `alliance run` will go ahead, leaving out and counting the records that warnings name.",
    rules: r.rules.map((x) => ({ ...x, n: count(x.n), none: x.n === 0 })),
    groups: [...groups.entries()].map(([code, list]) => ({
      code,
      severity: list[0]!.severity,
      fix: list[0]!.fix ?? "",
      shown: list.slice(0, HTML_MAX_LISTED).map((f) => ({
        file: f.where?.file ?? "",
        row: f.where?.row ?? "",
        column: f.where?.column ?? "",
        message: f.message,
      })),
      more: list.length > HTML_MAX_LISTED ? count(list.length - HTML_MAX_LISTED) : null,
    })),
  };
}

/** A count as people read it. @example count(10049090) // => "10,049,090" */
const count = (n: number | null): string => (n === null ? "" : n.toLocaleString("en-US"));
