/**
 * Where outputs go, checked before any work and compared only after links are resolved. A command
 * that finds its output location unusable at publish time has done the whole run for nothing, and
 * used to end in a stack trace; here each cause is a coded problem naming the path, found first:
 * a file where the folder should be (or above it), no permission, a read-only or full disk, a name
 * too long for the disk. Paths are compared as the disk sees them (links resolved), so that a link
 * into the output folder cannot pass for a folder outside it.
 */
import { accessSync, constants, existsSync, realpathSync, statSync, statfsSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { problem } from "../messages.ts";
import type { Problem } from "../problem.ts";

/** Room the outputs of one report take at most (HTML, PDF, JSON and tables): 16 MB. */
export const ROOM_PER_REPORT = 16 * 1024 * 1024;

/** The longest part of a path that exists, and the names below it that do not. */
function existingPart(path: string): { existing: string; rest: string[] } {
  let existing = resolve(path);
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const up = dirname(existing);
    if (up === existing) break;
    rest.unshift(basename(existing));
    existing = up;
  }
  return { existing, rest };
}

/**
 * A path with every link in its existing part resolved: the folder the disk will write into.
 * @example realPath("reports/demo") // => "/home/me/study/reports/demo" (or where a link named reports/ points)
 */
export function realPath(path: string): string {
  const { existing, rest } = existingPart(path);
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    real = existing; // a path under a file: checkOutputLocation says so
  }
  return join(real, ...rest);
}

/**
 * Whether `inner` is `outer` or lies inside it, once links are resolved.
 * @example isInside("out/work", "out") // => true
 */
export function isInside(inner: string, outer: string): boolean {
  const rel = relative(realPath(outer), realPath(inner));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

/** What a failed write's code means, for the user. */
export function writeFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? "";
  const why: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "not permitted",
    EROFS: "the disk is read-only",
    ENOSPC: "the disk is full",
    EDQUOT: "the disk quota is used up",
    EFBIG: "a file would pass the file-size limit",
    ENAMETOOLONG: "a name is too long for the disk",
    ENOTDIR: "a part of the path is a file",
    EEXIST: "a file is in the way",
    EISDIR: "a folder is in the way",
    EXDEV: "the outputs would cross disks",
    EMFILE: "too many open files",
  };
  return why[code] ? `${why[code]} (${code})` : (e as Error).message;
}

/** Whether an error is a failure to write a file or folder (rather than a bug). */
export const isWriteFailure = (e: unknown): boolean =>
  typeof e === "object" &&
  e !== null &&
  typeof (e as NodeJS.ErrnoException).syscall === "string" &&
  typeof (e as NodeJS.ErrnoException).code === "string";

/**
 * Checks, before any work, that outputs can be published at `target`: nothing above it or at it is a
 * file, its nearest folder may be written (access() answers EROFS for a read-only disk, even to
 * root), and its disk has ROOM_PER_REPORT bytes free. Returns the problem, or null when all is well;
 * making the staging folder (staged-output.ts) finds what remains, such as a name too long.
 * @example checkOutputLocation("/etc/passwd/out")?.code // => "E_OUTPUT_NOT_FOLDER"
 */
export function checkOutputLocation(target: string): Problem | null {
  const where = { file: target };
  const { existing, rest } = existingPart(realPath(target));
  if (!statSync(existing).isDirectory()) {
    const why = rest.length === 0 ? `${target} is a file` : `${target} lies under the file ${existing}`;
    return problem("E_OUTPUT_NOT_FOLDER", { why }, where);
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (e) {
    return problem("E_OUTPUT_UNWRITABLE", { reason: writeFailure(e) }, where);
  }
  try {
    const fs = statfsSync(existing);
    const free = Number(fs.bavail) * Number(fs.bsize);
    if (free < ROOM_PER_REPORT)
      return problem("E_OUTPUT_NO_ROOM", { free: mb(free), need: mb(ROOM_PER_REPORT) }, where);
  } catch {
    // statfs is not on every system: the writes themselves will say if the disk is full
  }
  return null;
}
