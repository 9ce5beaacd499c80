/**
 * The driver of `alliance run`. One run, in five numbered phases, each a stage with an
 * artifact in the output folder:
 *
 *   1 read      CSV → DuckDB text tables                 01-read.json
 *   2 validate  rule catalogue → stop, or exclude+count  02-validation.json
 *   3 derive    one row per episode                      03-derived-episodes.csv
 *   4 analyze   exact statistics, retention by tier      04-analysis.json
 *   5 render    suppressed, shareable outputs            results.json, tables/*.csv, report.html, report.pdf
 *
 * The working files of phases 1–4 hold row-level data; they are written only when the user asks to
 * keep them (--keep-internal), to a folder of their own outside the output folder. Everything in the
 * output folder is built from results.json's suppressed numbers.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Study } from "../config/study.ts";
import { buildProvenance } from "../output/provenance.ts";
import { writeJson } from "../output/write-json.ts";
import { closeDb, openDb, queryRows } from "../db.ts";
import { problem } from "../messages.ts";
import { fail, ok, type Problem, type Result } from "../problem.ts";
import type { Results } from "../results.ts";
import type { Analysis, EpisodeColumns, RetentionAnalysis, SessionCourse } from "../phases/handoff.ts";
import { read } from "../phases/read/read.ts";
import { SILENT, type Progress } from "../progress.ts";
import { validate } from "../phases/validate/validate.ts";
import { derive } from "../phases/derive/derive.ts";
import { analyze, primaryPairs } from "../phases/analyze/analyze.ts";
import { analyzeDynamics } from "../phases/analyze/analyze-dynamics.ts";
import { analyzeRetentionInBackground } from "../phases/analyze/retention-in-background.ts";
import { primaryBootstrapInBackground } from "../phases/analyze/bootstrap-in-background.ts";
import { exactResults, shareableResults } from "../phases/render/shareable.ts";
import { readClientIds } from "../privacy/client-ids.ts";
import type { ReleaseRules } from "../privacy/release-check.ts";
import { writeResearchReport } from "../output/research-report.ts";
import type { Printer } from "../report/pdf.ts";

export interface RunOptions {
  /** Where the shareable outputs are written (the command's staging folder). */
  outDir: string;
  /** Where the row-level working files are written; null = none are kept. */
  internalDir?: string | null;
  /** The run's timestamp; fixed in tests so outputs can be compared. */
  now?: Date;
  /** Write the PDF (default true). */
  pdf?: boolean;
  /** Says what each phase did and how long it took (pipeline/progress.ts); silent by default. */
  progress?: Progress;
  /**
   * A browser already running, to print the PDF with (the app keeps one warm between runs); the run
   * neither starts nor closes it. Without it the run starts its own and closes it at the end.
   */
  printer?: Printer;
}

export interface RunSummary {
  outDir: string;
  results: Results;
  files: string[];
  /** Things the user should know that did not stop the run (e.g. no browser for the PDF). */
  notices: Problem[];
  /** What the release check must look for in the outputs before they are published. */
  release: ReleaseRules;
}

/** The browser and chart modules a run starts early, to overlap the data phases (see REPORT_TOOLS_AFTER_VALIDATE). */
interface ReportTools {
  printer: Promise<Result<Printer>> | null;
  charts: Promise<typeof import("../report/charts.ts")> | null;
  start(): void;
  /** Closes the browser the run started (not one it was given). */
  close(): Promise<void> | undefined;
}

function reportTools(options: RunOptions): ReportTools {
  const tools: ReportTools = {
    printer: null,
    charts: null,
    start() {
      if (options.pdf === false) tools.printer = null;
      else
        tools.printer = options.printer
          ? Promise.resolve(ok(options.printer))
          : import("../report/pdf.ts").then((m) => m.openPrinter());
      tools.printer?.catch(() => {}); // awaited later (or closed)
      tools.charts = import("../report/charts.ts");
      tools.charts.catch(() => {});
    },
    close: () =>
      options.printer
        ? undefined
        : tools.printer?.then((opened) => (opened.ok ? opened.value.close() : undefined)).catch(() => {}),
  };
  return tools;
}

/** Writes a row-level working file when the user asked to keep them (--keep-internal); none otherwise. */
function keeper(internal: string | null): (name: string, value: () => unknown) => void {
  if (internal)
    writeFileSync(
      join(internal, "README.txt"),
      "Internal working files of the run. They hold row-level data: do not share this folder.\n",
    );
  return (name, value) => {
    if (internal) writeJson(join(internal, name), value());
  };
}

/**
 * 4 analyze: the primary bootstrap and retention run on worker threads (for large studies) while the
 * main thread runs the rest. The bootstrap's worker starts first: a retention analysed in place (a
 * smaller study) runs before analyze, and the worker draws meanwhile. The primary pairs are read
 * once, for the bootstrap's worker and for analyze.
 */
async function analyzeAll(
  episodes: EpisodeColumns,
  course: SessionCourse | null,
  tiered: Study,
): Promise<{ analysis: Analysis; retention: RetentionAnalysis }> {
  const primary = primaryPairs(episodes);
  const bootstrap = primaryBootstrapInBackground(primary, tiered);
  const retentionDone = analyzeRetentionInBackground(episodes, tiered);
  retentionDone.catch(() => {}); // awaited below; this only keeps its failure from going unhandled if analyze throws first
  const analysis = analyze(episodes, tiered, { bootstrapElsewhere: bootstrap !== null, primaryPairs: primary });
  if (course) analysis.dynamics = analyzeDynamics(course, episodes, tiered);
  // This thread draws the bootstrap's blocks the worker has not reached.
  if (bootstrap) analysis.bootstrap = await bootstrap.finish();
  return { analysis, retention: await retentionDone };
}

