/**
 * The folders where open databases may move row-level data that does not fit in memory (see
 * openDb), so that an interrupted run (Ctrl-C, or a stop signal) removes them too: closeDb removes
 * each at the end of a run, and an interrupt never reaches it. No dependencies, so that the CLI
 * can watch for interrupts without loading DuckDB.
 */
import { rmSync } from "node:fs";

const open = new Set<string>();

/** Registers a database's folder, until forgetSpillFolder. */
export function trackSpillFolder(dir: string): void {
  open.add(dir);
}

/** Removes a folder from the registry (closeDb removes the folder itself). */
export function forgetSpillFolder(dir: string): void {
  open.delete(dir);
}

/**
 * On SIGINT or SIGTERM, removes every registered folder and then lets the signal end the process as
 * it would have (exit status 128 + signal number).
 * @example removeSpillFoldersOnInterrupt() // once, at the CLI's start
 */
export function removeSpillFoldersOnInterrupt(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      for (const dir of open) rmSync(dir, { recursive: true, force: true });
      process.kill(process.pid, signal);
    });
  }
}
