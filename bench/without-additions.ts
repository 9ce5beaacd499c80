/**
 * Rewrites a results.json without the names that results schema 2.1.0 added (clustering, the robust
 * Cox columns, the cluster-robust log-rank) and without schema_version, so that bench/same-results.sh
 * can check that nothing else changed.
 *   node bin/run-ts.mjs bench/without-additions.ts reports/demo/results.json
 */
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
if (!file) throw new Error("usage: bench/without-additions.ts <results.json>");
const r = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown> & {
  retention?: { logrank_robust?: unknown; hazard_ratios?: { robust?: unknown }[]; not_estimable?: { test: string }[] };
};
delete r.schema_version;
delete r.clustering;
if (r.retention) {
  delete r.retention.logrank_robust;
  for (const h of r.retention.hazard_ratios ?? []) delete h.robust;
  r.retention.not_estimable = (r.retention.not_estimable ?? []).filter((x) => x.test !== "logrank_robust");
}
writeFileSync(file, JSON.stringify(r, null, 2) + "\n");
