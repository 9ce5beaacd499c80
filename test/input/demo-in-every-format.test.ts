/**
 * The demo study saved in every input format and layout gives the same results.json numbers as the
 * CSV original. Expected values: the CSV original's own results, run with the same config (a 200-
 * resample bootstrap keeps the test quick; the seed makes every run draw the same resamples).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { InputFormat } from "../../pipeline/config/types.ts";
import { loadStudyConfig } from "../../pipeline/config/load-config.ts";
import { runStudy } from "../../pipeline/drivers/run-study.ts";
import { demoConfigFor, saveDemoAs, saveDemoLong, saveDemoWide } from "../helpers/demo-formats.ts";
import { tempDir } from "../helpers/temp-dir.ts";

/** results.json as written, without provenance (file names and hashes differ by format). */
async function resultsOf(configPath: string): Promise<Record<string, any>> {
  const study = loadStudyConfig(configPath);
  if (!study.ok) throw new Error(JSON.stringify(study.problems));
  const out = join(configPath, "..", "out");
  const run = await runStudy(study.value, { outDir: out, pdf: false, now: new Date(0) });
  if (!run.ok) throw new Error(JSON.stringify(run.problems.slice(0, 3)));
  const { provenance: _p, ...rest } = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
  return rest;
}

/** The config's column names differ between layouts; everything else must not. */
function withoutColumnNames(r: Record<string, any>): Record<string, any> {
  const alliance = {
    ...r.settings.alliance,
    subscales: r.settings.alliance.subscales?.map(({ column: _c, ...s }: any) => s),
    other_raters: r.settings.alliance.other_raters?.map(({ column: _c, ...s }: any) => s),
  };
  return { ...r, settings: { ...r.settings, alliance } };
}

let original: Record<string, any>;

beforeAll(async () => {
  const dir = tempDir("alliance-fmt-csv-");
  await saveDemoAs("csv", dir);
  original = await resultsOf(demoConfigFor("csv", dir));
}, 60_000);

describe("the demo study in every format gives the CSV original's results", () => {
  const formats: InputFormat[] = ["tsv", "xlsx", "sav", "parquet", "json", "ndjson"];
  for (const format of formats) {
    it(`${format}`, async () => {
      const dir = tempDir(`alliance-fmt-${format}-`);
      await saveDemoAs(format, dir);
      expect(await resultsOf(demoConfigFor(format, dir))).toEqual(original);
    }, 60_000);
  }
});

describe("the demo study in every layout gives the original's results", () => {
  it("one long table, episode fields repeated on each session row", async () => {
    const dir = tempDir("alliance-long-");
    expect(await resultsOf(await saveDemoLong(dir))).toEqual(original);
  }, 60_000);

  it("one wide table, sessions in numbered columns", async () => {
    const dir = tempDir("alliance-wide-");
    expect(withoutColumnNames(await resultsOf(await saveDemoWide(dir)))).toEqual(withoutColumnNames(original));
  }, 60_000);
});
