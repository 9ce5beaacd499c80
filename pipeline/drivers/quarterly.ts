/**
 * The driver of `alliance report`: one reporting period, the program report and (with --by site)
 * one report per site, into reports/<study>/<period>/. The data are read, validated and derived
 * once, as of the period's end; the figures of every group and period are computed once, and
 * suppressed once for the whole batch; then each report is rendered on its own, concurrently,
 * with one Chromium printing every PDF. A report that fails is named and does not stop the others.
 *
 *   <out>/index.html                 links to every report of the batch
 *   <out>/program/                   report.html, report.pdf, results.json
 *   <out>/site-<name>/               the same, per site
 * Row-level working files are written only when asked (--keep-internal), outside the output folder.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Study } from "../config/study.ts";
import { closeDb, openDb } from "../db.ts";
import { problem } from "../messages.ts";
import { fail, ok, ProblemError, type Problem, type Result } from "../problem.ts";
import { read } from "../phases/read/read.ts";
import { validate } from "../phases/validate/validate.ts";
import { derive } from "../phases/derive/derive.ts";
import { RUPTURE_OUTCOMES, type DerivedEpisode, type SessionCourse } from "../phases/handoff.ts";
import { addDays } from "../dates.ts";
import { episodeObjects } from "../phases/episodes.ts";
import { buildProvenance } from "../output/provenance.ts";
import { writeJson } from "../output/write-json.ts";
import { openPrinter, type Printer } from "../report/pdf.ts";
import { renderPage } from "../report/html.ts";
import {
  inPeriod,
  parsePeriod,
  periodStarting,
  trailingPeriods,
  yearEarlier,
  type Period,
} from "../quarterly/periods.ts";
import { endDate, periodFigures, type PeriodFigures, type RuptureFlags } from "../quarterly/period-figures.ts";
import {
  PROGRAM,
  suppressFunnel,
  suppressPeriod,
  type Mask,
  type PeriodColumn,
} from "../quarterly/batch-suppression.ts";
import { quarterlyResults, type BatchFigures } from "../quarterly/shareable-quarterly.ts";
import type { QuarterlyResults } from "../quarterly/quarterly-results.ts";
import { renderQuarterlyCharts } from "../report/quarterly-charts.ts";
import { buildQuarterlyView } from "../report/quarterly-view.ts";
import { dropSites, errorsBySite } from "../quarterly/isolate-groups.ts";
import { folderNames } from "../quarterly/group-folders.ts";
import { NO_CLIENT_IDS, readClientIds, type ClientIds } from "../privacy/client-ids.ts";
import type { ReleaseRules } from "../privacy/release-check.ts";
import type { Provenance } from "../results.ts";
import { isSmallCell } from "../../analyses/suppress.ts";

export interface ReportOptions {
  /** The reporting period, or its text as on the command line (2026Q3, FY2027Q1, 2026-08, FY2027 or latest). */
  period: Period | string;
  /** Also write one report per value of this column (only "site" for now). */
  by: "site" | null;
  /** Output folder (the command's staging folder). */
  outDir: string;
  /** Where the row-level working files are written; null = none are kept. */
  internalDir?: string | null;
  /** The previously published results.json, or the folder of the previous batch (--previous). */
  previous: string | null;
  pdf: boolean;
  /** Fixed in tests so outputs can be compared. */
  now?: Date;
  /** Reports rendered at once (default 3). */
  concurrency?: number;
}

export interface ReportWritten {
  group: string;
  label: string;
  dir: string;
  files: string[];
}

export interface BatchOutcome {
  outDir: string;
  period: Period;
  written: ReportWritten[];
  /** Reports that could not be written, with why: a site whose records fail validation, or a rendering error. */
  failed: { group: string; problems: Problem[] }[];
  notices: Problem[];
  /** What the release check must look for in the batch before it is published. */
  release: ReleaseRules;
}

/** The period a --period text names (2026Q3, FY2027Q1, 2026-08, FY2027 or latest), refused when it ends after the cutoff. */
export function resolvePeriod(study: Study, text: string): Result<Period> {
  const parsed = parsePeriod(text, study.cutoffDate, study.reporting.fiscalYearStartMonth);
  if (!parsed.ok) return parsed;
  const period = parsed.value;
  if (period.end > study.cutoffDate) {
    return fail(
      problem(
        "E_PERIOD_AFTER_CUTOFF",
        { label: period.label, end: period.end, cutoff: study.cutoffDate },
        { key: "--period" },
      ),
    );
  }
  return ok(period);
}

