/**
 * Where outputs go, checked before any work and compared only after links are resolved. A command
 * that finds its output location unusable at publish time has done the whole run for nothing, and
 * used to end in a stack trace; here each cause is a coded problem naming the path, found first:
 * a file where the folder should be (or above it), no permission, a read-only or full disk, a name
 * too long for the disk. Paths are compared as the disk sees them (links resolved), so that a link
 * into the output folder cannot pass for a folder outside it.
 */
import { accessSync, constants, existsSync, mkdtempSync, rmSync, statSync, statfsSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { realpathSync } from "node:fs";
import { problem } from "../messages.ts";
import type { Problem } from "../problem.ts";

/** Room the outputs of one report take at most (HTML, PDF, JSON and tables): 16 MB. */
export const ROOM_PER_REPORT = 16 * 1024 * 1024;

/**
 * A path with every link in its existing part resolved: the folder the disk will write into.
 * @example realPath("reports/demo") // => "/home/me/study/reports/demo" (or where a link named reports/ points)
 */
export function realPath(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const up = dirname(existing);
    if (up === existing) break;
    rest.unshift(basename(existing));
    existing = up;
  }
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    real = existing; // a path under a file: the check below says so
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

/** The nearest folder at or above a path that exists, and the first existing thing that is not a folder. */
function nearest(path: string): { folder: string | null; file: string | null } {
  let p = resolve(path);
  for (;;) {
    if (existsSync(p)) return statSync(p).isDirectory() ? { folder: p, file: null } : { folder: null, file: p };
    const up = dirname(p);
    if (up === p) return { folder: null, file: null };
    p = up;
  }
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
 * Checks, before any work, that outputs can be published at `target`: it is a folder or can be made
 * one, it is writable, a staging folder can be made beside it with the name it will have, and its
 * disk has `need` bytes free. Returns the problem, or null when all is well.
 * @example checkOutputLocation("/etc/passwd/out", "x")?.code // => "E_OUTPUT_NOT_FOLDER"
 */
export function checkOutputLocation(target: string, stagingName: string, need = ROOM_PER_REPORT): Problem | null {
  const real = realPath(target);
  const where = { file: target };
  const found = nearest(real);
  if (found.file !== null) {
    const why = found.file === real ? `${target} is a file` : `${target} lies under the file ${found.file}`;
    return problem("E_OUTPUT_NOT_FOLDER", { why }, where);
  }
  if (found.folder === null) return problem("E_OUTPUT_UNWRITABLE", { reason: "no folder of the path exists" }, where);
  try {
    accessSync(found.folder, constants.W_OK | constants.X_OK);
    // The real test: the staging folder, made where and as it will be (this catches a read-only disk,
    // which access() as root does not, and a name too long for the disk).
    const parent = existsSync(real) ? dirname(real) : found.folder;
    if (existsSync(parent)) rmSync(mkdtempSync(join(parent, stagingName)), { recursive: true, force: true });
  } catch (e) {
    return problem("E_OUTPUT_UNWRITABLE", { reason: writeFailure(e) }, where);
  }
  try {
    const fs = statfsSync(found.folder);
    const free = Number(fs.bavail) * Number(fs.bsize);
    if (free < need) return problem("E_OUTPUT_NO_ROOM", { free: mb(free), need: mb(need) }, where);
  } catch {
    // statfs is not on every system: the writes themselves will say if the disk is full
  }
  return null;
}
