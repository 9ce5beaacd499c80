/**
 * The provenance of a run, as results.json records it: the package, Node and DuckDB versions, the
 * run's time, the SHA-256 and rows of each input and of the config, and the release check's checks,
 * so that a run can be reproduced and its inputs recognised.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { PACKAGE } from "../root.ts";
import type { Study } from "../config/study.ts";
import { queryRows } from "../db.ts";
import type { Provenance } from "../results.ts";
import type { ClientIds } from "../privacy/client-ids.ts";
import { RELEASE_CHECKS } from "../privacy/release-check.ts";

/**
 * @example (await buildProvenance(db, study, files, "2026-01-01T00:00:00.000Z", ids)).config.file // => "study.yaml"
 */
export async function buildProvenance(
  db: Parameters<typeof queryRows>[0],
  study: Study,
  files: { role: "episodes" | "sessions"; path: string; sha256: string; rows: number }[],
  runAt: string,
  ids: ClientIds,
): Promise<Provenance> {
  const [{ v }] = (await queryRows<{ v: string }>(db, "SELECT version() AS v")) as [{ v: string }];
  return {
    package: PACKAGE.name,
    package_version: PACKAGE.version,
    run_at: runAt,
    node_version: process.versions.node,
    duckdb_version: v,
    inputs: files.map((f) => ({ role: f.role, file: basename(f.path), sha256: f.sha256, rows: f.rows })),
    config: {
      file: basename(study.configPath),
      sha256: createHash("sha256").update(readFileSync(study.configPath)).digest("hex"),
    },
    release_check: { checks: RELEASE_CHECKS, plain_number_ids_not_checked: ids.skipped > 0 },
  };
}