export async function runQuarterly(study: Study, options: ReportOptions): Promise<Result<BatchOutcome>> {
  const resolved = typeof options.period === "string" ? resolvePeriod(study, options.period) : ok(options.period);
  if (!resolved.ok) return resolved;
  const period = resolved.value;
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const internal = options.internalDir ?? null;
  if (internal)
    writeFileSync(
      join(internal, "README.txt"),
      "Internal working files of the batch. They hold row-level data: do not share this folder.\n",
    );
  const runAt = (options.now ?? new Date()).toISOString();
  const figures = await batchOf(study, period, internal, runAt);
  if (!figures.ok) return figures;
  const { batch, sites, ids, failed } = figures.value;
  const groups = [PROGRAM, ...(options.by === "site" ? sites : [])];
  const folders = folderNames(groups);
  const reports = await writeReports(batch, groups, folders, outDir, options, runAt);
  if (!reports.ok) return reports;
  const { written, notices } = reports.value;
  writeFileSync(
    join(outDir, "index.html"),
    renderPage("quarterly-index.hbs", indexView(batch, written, failed, runAt, folders)),
  );
  const dates = [
    study.cutoffDate,
    runAt.slice(0, 10),
    ...[...batch.periods, ...(batch.yearEarlier ? [batch.yearEarlier] : []), period].flatMap((p) => [p.start, p.end]),
    ...(batch.funnel ? [batch.funnel.window.start, batch.funnel.window.end] : []),
  ];
  const release: ReleaseRules = {
    kind: "quarterly",
    minCellSize: study.minCellSize,
    clientIds: ids,
    allowedDates: new Set(dates),
  };
  const named = failed.map((f) => ({ ...f, group: f.group || "program" }));
  return ok({ outDir, period, written, failed: named, notices, release });
}

/**
 * The batch's figures: the study read and validated as of the period's end, every site whose records
 * fail validation left out (and named), the episodes derived, and every group's figures suppressed
 * across the batch.
 */
async function batchOf(
  study: Study,
  period: Period,
  internal: string | null,
  runAt: string,
): Promise<Result<{ batch: BatchFigures; sites: string[]; ids: ClientIds; failed: BatchOutcome["failed"] }>> {
  const asOf: Study = { ...study, cutoffDate: period.end };
  const failed: BatchOutcome["failed"] = [];
  const db = await openDb();
  try {
    const ingested = await read(db, asOf, { editable: true });
    if (!ingested.ok) return ingested;
    const ids = await readClientIds(db);
    let validated = await validate(db, asOf, ingested.value, { keepEpisodes: true });
    const leftOut: { group: string; errors: number }[] = [];
    for (let round = 0; !validated.ok && round < 20; round++) {
      const bySite = await errorsBySite(db, asOf, validated.problems);
      if (bySite === null) return validated;
      for (const [site, problems] of bySite) {
        leftOut.push({ group: site, errors: problems.length });
        failed.push({ group: site, problems });
      }
      await dropSites(db, asOf, [...bySite.keys()]);
      validated = await validate(db, asOf, ingested.value, { keepEpisodes: true });
    }
    if (!validated.ok) return validated;
    if (internal) writeJson(join(internal, "02-validation.json"), validated.value);
    const derived = await derive(db, asOf);
    const episodes = episodeObjects(derived.episodes);
    const sites = [...new Set(episodes.map((e) => e.site))].sort();
    const batch = batchFigures(
      asOf,
      period,
      episodes,
      sites,
      derived.course ? ruptureFlags(derived.course, episodes) : undefined,
      {
        program: study.reporting.branding.programName ?? study.title,
        exclusions: validated.value.excluded,
        groupsLeftOut: leftOut.sort((a, b) => a.group.localeCompare(b.group)),
        // A file's rows are a count of the program's records: withheld when small, as any count is.
        provenance: withSmallRowsWithheld(
          await buildProvenance(db, study, ingested.value.files, runAt, ids),
          study.minCellSize,
        ),
      },
    );
    return ok({ batch, sites, ids, failed });
  } finally {
    closeDb(db);
  }
}

/**
 * Every group's report, a few at a time with one browser for the PDFs. A report that cannot be
 * written stops the batch: it is published whole or not at all.
 */
