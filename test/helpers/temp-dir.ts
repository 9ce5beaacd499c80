/**
 * Temporary folders for tests, removed when the test file has run (test/setup/remove-temp-dirs.ts),
 * so that repeated runs of the suite do not fill the disk with reports and study files.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const created: string[] = [];

/**
 * A fresh empty folder under the system's temporary folder.
 * @example const dir = tempDir("alliance-init-") // => "/tmp/alliance-init-Xa12bc"
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every folder tempDir made in this test file. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}
