/**
 * Folders a run makes and must not leave behind: where DuckDB may move row-level data that does not
 * fit in memory (see openDb), the staging folder of outputs not yet published (staged-output.ts), and
 * the browser's profile. Each is named with the process id of the run that made it, so that:
 *   - a run that stops early (Ctrl-C, a stop signal, an error nobody caught) removes its own
 *     (removeAtExit); a finished run removed them as it went;
 *   - a run killed outright (SIGKILL, the machine's out-of-memory killer), which can remove nothing,
 *     has its folders removed by the next run, which sweeps those of processes that are gone
 *     (sweepLeftovers).
 * No dependencies beyond node:, so that the CLI can watch for stops without loading DuckDB.
 */
import { readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const open = new Set<string>();
const atStop: ((signal: NodeJS.Signals) => void)[] = [];
/** Processes this one started and must not leave running (the browser that prints the PDF). */
const children = new Set<number>();

/** Folder-name prefixes in the system's temporary folder, each followed by `<pid>-`. */
export const TEMP_PREFIXES = { spill: "alliance-duckdb-", browser: "alliance-chromium-" } as const;

/**
 * The prefix of a new folder of this process, for mkdtemp.
 * @example ownPrefix("alliance-duckdb-") // => "alliance-duckdb-4242-"
 */
export const ownPrefix = (prefix: string): string => `${prefix}${process.pid}-`;

/** Registers a folder to remove should the run stop early, until forgetLeftover. */
export function trackLeftover(dir: string): void {
  open.add(dir);
}

/** Removes a folder from the registry (its owner removed it, or published it). */
export function forgetLeftover(dir: string): void {
  open.delete(dir);
}

/** Registers a process to end should the run stop early, until forgetProcess. */
export function trackProcess(pid: number): void {
  children.add(pid);
}

/** Removes a process from the registry (its owner closed it). */
export function forgetProcess(pid: number): void {
  children.delete(pid);
}

/** Something else to do when the run stops early (e.g. say that the previous outputs were kept). */
export function onEarlyStop(task: (signal: NodeJS.Signals) => void): void {
  atStop.push(task);
}

const removeAll = () => {
  for (const dir of open) {
    try {
      // A browser just ended may still be writing into its profile: retried, and never thrown from a
      // stop handler (a folder still left is swept by the next run).
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 40 });
    } catch {
      // swept by the next run (sweepLeftovers)
    }
  }
  open.clear();
};

/** Exit statuses of the stop signals, as a shell reports a process they ended: 128 + the signal's number. */
export const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

/**
 * When the process exits (an uncaught error included) or gets SIGINT, SIGTERM or SIGHUP, removes
 * every registered folder and ends every registered process; on a signal it first runs the stop
 * tasks (saying what was kept), then exits at once with 128 + the signal's number (130, 143, 129).
 * Nothing is published after that, and no library's own handler (the browser driver has one) can
 * keep the process alive.
 * @example removeAtExit() // once, at the CLI's start
 */
export function removeAtExit(): void {
  process.once("exit", removeAll);
  process.once("exit", endChildren);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      for (const task of atStop.splice(0)) task(signal);
      endChildren();
      removeAll();
      process.exit(SIGNAL_EXIT[signal]);
    });
  }
}

const endChildren = () => {
  for (const pid of children) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  children.clear();
};

/**
 * Whether a process is running. A process of another user counts as running (we may not signal it).
 * @example isRunning(process.pid) // => true
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The process id in a leftover's name, after its prefix.
 * @example pidOf("alliance-duckdb-4242-Xa1b", "alliance-duckdb-") // => 4242
 */
export function pidOf(name: string, prefix: string): number | null {
  if (!name.startsWith(prefix)) return null;
  const m = /^(\d+)-/.exec(name.slice(prefix.length));
  return m ? Number(m[1]) : null;
}

/**
 * Removes the spill folders and browser profiles, in `dir` (the system's temporary folder), of runs
 * whose process is gone; returns what it removed.
 */
export function sweepLeftovers(dir: string = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    for (const prefix of Object.values(TEMP_PREFIXES)) {
      const pid = pidOf(name, prefix);
      if (pid === null || pid === process.pid || isRunning(pid)) continue;
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(join(dir, name));
    }
  }
  return removed;
}
