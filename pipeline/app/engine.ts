/**
 * The app's warm engine: it keeps the pipeline's modules loaded and one Chromium running between
 * runs (starting a new one when it has died), and runs one study at a time. A run publishes into its
 * own folder exactly as the CLI does: staged, release-checked and swapped in only when it has
 * finished (output/publish.ts), so a failed or killed run leaves every earlier run's outputs whole.
 * Each run keeps the events of its phases, which the API streams to the page.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Printer } from "../report/pdf.ts";
import { loadStudyConfig } from "../config/load-config.ts";
import { stageOutput } from "../output/staged-output.ts";
import { publishChecked } from "../output/publish.ts";
import { RUN_OUTPUTS } from "../commands/run.ts";
import { refusalOf, runCommand as runCliCommand, runTime } from "../commands/command.ts";
import { reportCommand } from "../commands/report.ts";
import { problem } from "../messages.ts";
import type { Problem } from "../problem.ts";
import type { Progress } from "../progress.ts";

/** What a run does: the research report (`alliance run`) or a quarterly batch (`alliance report`). */
export type RunRequest = { kind: "study" } | { kind: "quarterly"; period: string; by: "site" | null };

export interface RunEvent {
  /** begin / end of a phase, then one of done / failed. */
  type: "begin" | "end" | "done" | "failed";
  phase?: string;
  seconds?: number;
  detail?: string;
  problems?: Problem[];
  files?: string[];
}

export interface RunRecord {
  id: string;
  study: string;
  request: RunRequest;
  status: "queued" | "running" | "done" | "failed";
  events: RunEvent[];
  /** The published files, relative to the run's folder. */
  files: string[];
  problems: Problem[];
  notices: Problem[];
  started: string | null;
  finished: string | null;
}

type Listener = (e: RunEvent) => void;
type Outcome = { files: string[]; notices: Problem[] } | Problem[];

/** One Chromium kept between runs: started on first use, and again whenever it has died. */
function warmBrowser() {
  let printer: Promise<Printer | null> | null = null;
  return {
    async get(): Promise<Printer | null> {
      const current = printer ? await printer : null;
      if (current?.alive()) return current;
      if (current) await current.close();
      printer = import("../report/pdf.ts").then(async (m) => {
        const opened = await m.openPrinter(undefined, { reuseTabs: true }).catch(() => null);
        return opened?.ok ? opened.value : null;
      });
      return printer;
    },
    pid: async () => (printer ? await printer : null)?.pid() ?? null,
    async close() {
      await (printer ? await printer : null)?.close();
    },
  };
}

/** The pipeline's progress as events of a run: the begin and end of each phase, with its seconds. */
function progressOf(emit: (e: RunEvent) => void): Progress {
  let started = performance.now();
  return {
    begin(phase) {
      started = performance.now();
      emit({ type: "begin", phase });
    },
    end(phase, detail) {
      const seconds = Number(((performance.now() - started) / 1000).toFixed(2));
      emit({ type: "end", phase, seconds, ...(detail ? { detail } : {}) });
    },
  };
}

/** The research report of the study in `studyDir`, staged, checked and published into `outDir`. */
async function runStudyIn(
  studyDir: string,
  outDir: string,
  progress: Progress,
  printer: Printer | null,
  pdf: boolean,
): Promise<Outcome> {
  const study = loadStudyConfig(join(studyDir, "study.yaml"));
  if (!study.ok) return study.problems;
  const out = stageOutput(outDir, RUN_OUTPUTS);
  try {
    const { runStudy } = await import("../drivers/run-study.ts");
    const result = await runStudy(study.value, {
      outDir: out.dir,
      pdf,
      now: runTime(),
      progress,
      ...(printer ? { printer } : {}),
    });
    if (!result.ok) {
      out.discard();
      return result.problems;
    }
    progress.begin("check");
    const found = await publishChecked([out], result.value.release, () => "");
    progress.end("check", "release check of the outputs");
    return found.length ? found : { files: result.value.files, notices: result.value.notices };
  } catch (e) {
    out.discard();
    throw e; // told as the CLI tells it (refusalOf, in executeRun)
  }
}

