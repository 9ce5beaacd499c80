import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadStudyConfig } from "../../pipeline/config/load-config.ts";
import { runStudy } from "../../pipeline/drivers/run-study.ts";
import { DEMO_CONFIG } from "../../pipeline/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";

describe("reproducibility", () => {
  it("gives byte-identical results.json, tables and HTML for the same inputs, config and run time", async () => {
    const study = loadStudyConfig(DEMO_CONFIG);
    if (!study.ok) throw new Error("demo config invalid");
    const now = new Date("2026-01-15T09:00:00Z");
    const dirs = [tempDir("alliance-r1-"), tempDir("alliance-r2-")];
    for (const outDir of dirs) {
      const run = await runStudy(study.value, { outDir, now, pdf: false });
      expect(run.ok).toBe(true);
    }
    for (const f of [
      "results.json",
      "report.html",
      "tables/correlations.csv",
      "tables/dropout_by_tier.csv",
      "tables/participant_flow.csv",
    ]) {
      expect(readFileSync(join(dirs[1]!, f), "utf8"), f).toBe(readFileSync(join(dirs[0]!, f), "utf8"));
    }
  }, 60_000);
});
