/**
 * The scaffold every command runs in, so that they all behave alike:
 *   1. arguments parsed and checked (a usage error: one line on stderr, exit 2; --help: exit 0);
 *   2. the leftovers of runs killed outright are removed (leftovers.ts, staged-output.ts);
 *   3. the command runs, writing its outputs into a staging folder (ctx.stage);
 *   4. on success the release check (privacy/release-check.ts) reads what is about to be published,
 *      and only if it passes are the outputs swapped in; stdout lists the files written, and
 *      nothing else goes to stdout;
 *   5. on failure the staging folder is discarded, the previous outputs are left as they were, and
 *      every problem is printed on stderr with its file, row, column and fix: exit 1.
 * A study too large for the machine (DuckDB out of memory) is a coded refusal, not a stack trace.
 */
import { chmodSync, mkdirSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { formatProblem, ProblemError, type Problem } from "../problem.ts";
import { isInside, isWriteFailure, writeFailure } from "../output/location.ts";
import { outOfMemoryProblem, problem } from "../messages.ts";
import { onEarlyStop, sweepLeftovers } from "../leftovers.ts";
import { progressOn, SILENT, type Progress } from "../progress.ts";
import { stageOutput, type Owned, type StagedOutput } from "../output/staged-output.ts";
import type { ReleaseRules } from "../privacy/release-check.ts";
import { publishChecked } from "../output/publish.ts";

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Where progress goes (stderr; a terminal gets the live line); none without it. */
  progress?: { write(s: string): unknown; isTTY?: boolean };
}

export const consoleIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l), progress: process.stderr };

/** How many problems are printed before "… and N more". */
const MAX_PRINTED = 40;

export type Values = Record<string, string | boolean | undefined>;

export interface Context {
  io: Io;
  /** What a long command says it is doing, on stderr (silent with --quiet). */
  progress: Progress;
  /**
   * A staging folder for the outputs of `target`, committed by the scaffold when the command
   * succeeds and discarded when it fails. `owns` lists the entries of `target` the command replaces.
   */
  stage(target: string, owns: readonly Owned[]): StagedOutput;
  /**
   * The folder for row-level working files (--keep-internal), made readable by the user only; null
   * when none are to be kept. Refused inside the output folder `outDir`, which users share.
   */
  internalDir(values: Values, outDir: string): { ok: true; dir: string | null } | { ok: false; problem: Problem };
}

export interface Done {
  /** Lines for stdout: what was written. */
  stdout: string[];
  /** What the release check looks for in each staged output before it is published (by its folder). */
  release: ReleaseRules | null;
  /** Things the user should know that did not stop the command (e.g. no browser for the PDF). */
  notices?: Problem[];
  /** Parts that failed although the outputs were published (a site's quarterly report): exit 1. */
  failures?: { headline: string; problems: Problem[] }[];
}

export type Outcome = { ok: true; value: Done } | { ok: false; headline: string; problems: Problem[] };

export const done = (value: Done): Outcome => ({ ok: true, value });
export const refused = (headline: string, problems: Problem[]): Outcome => ({ ok: false, headline, problems });

export interface Command {
  name: string;
  /** One line for `alliance --help`. */
  summary: string;
  /** The usage line(s), without "Usage: ". */
  usage: string;
  /** The rest of `alliance <name> --help`: options and what is written. */
  help: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  positionals?: boolean;
  /** What parseArgs cannot check (required options, combinations): a one-line usage error, or null. */
  check?(values: Values, positionals: string[]): string | null;
  run(values: Values, positionals: string[], ctx: Context): Promise<Outcome>;
}

/** The option every command that keeps working files takes. */
export const KEEP_INTERNAL = { "keep-internal": { type: "string" } } as const;

/** The option that silences progress, for the commands that report it. */
export const QUIET = { quiet: { type: "boolean" } } as const;