/** A quarterly batch through the CLI's own command, in this process. */
async function runQuarterlyIn(
  studyDir: string,
  outDir: string,
  progress: Progress,
  request: { period: string; by: "site" | null },
  pdf: boolean,
): Promise<Outcome> {
  const lines: string[] = [];
  progress.begin("quarterly");
  const args = [
    "--config",
    join(studyDir, "study.yaml"),
    "--period",
    request.period,
    "--out",
    outDir,
    ...(request.by ? ["--by", request.by] : []),
    ...(pdf ? [] : ["--no-pdf"]),
  ];
  const code = await runCliCommand(reportCommand, args, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
  progress.end("quarterly", request.period);
  if (code !== 0)
    return [problem("E_APP_REQUEST", { reason: lines.map((l) => l.replace(/^alliance: /, "")).join("\n") })];
  return { files: listFiles(outDir), notices: [] };
}

/** Records how a run ended, tells its listeners, and keeps the record beside its outputs. */
function finish(run: RunRecord, outDir: string, outcome: Outcome, emit: (e: RunEvent) => void): void {
  run.finished = new Date().toISOString();
  if (Array.isArray(outcome)) {
    run.status = "failed";
    run.problems = outcome;
    emit({ type: "failed", problems: outcome });
  } else {
    run.status = "done";
    run.files = outcome.files;
    run.notices = outcome.notices;
    emit({ type: "done", files: outcome.files });
  }
  if (existsSync(outDir)) writeFileSync(join(outDir, ".run.json"), JSON.stringify(run, null, 2) + "\n");
}

/** Runs one queued run to its end; a thrown error is a failed run, not a crash of the app. */
async function executeRun(
  run: RunRecord,
  studyDir: string,
  outDir: string,
  deps: { browser: ReturnType<typeof warmBrowser>; pdf: boolean; emit: (e: RunEvent) => void },
): Promise<void> {
  run.status = "running";
  run.started = new Date().toISOString();
  const progress = progressOf(deps.emit);
  let outcome: Outcome;
  try {
    const request = run.request;
    outcome =
      request.kind === "study"
        ? await runStudyIn(studyDir, outDir, progress, deps.pdf ? await deps.browser.get() : null, deps.pdf)
        : await runQuarterlyIn(studyDir, outDir, progress, request, deps.pdf);
  } catch (e) {
    // Out of memory, a write that failed, or a bug: coded as the CLI's scaffold codes them.
    const refusal = refusalOf(e, [outDir]);
    outcome = refusal.ok ? [] : refusal.problems;
  }
  finish(run, outDir, outcome, deps.emit);
}

export function createEngine(options: { pdf: boolean }) {
  const runs = new Map<string, RunRecord>();
  const listeners = new Map<string, Set<Listener>>();
  const browser = warmBrowser();
  let queue: Promise<void> = Promise.resolve();

  const emitter = (run: RunRecord) => (e: RunEvent) => {
    run.events.push(e);
    for (const l of listeners.get(run.id) ?? []) l(e);
  };

  return {
    runs,
    /** Queues a run of the study in `studyDir`, published into `<studyDir>/runs/<id>`; returns its record at once. */
    start(studyId: string, studyDir: string, request: RunRequest): RunRecord {
      const id = randomBytes(6).toString("hex");
      const run: RunRecord = {
        id,
        study: studyId,
        request,
        status: "queued",
        events: [],
        files: [],
        problems: [],
        notices: [],
        started: null,
        finished: null,
      };
      runs.set(id, run);
      const outDir = join(studyDir, "runs", id);
      queue = queue.then(async () => {
        await executeRun(run, studyDir, outDir, { browser, pdf: options.pdf, emit: emitter(run) });
        listeners.delete(run.id);
      });
      return run;
    },
    /** A run of this session, or one an earlier session published (read from its folder). */
    find(studyDir: string, id: string): RunRecord | null {
      const live = runs.get(id);
      if (live) return live;
      const saved = join(studyDir, "runs", id, ".run.json");
      return /^[a-f0-9]{12}$/.test(id) && existsSync(saved)
        ? (JSON.parse(readFileSync(saved, "utf8")) as RunRecord)
        : null;
    },
    /** Calls `listener` with each later event of the run until it ends; returns the unsubscribe. */
    listen(id: string, listener: Listener): () => void {
      const set = listeners.get(id) ?? new Set();
      set.add(listener);
      listeners.set(id, set);
      return () => set.delete(listener);
    },
    /** Whether a run of the study is queued or running. */
    busy: (studyId: string) =>
      [...runs.values()].some((r) => r.study === studyId && (r.status === "queued" || r.status === "running")),
    /** The warm browser's process id, or null when none runs (for tests of a browser that dies). */
    browserPid: () => browser.pid(),
    /** Starts the browser ahead of the first run. */
    warm: () => (options.pdf ? browser.get().then(() => undefined) : Promise.resolve()),
    async close() {
      await queue.catch(() => {});
      await browser.close();
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;

/** Every file under a folder, relative to it, in a stable order. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(path);
      else if (!e.name.startsWith(".")) out.push(path);
    }
  };
  if (existsSync(dir)) visit("");
  return out.sort();
}
