/**
 * Temporary folders for tests, removed when the test file has run (test/setup/clean-up.ts), so that
 * repeated runs of the suite do not fill the disk with reports and study files.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { atFileEnd } from "./cleanup.ts";

/**
 * A fresh empty folder under the system's temporary folder.
 * @example const dir = tempDir("alliance-init-") // => "/tmp/alliance-init-Xa12bc"
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  atFileEnd(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
