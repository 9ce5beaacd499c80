/**
 * The folders where open databases may move row-level data that does not fit in memory (see
 * openDb), so that a run that stops early (Ctrl-C, a stop signal, an error nobody caught) removes
 * them too: closeDb removes each at the end of a run, which such a stop never reaches. No
 * dependencies, so that the CLI can watch for stops without loading DuckDB.
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

const removeAll = () => {
  for (const dir of open) rmSync(dir, { recursive: true, force: true });
};

/**
 * When the process exits (an uncaught error included) or gets SIGINT or SIGTERM, removes every
 * registered folder; a signal then ends the process as it would have (exit status 128 + its number).
 * @example removeSpillFoldersAtExit() // once, at the CLI's start
 */
export function removeSpillFoldersAtExit(): void {
  process.once("exit", removeAll);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      removeAll();
      process.kill(process.pid, signal);
    });
  }
}