async function writeReports(
  batch: BatchFigures,
  groups: string[],
  folders: Map<string, string>,
  outDir: string,
  options: ReportOptions,
  runAt: string,
): Promise<Result<{ written: ReportWritten[]; notices: Problem[] }>> {
  const notices: Problem[] = [];
  let printer: Printer | null = null;
  if (options.pdf) {
    const opened = await openPrinter();
    if (opened.ok) printer = opened.value;
    else notices.push(...opened.problems);
  }
  const written: ReportWritten[] = [];
  try {
    await pool(groups, options.concurrency ?? 3, async (group) => {
      const folder = folders.get(group)!;
      const previous = readPrevious(options.previous, group, folder);
      written.push(await renderOne(batch, group, join(outDir, folder), previous, printer, runAt));
    });
  } catch (e) {
    if (e instanceof ProblemError) return fail(...e.problems);
    throw e;
  } finally {
    await printer?.close();
  }
  const order = (g: string) => groups.indexOf(g);
  written.sort((a, b) => order(a.group) - order(b.group));
  return ok({ written, notices });
}

function withSmallRowsWithheld(p: Provenance, min: number): Provenance {
  return {
    ...p,
    inputs: p.inputs.map((f) => ({ ...f, rows: f.rows !== null && isSmallCell(f.rows, min) ? null : f.rows })),
  };
}

/** Each episode's rupture flags for the board's line: 3 or more ratings, and the dates of ruptures not repaired. */
function ruptureFlags(course: SessionCourse, episodes: readonly DerivedEpisode[]): RuptureFlags {
  const admitted = new Map(episodes.map((e) => [e.src_row, e.admit_date]));
  const notRepaired = new Map<number, string[]>();
  const r = course.ruptures;
  for (let j = 0; j < r.n; j++) {
    if (RUPTURE_OUTCOMES[r.outcome[j]!] === "repaired") continue;
    const ep = r.ep[j]!;
    const date = addDays(admitted.get(ep)!, r.day[j]!);
    notRepaired.set(ep, [...(notRepaired.get(ep) ?? []), date]);
  }
  return { eligible: new Set(course.eligible), notRepaired };
}

/** Exact figures of every group and period, and the batch's suppression masks. */
function batchFigures(
  study: Study,
  period: Period,
  episodes: DerivedEpisode[],
  sites: string[],
  ruptures: RuptureFlags | undefined,
  rest: Pick<BatchFigures, "program" | "exclusions" | "groupsLeftOut" | "provenance">,
): BatchFigures {
  const fy = study.reporting.fiscalYearStartMonth;
  // Periods that ended before the first admission in the data are not shown as zeros: there are no data for them.
  const dataStart = episodes.reduce((min, e) => (e.admit_date < min ? e.admit_date : min), period.start);
  const periods = trailingPeriods(period, study.reporting.trendPeriods, fy).filter(
    (p) => p.end >= dataStart || p.label === period.label,
  );
  const before = yearEarlier(period, fy);
  const earlier = before.end >= dataStart ? before : null;
  const all = [...periods, ...(earlier && !periods.some((p) => p.label === earlier.label) ? [earlier] : [])];
  const lowest = study.tiers.labels[0]!;
  // Grouped in one pass: a filter per site costs sites × episodes (20,000 sites: 4 × 10^8 tests).
  const bySite = new Map<string, DerivedEpisode[]>(sites.map((s) => [s, []]));
  for (const e of episodes) bySite.get(e.site)?.push(e);
  const groupEpisodes = new Map<string, DerivedEpisode[]>([[PROGRAM, episodes], ...bySite]);
  const figures = new Map<string, Map<string, PeriodFigures>>();
  for (const [g, eps] of groupEpisodes) {
    figures.set(
      g,
      new Map(
        all.map((p) => [
          p.label,
          periodFigures(eps, p, lowest, study.retention.days, study.cutoffDate, study.retention.confType, ruptures),
        ]),
      ),
    );
  }
  const masks = new Map<string, Mask<PeriodColumn>>(
    all.map((p) => [
      p.label,
      suppressPeriod(new Map([...figures].map(([g, m]) => [g, m.get(p.label)!.counts])), study.minCellSize),
    ]),
  );
  // Sites are compared over the 12 months to the period's end, so that each has enough discharges.
  const window: Period = {
    ...periodStarting("month", period.startMonth + period.months - 12, fy, false),
    end: period.end,
  };
  const funnelCounts = new Map(
    [...groupEpisodes].map(([g, eps]) => {
      const out = eps.filter((e) => inPeriod(endDate(e), window));
      return [g, { discharges: out.length, dropouts: out.filter((e) => e.dropout).length }];
    }),
  );
  return {
    study,
    period,
    periods,
    yearEarlier: earlier,
    cutoff: study.cutoffDate,
    groupBy: "site",
    figures,
    masks,
    funnel: sites.length
      ? {
          window: { start: window.start, end: window.end },
          counts: funnelCounts,
          mask: suppressFunnel(funnelCounts, study.minCellSize),
        }
      : null,
    ...rest,
  };
}