export async function runStudy(study: Study, options: RunOptions): Promise<Result<RunSummary>> {
  const { outDir } = options;
  mkdirSync(outDir, { recursive: true });
  const internal = options.internalDir ?? null;
  const keep = keeper(internal);
  const runAt = (options.now ?? new Date()).toISOString();
  const progress = options.progress ?? SILENT;
  // The browser starts, and the chart modules load, while the data phases run (DuckDB works on
  // threads of its own): on a small study they are most of the run's time. A large study starts them
  // once validate, the peak of its memory, is over (see REPORT_TOOLS_AFTER_VALIDATE).
  const tools = reportTools(options);
  const toolsLater = inputBytes(study) > REPORT_TOOLS_AFTER_VALIDATE;
  if (!toolsLater) tools.start();
  const db = await openDb({ progress: progress !== SILENT });
  try {
    // 1 read
    const ingested = await read(db, study, { progress });
    if (!ingested.ok) return ingested;
    keep("01-read.json", () => ingested.value);

    // 2 validate
    // The rows of warnings are listed only for the working files; errors always.
    const validated = await validate(db, study, ingested.value, { listAll: internal !== null, progress });
    keep("02-validation.json", () => (validated.ok ? validated.value : { errors: validated.problems }));
    if (!validated.ok) return validated;
    if (toolsLater) tools.start();
    const clientIdsRead = await readClientIds(db, "validated");

    // 3 derive
    progress.begin("derive", () => Number(db.progress.rows_processed));
    const artifact = internal ? join(internal, "03-derived-episodes.csv") : undefined;
    const { episodes, tierCutPoints, course } = await derive(db, study, artifact);
    progress.end("derive", `${episodes.n.toLocaleString("en-US")} episodes`);
    const empty = nothingToAnalyse(episodes.early_alliance, ingested.value, study);
    if (empty) return fail(empty);
    // From here on the tier rule carries the cut points actually used (e.g. computed quantiles).
    const tiered: Study = { ...study, tiers: { ...study.tiers, cutPoints: tierCutPoints } };

    // 4 analyze
    progress.begin("analyze");
    const { analysis, retention } = await analyzeAll(episodes, course, tiered);
    keep("04-analysis.json", () => ({ ...analysis, retention }));
    progress.end("analyze");

    // 5 render
    progress.begin("render");
    const provenance = await buildProvenance(db, study, ingested.value.files, runAt, clientIdsRead);
    const inputs = [tiered, ingested.value, validated.value, analysis, retention, provenance] as const;
    const results = shareableResults(...inputs);
    keep("05-exact-results.json", () => exactResults(...inputs));
    const printer = options.pdf === false ? null : tools.printer!;
    const written = await writeResearchReport(outDir, results, await tools.charts!, printer, progress);
    if (!written.ok) return written;
    const dates = new Set([study.cutoffDate, runAt.slice(0, 10)]);
    const release: ReleaseRules = {
      kind: "research",
      minCellSize: study.minCellSize,
      clientIds: clientIdsRead,
      allowedDates: dates,
    };
    return ok({ outDir, results, files: written.value.files, notices: written.value.notices, release });
  } finally {
    // The browser closes while the database does (each takes about 0.1 s on the demo).
    const closing = tools.close();
    closeDb(db);
    await closing;
  }
}

/**
 * Input files (episodes and sessions, in bytes) above which the chart modules load and the browser
 * starts after validate rather than at the start of the run. They hold about 47 MB of the run's own
 * memory (charts 29 MB, the PDF modules 18 MB), which at a million episodes (343 MB of CSV) sat beside
 * validate's per-episode pass, the run's peak; there, derive and analyze take long enough to hide the
 * start. The demo (0.2 MB) and a 100,000-episode study (33 MB) still start them at once, where
 * overlapping read and validate is what they gain.
 */
export const REPORT_TOOLS_AFTER_VALIDATE = 64 * 1024 * 1024;

/** The size of a study's input files, in bytes (one file, in the long and wide layouts, counted once). */
function inputBytes(study: Study): number {
  return [...new Set(Object.values(study.files))].reduce(
    (n, path) => n + (existsSync(path) ? statSync(path).size : 0),
    0,
  );
}

/**
 * Why no episode can be analysed, or null when some can: a report on none would show only empty
 * tables, so the run stops and says why instead. `earlyAlliance` is each derived episode's early
 * alliance score (NaN without one).
 */
export function nothingToAnalyse(
  earlyAlliance: Float64Array,
  ingested: { files: { role: string; rows: number }[] },
  study: Study,
): Problem | null {
  if (earlyAlliance.some((v) => v === v)) return null; // a score that is not NaN (missing)
  const read = ingested.files.find((f) => f.role === "episodes")?.rows ?? 0;
  const reason =
    earlyAlliance.length === 0
      ? `every one of the ${read} episodes was admitted after the data cutoff ${study.cutoffDate}`
      : `none of the ${earlyAlliance.length} episodes admitted by the cutoff ${study.cutoffDate} has an alliance rating on or before it`;
  return problem("E_NOTHING_TO_ANALYSE", { reason });
}