/** Runs one command as the user typed it; returns the exit code. */
export async function runCommand(command: Command, args: string[], io: Io): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: command.positionals ?? false,
      strict: true,
    }) as { values: Values; positionals: string[] });
  } catch (e) {
    io.err(`alliance ${command.name}: ${(e as Error).message}; try \`alliance ${command.name} --help\``);
    return 2;
  }
  if (values.help) {
    io.out(helpText(command));
    return 0;
  }
  const usage = command.check?.(values, positionals) ?? null;
  if (usage !== null) {
    io.err(`alliance ${command.name}: ${usage}; try \`alliance ${command.name} --help\``);
    return 2;
  }
  sweepLeftovers();
  const staged: StagedOutput[] = [];
  const ctx: Context = {
    io,
    stage(target, owns) {
      const out = stageOutput(target, owns);
      staged.push(out);
      onEarlyStop((signal) =>
        io.err(`alliance: ${formatProblem(problem("E_INTERRUPTED", { signal }, { file: shown(out.target) }))}`),
      );
      return out;
    },
    internalDir: (v, outDir) => internalDir(v, outDir),
    progress: values.quiet || !io.progress ? SILENT : progressOn(io.progress),
  };
  let outcome: Outcome;
  try {
    outcome = await command.run(values, positionals, ctx);
  } catch (e) {
    for (const s of staged) s.discard();
    outcome = refusalOf(
      e,
      staged.map((s) => s.target),
    );
  }
  if (!outcome.ok) {
    for (const s of staged) s.discard();
    printProblems(io, outcome.headline, outcome.problems);
    for (const s of staged) io.err(`alliance: the previous outputs in ${shown(s.target)} were left as they were`);
    return 1;
  }
  // The release check reads what is about to be published; nothing is, unless it passes.
  const release = outcome.value.release;
  if (release) ctx.progress.begin("check");
  const found = await publishChecked(staged, release, (s) => shown(s.target));
  if (release) ctx.progress.end("check", "release check of the outputs");
  if (found.length) {
    printProblems(io, `the release check found ${count(found, "problem")}; nothing was published`, found);
    for (const s of staged) io.err(`alliance: the previous outputs in ${shown(s.target)} were left as they were`);
    return 1;
  }
  for (const n of outcome.value.notices ?? []) io.err(`alliance: note: ${formatProblem(n)}`);
  for (const line of outcome.value.stdout) io.out(line);
  for (const f of outcome.value.failures ?? []) printProblems(io, f.headline, f.problems);
  return outcome.value.failures?.length ? 1 : 0;
}

/**
 * What the user is told of an error thrown during a command, instead of a stack trace: the problems
 * a step threw, DuckDB out of memory, a file or folder that could not be written (with the system's
 * reason), or else an internal error, a bug, whose stack only ALLIANCE_DEBUG=1 prints.
 */
export function refusalOf(e: unknown, targets: readonly string[] = []): Outcome {
  if (e instanceof ProblemError) return refused(`${count(e.problems, "problem")}; nothing was published`, e.problems);
  const oom = outOfMemoryProblem(e);
  if (oom) return refused("the run stopped: out of memory", [oom]);
  if (isWriteFailure(e)) {
    const path = (e as NodeJS.ErrnoException).path ?? targets[0];
    return refused("the outputs could not be written; nothing was published", [
      problem("E_OUTPUT_UNWRITABLE", { reason: writeFailure(e) }, path ? { file: shown(path) } : undefined),
    ]);
  }
  if (process.env.ALLIANCE_DEBUG) console.error(e);
  return refused("the command failed unexpectedly", [
    problem("E_INTERNAL_ERROR", { detail: e instanceof Error ? e.message.split("\n")[0]! : String(e) }),
  ]);
}

/** `alliance <command> --help`. */
export function helpText(c: Command): string {
  return `alliance ${c.name} — ${c.summary}\n\nUsage: ${c.usage}\n\n${c.help}`;
}

export function printProblems(io: Io, headline: string, problems: Problem[]): void {
  io.err(`alliance: ${headline}`);
  for (const p of problems.slice(0, MAX_PRINTED)) io.err(`  ${formatProblem(p)}`);
  if (problems.length > MAX_PRINTED)
    io.err(`  … and ${problems.length - MAX_PRINTED} more (\`alliance validate\` lists them all)`);
}

/** A path as the user should see it: relative to the current folder. */
export const shown = (path: string): string => relative(process.cwd(), path) || ".";

function internalDir(
  values: Values,
  outDir: string,
): { ok: true; dir: string | null } | { ok: false; problem: Problem } {
  const keep = values["keep-internal"];
  if (typeof keep !== "string") return { ok: true, dir: null };
  const dir = resolve(keep);
  const out = resolve(outDir);
  // Compared as the disk sees them: a link into the output folder is inside it.
  if (isInside(dir, out))
    return { ok: false, problem: problem("E_INTERNAL_INSIDE_OUTPUT", { out: shown(out) }, { key: "--keep-internal" }) };
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    statSync(dir);
  } catch (e) {
    return {
      ok: false,
      problem: problem(
        "E_OUTPUT_UNWRITABLE",
        { reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message },
        { file: dir, key: "--keep-internal" },
      ),
    };
  }
  return { ok: true, dir };
}

/**
 * The time a run records as its own: now, or SOURCE_DATE_EPOCH (seconds since 1970, the
 * reproducible-builds convention) when set, so that two runs can be compared byte for byte.
 * @example runTime({ SOURCE_DATE_EPOCH: "1767225600" }).toISOString() // => "2026-01-01T00:00:00.000Z"
 */
export function runTime(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  return epoch !== undefined && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
}

export const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;
export const count = (items: unknown[], noun: string): string => plural(items.length, noun);