async function renderOne(
  batch: BatchFigures,
  group: string,
  dir: string,
  previous: QuarterlyResults | null,
  printer: Printer | null,
  runAt: string,
): Promise<ReportWritten> {
  for (const old of ["report.html", "report.pdf", "results.json"]) rmSync(join(dir, old), { force: true });
  mkdirSync(dir, { recursive: true });
  const results = quarterlyResults(batch, group, previous);
  writeJson(join(dir, "results.json"), results);
  const { branding } = batch.study.reporting;
  const view = buildQuarterlyView(results, await renderQuarterlyCharts(results), branding, runAt.slice(0, 10));
  const html = renderPage("quarterly.hbs", view, undefined, branding.templates);
  writeFileSync(join(dir, "report.html"), html);
  const files = ["results.json", "report.html"];
  if (printer) {
    const pdf = await printer.print(html);
    if (pdf.blockedRequests.length)
      throw new Error(`the report tried to load ${pdf.blockedRequests.join(", ")}; reports must load nothing`);
    writeFileSync(join(dir, "report.pdf"), pdf.bytes);
    files.push("report.pdf");
  }
  return { group, label: results.group.label, dir, files };
}

/** A published quarterly results.json, or why it is not one. */
function readQuarterly(path: string): { ok: true; results: QuarterlyResults } | { ok: false; why: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, why: code ? `${path} cannot be read (${code})` : `${path} is not JSON` };
  }
  return typeof parsed === "object" && parsed !== null && (parsed as { kind?: string }).kind === "quarterly"
    ? { ok: true, results: parsed as QuarterlyResults }
    : { ok: false, why: `${path} is not a quarterly report's results.json` };
}

/**
 * Checks --previous before any work: the program's published results.json, or a batch's folder
 * holding program/results.json.
 * @example checkPrevious("reports/demo/2025Q4") // => null when reports/demo/2025Q4/program/results.json is a quarterly results.json
 */
export function checkPrevious(previous: string): Problem | null {
  let isFolder: boolean;
  try {
    isFolder = statSync(previous).isDirectory();
  } catch (e) {
    return problem(
      "E_PREVIOUS_UNREADABLE",
      { why: `${previous} cannot be read (${(e as NodeJS.ErrnoException).code ?? "?"})` },
      { file: previous, key: "--previous" },
    );
  }
  const read = readQuarterly(isFolder ? join(previous, "program", "results.json") : previous);
  return read.ok ? null : problem("E_PREVIOUS_UNREADABLE", { why: read.why }, { file: previous, key: "--previous" });
}

/** The previous results.json for a group: --previous names the program's file, or the previous batch's folder (checked by checkPrevious). */
function readPrevious(previous: string | null, group: string, folder: string): QuarterlyResults | null {
  if (!previous) return null;
  const path = statSync(previous).isDirectory()
    ? join(previous, folder, "results.json")
    : group === PROGRAM
      ? previous
      : null;
  if (!path || !existsSync(path)) return null;
  const read = readQuarterly(path);
  if (!read.ok)
    throw new ProblemError([problem("E_PREVIOUS_UNREADABLE", { why: read.why }, { file: path, key: "--previous" })]);
  return read.results;
}

function indexView(
  batch: BatchFigures,
  written: ReportWritten[],
  failed: BatchOutcome["failed"],
  runAt: string,
  folders: Map<string, string>,
) {
  return {
    title: `${batch.program}: quarterly reports, ${batch.period.title}`,
    program: batch.program,
    periodTitle: batch.period.title,
    cutoffDate: batch.cutoff,
    generatedAt: runAt.slice(0, 10),
    reports: written.map((w) => ({
      label: w.group === PROGRAM ? "Program (all sites)" : w.label,
      folder: folders.get(w.group)!,
      pdf: w.files.includes("report.pdf"),
    })),
    failed: failed.map((f) => ({
      group: f.group || "program",
      reason: f.problems[0]?.message ?? "",
      errors: f.problems.length,
    })),
  };
}

/** Run `work` on every item, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
