/**
 * Outputs replaced only by a finished run. A command writes into a staging folder beside its output
 * folder (same disk, so entries move by rename), and only when it has succeeded are the entries it
 * owns in the output folder swapped for the new ones (commit). A run that fails, is interrupted or is
 * killed leaves the previous outputs as they were:
 *   - failed: the command discards the staging folder;
 *   - interrupted (Ctrl-C, SIGTERM): the staging folder is a leftover, removed on the way out;
 *   - killed outright: the next command that writes beside it finds the staging folder of a process
 *     that is gone, and removes it; should the kill have come in the middle of a commit (a few
 *     renames), the journal written before the first rename lets it put the previous outputs back.
 * The output folder may hold other things (the quarterly batches inside a study's report folder,
 * say): only the entries a command owns are replaced, and owned entries the new run did not write
 * (a PDF from an earlier run, say) are removed, so nothing stale looks current.
 */
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { problem } from "../messages.ts";
import { ProblemError } from "../problem.ts";
import { checkOutputLocation, realPath, writeFailure } from "./location.ts";
import { forgetLeftover, isRunning, trackLeftover } from "../leftovers.ts";

export interface StagedOutput {
  /** The folder the outputs are published to. */
  readonly target: string;
  /** Where the command writes them until commit. */
  readonly dir: string;
  /** The path in the staging folder of an output (relative, e.g. "tables/flow.csv"); its folder is made. */
  path(relative: string): string;
  /** Swaps the owned entries of the output folder for those written; returns the entries published. */
  commit(): string[];
  /** Removes the staging folder; the output folder is untouched. */
  discard(): void;
}

/** An owned entry: a name ("report.html") or a name with one trailing * ("site-*"). */
export type Owned = string;

const JOURNAL = ".commit.json";
const PREVIOUS = ".previous";
/**
 * The start of a staging folder's name: `.<target>.alliance-staging-`, with a long target name cut
 * short and a hash of it added, so that the name stays within what a disk allows (255 bytes).
 * @example stagingPrefix("/r/demo") // => ".demo.alliance-staging-"
 */
export const stagingPrefix = (target: string): string => {
  const name = basename(target);
  const short =
    Buffer.byteLength(name) <= 64
      ? name
      : `${Buffer.from(name)
          .subarray(0, 40)
          .toString("utf8")
          .replace(/\uFFFD+$/, "")}~${createHash("sha256").update(name).digest("hex").slice(0, 8)}`;
  return `.${short}.alliance-staging-`;
};

interface Journal {
  target: string;
  /** Entries moved from the staging folder into the target. */
  incoming: string[];
}

const matches = (name: string, owns: readonly Owned[]) =>
  owns.some((o) => (o.endsWith("*") ? name.startsWith(o.slice(0, -1)) : name === o));

/**
 * Opens a staging folder for `target`, first recovering the staging folders beside it of runs whose
 * process is gone.
 * @param owns the entries of the target this command replaces
 * @example const out = stageOutput("reports/demo", ["report.html", "results.json", "tables"]); writeFileSync(out.path("results.json"), "{}"); out.commit() // => ["results.json"]
 */
export function stageOutput(target: string, owns: readonly Owned[]): StagedOutput {
  // The staging folder goes beside the real target (links resolved), so that it is on the same disk
  // and its entries move in by rename.
  const abs = realPath(target);
  const parent = dirname(abs);
  const unusable = checkOutputLocation(abs);
  if (unusable) throw new ProblemError([unusable]);
  let dir: string;
  try {
    mkdirSync(parent, { recursive: true });
    recoverStaging(parent);
    dir = mkdtempSync(join(parent, `${stagingPrefix(abs)}${process.pid}-`));
  } catch (e) {
    throw new ProblemError([problem("E_OUTPUT_UNWRITABLE", { reason: writeFailure(e) }, { file: target })]);
  }
  trackLeftover(dir);
  let done = false;
  return {
    target: abs,
    dir,
    path(relative) {
      const p = join(dir, relative);
      mkdirSync(dirname(p), { recursive: true });
      return p;
    },
    commit() {
      if (done) throw new Error("stageOutput: already committed or discarded");
      done = true;
      const incoming = readdirSync(dir).filter((n) => n !== JOURNAL && n !== PREVIOUS);
      const stray = incoming.filter((n) => !matches(n, owns));
      if (stray.length) throw new Error(`stageOutput: ${stray.join(", ")} written but not owned`);
      try {
        mkdirSync(abs, { recursive: true });
        writeFileSync(join(dir, JOURNAL), JSON.stringify({ target: abs, incoming } satisfies Journal));
        mkdirSync(join(dir, PREVIOUS));
        for (const name of readdirSync(abs)) if (matches(name, owns)) move(join(abs, name), join(dir, PREVIOUS, name));
        for (const name of incoming) move(join(dir, name), join(abs, name));
      } catch (e) {
        rollBack(dir);
        rmSync(dir, { recursive: true, force: true });
        forgetLeftover(dir);
        throw new ProblemError([problem("E_OUTPUT_UNWRITABLE", { reason: writeFailure(e) }, { file: target })]);
      }
      // The journal goes first: from here on the new outputs are in place, whatever is left to remove.
      unlinkSync(join(dir, JOURNAL));
      rmSync(dir, { recursive: true, force: true });
      forgetLeftover(dir);
      return incoming;
    },
    discard() {
      if (done) return;
      done = true;
      rmSync(dir, { recursive: true, force: true });
      forgetLeftover(dir);
    },
  };
}

/** A staging folder's name: `.<target>.alliance-staging-<pid>-<random>`. */
const STAGING_NAME = /^\.(.+)\.alliance-staging-(\d+)-[^/]*$/;

/**
 * Removes the staging folders in `parent` of runs whose process is gone; where one was killed in the
 * middle of its commit, first puts the previous outputs of its target back (and takes out the new
 * ones already moved in). Returns the staging folders removed.
 */
export function recoverStaging(parent: string): string[] {
  if (!existsSync(parent)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(parent)) {
    const m = STAGING_NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || isRunning(pid)) continue;
    const dir = join(parent, name);
    rollBack(dir);
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/**
 * Undoes a commit that did not finish: takes out the new entries moved in, and puts the previous ones
 * back, in the target its journal names.
 */
function rollBack(dir: string): void {
  const journalPath = join(dir, JOURNAL);
  if (!existsSync(journalPath)) return; // no commit began: the target was never touched
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as Journal;
  const target = journal.target;
  for (const entry of journal.incoming) {
    if (!existsSync(join(dir, entry)) && existsSync(join(target, entry)))
      rmSync(join(target, entry), { recursive: true, force: true });
  }
  const previous = join(dir, PREVIOUS);
  if (existsSync(previous)) for (const entry of readdirSync(previous)) move(join(previous, entry), join(target, entry));
  unlinkSync(journalPath);
}

/**
 * Moves an entry by rename; where the rename would cross disks (the target is a mount point, say),
 * copies it beside its destination first and renames that into place, so that the destination never
 * holds half an entry.
 */
function move(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
    const near = `${to}.alliance-copy-${process.pid}`;
    cpSync(from, near, { recursive: true });
    renameSync(near, to);
    rmSync(from, { recursive: true, force: true });
  }
}
