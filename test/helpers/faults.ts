/**
 * Helpers for the fault tests (test/e2e/*-faults.test.ts): the real CLI in a child process (as
 * another user, under a file-size limit, signalled at a moment of its run), a snapshot of an output
 * folder to compare byte for byte, and the row of docs/failures.md that says what a fault gives.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export const BIN = fileURLToPath(new URL("../../bin/alliance.mjs", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI in a child process; `fileSizeKb` sets a file-size limit (ulimit -f). */
export function cli(
  args: string[],
  options: { fileSizeKb?: number; env?: Record<string, string>; cwd?: string } = {},
): CliResult {
  const command = options.fileSizeKb
    ? ["sh", ["-c", `ulimit -f ${options.fileSizeKb}; exec "$0" "$@"`, process.execPath, BIN, ...args]]
    : [process.execPath, [BIN, ...args]];
  const r = spawnSync(command[0] as string, command[1] as string[], {
    encoding: "utf8",
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The CLI in a child process, sent `signal` `delayMs` after `when` holds: a pattern its stderr shows
 * (a progress line, e.g. the end of the render phase, when the PDF begins), or a test of its process
 * id polled every 50 ms (e.g. its browser is running).
 */
export function cliSignalled(
  args: string[],
  signal: NodeJS.Signals,
  when: RegExp | ((pid: number) => boolean),
  delayMs = 0,
): Promise<CliResult & { pid: number; sent: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let sent = false;
    const send = () => {
      if (sent) return;
      sent = true;
      setTimeout(() => child.kill(signal), delayMs);
    };
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr += d;
      if (when instanceof RegExp && when.test(stderr)) send();
    });
    const poll = typeof when === "function" ? setInterval(() => when(child.pid!) && send(), 50) : null;
    child.on("exit", (status, sig) => {
      if (poll) clearInterval(poll);
      resolve({ status, signal: sig, stdout, stderr, pid: child.pid!, sent });
    });
  });
}

/** Browsers still running that a CLI process with this id started (their profile folder names it). */
export function browsersOf(pid: number): string[] {
  const r = spawnSync("pgrep", ["-f", `alliance-chromium-${pid}-`], { encoding: "utf8" });
  return r.stdout.trim().split("\n").filter(Boolean);
}

/** Every file under a folder with the SHA-256 of its bytes; null when the folder does not exist. */
export function snapshot(dir: string): Record<string, string> | null {
  if (!existsSync(dir)) return null;
  const out: Record<string, string> = {};
  const visit = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) visit(p);
      else out[relative(dir, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  visit(dir);
  return out;
}

/** Staging folders, or copies mid-move, left in a folder. */
export const leftovers = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir).filter((n) => n.includes(".alliance-staging-") || n.includes(".alliance-copy-"))
    : [];

/** Whether stderr holds a stack frame. */
export const hasStack = (stderr: string): boolean =>
  /^\s+at\s+\S.*(:\d+:\d+\)?|\(native\))$/m.test(stderr) || /\n\s+at (async )?\S+ \(/.test(stderr);

/** The codes named on stderr, in order. */
export const codesOf = (stderr: string): string[] => [...stderr.matchAll(/\[([EWN]_[A-Z_]+)\]/g)].map((m) => m[1]!);

const DOC = fileURLToPath(new URL("../../docs/failures.md", import.meta.url));

/** The rows of docs/failures.md's table: fault, code, exit. */
export function documentedFailures(): { fault: string; code: string | null; exit: number }[] {
  return readFileSync(DOC, "utf8")
    .split("\n")
    .filter((l) => /^\| [^-|]/.test(l) && !l.startsWith("| fault"))
    .map((l) => l.split("|").map((c) => c.trim()))
    .map((c) => ({
      fault: c[1]!.replace(/`/g, ""),
      code: /^`([EWN]_[A-Z_]+)`$/.exec(c[2]!)?.[1] ?? null,
      exit: Number(c[3]),
    }));
}

/** Asserts that a result is what docs/failures.md says the fault gives: its exit status, its code, no stack trace. */
export function expectAsDocumented(fault: string, r: CliResult): void {
  const row = documentedFailures().find((f) => f.fault === fault);
  expect(row, `docs/failures.md has no row "${fault}"`).toBeDefined();
  const context = `${fault}\n${r.stderr}`;
  expect(r.status, context).toBe(row!.exit);
  if (row!.code) expect(codesOf(r.stderr), context).toContain(row!.code);
  expect(hasStack(r.stderr), context).toBe(false);
}

/** Whether this process may mount a small tmpfs (root, with the capability): for the full-disk case. */
export function canMount(dir: string): boolean {
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", dir], { stdio: "ignore" });
  if (r.status !== 0) return false;
  spawnSync("umount", [dir], { stdio: "ignore" });
  return true;
}

export const isRoot = (): boolean => typeof process.getuid === "function" && process.getuid() === 0;

/**
 * A folder that can be made read-only the way a user meets it, for the CLI run as this same user:
 * as root, a small memory disk mounted there and remounted read-only (permission bits do not bind
 * root; the CLI then meets EROFS); as anyone else, its permission bits. Null when neither can be
 * done (root without the right to mount).
 */
export function readOnlyFolder(dir: string): { seal(): void; release(): void } | null {
  mkdirSync(dir, { recursive: true });
  if (isRoot()) {
    if (spawnSync("mount", ["-t", "tmpfs", "-o", "size=64m", "tmpfs", dir], { stdio: "ignore" }).status !== 0)
      return null;
    return {
      seal: () => void spawnSync("mount", ["-o", "remount,ro", dir], { stdio: "ignore" }),
      release: () => void spawnSync("umount", [dir], { stdio: "ignore" }),
    };
  }
  const folders = () =>
    [dir, ...readdirSync(dir, { recursive: true, encoding: "utf8" }).map((f) => join(dir, f))].filter((f) =>
      statSync(f).isDirectory(),
    );
  return {
    seal: () => folders().forEach((f) => chmodSync(f, 0o555)),
    release: () =>
      folders()
        .reverse()
        .forEach((f) => chmodSync(f, 0o755)),
  };
}
