// Rewrites test/golden/demo-results.json from a demo run with a pinned run time, then the golden
// files can be accepted with UPDATE_GOLDEN=1. Run after an intended change to results.json:
//   node bin/run-ts.mjs scripts/refresh-golden-fixture.ts && UPDATE_GOLDEN=1 npx vitest run test/report/golden.test.ts
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadStudyConfig } from "../pipeline/config/load-config.ts";
import { runStudy } from "../pipeline/drivers/run-study.ts";
import { DEMO_CONFIG } from "../pipeline/cli.ts";

const study = loadStudyConfig(DEMO_CONFIG);
if (!study.ok) throw new Error("demo config invalid");
const outDir = mkdtempSync(join(tmpdir(), "alliance-fixture-"));
const run = await runStudy(study.value, { outDir, now: new Date("2026-01-15T09:00:00.000Z"), pdf: false });
if (!run.ok) throw new Error(JSON.stringify(run.problems));
const results = JSON.parse(readFileSync(join(outDir, "results.json"), "utf8"));
results.provenance.node_version = "20.x";
const target = fileURLToPath(new URL("../test/golden/demo-results.json", import.meta.url));
writeFileSync(target, JSON.stringify(results, null, 2) + "\n");
console.log(`wrote ${target}`);
