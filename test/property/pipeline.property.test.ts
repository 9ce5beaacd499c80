/**
 * The whole pipeline, through the CLI's own entry point, on studies drawn across the space that real
 * exports cover (data/generator/shape.ts): 0–2,000 episodes, 1–8 sites (even or skewed in size),
 * 1–60 therapists, dropout from none to all, everyone discharged or no one, 0–100% of ratings missing
 * (a whole site's, too), readmissions, sessions in any order, tiers empty or full, cutoffs before,
 * inside or after the data, and European, Latin-1, BOM and CRLF exports. For each study:
 *   - the run exits 0, or 1 with a coded refusal; it never throws;
 *   - the participant flow adds up (exact working files, and the shared flow where nothing is withheld);
 *   - no count from 1 to min_cell_size − 1 appears in results.json or the CSV tables, and no withheld
 *     count can be worked out from the rest (the disclosure model's audit);
 *   - results.json is valid against its schema;
 *   - a second run gives identical results.json, tables and HTML;
 *   - the quarterly batch of the latest quarter (program and sites) is written or refused with a code,
 *     never failing on a report, and every results.json of it fits its schema.
 * Cases fast-check shrank from a failure are kept in regressions.ts and run first, every time.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../pipeline/cli.ts";
import { MESSAGES } from "../../pipeline/messages.ts";
import { writeStudy } from "../../data/generator/write-study.ts";
import { DEFAULT_SHAPE, type StudyShape } from "../../data/generator/shape.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import {
  filesUnder,
  flowGaps,
  quarterlySchemaErrors,
  readExact,
  schemaErrors,
  sharedFlowGaps,
  smallCounts,
  smallCountsInTables,
  withoutRunTime,
} from "./outputs.ts";
import { REGRESSIONS } from "./regressions.ts";
import { identityGaps, recoverableCounts } from "../../pipeline/privacy/disclosure.ts";

/** Studies tried per `npm test` (each run twice); the suite's budget for this file is about a minute. */
const RUNS = Number(process.env.ALLIANCE_PROPERTY_RUNS ?? 24);

const shapes: fc.Arbitrary<StudyShape> = fc
  .record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    // Mostly small studies, where degenerate cells are likely; now and then up to 2,000 episodes.
    episodes: fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 60 }), weight: 3 },
      { arbitrary: fc.integer({ min: 0, max: 400 }), weight: 3 },
      { arbitrary: fc.integer({ min: 0, max: 2000 }), weight: 1 },
    ),
    sites: fc.integer({ min: 1, max: 8 }),
    siteSizes: fc.constantFrom("even" as const, "skewed" as const),
    therapists: fc.integer({ min: 1, max: 60 }),
    sessionsPerEpisode: fc.integer({ min: 1, max: 12 }),
    readmissionShare: fc.constantFrom(0, 0.1, 0.5),
    order: fc.constantFrom("sorted" as const, "shuffled" as const),
    extraScores: fc.constantFrom(0, 0, 1),
    dischargedShare: fc.constantFrom(0, 0.5, 0.85, 1),
    dropoutShare: fc.constantFrom(0, 0.1, 0.4, 1),
    missingRatings: fc.constantFrom(0, 0.1, 0.6, 1),
    siteWithoutRatings: fc.boolean(),
    allianceMean: fc.constantFrom(20, 33, 39),
    therapistSd: fc.constantFrom(0, 2),
    duplicateShare: fc.constantFrom(0, 0.02),
    cutoff: fc.constantFrom("before" as const, "inside" as const, "after" as const),
    format: fc.record({
      delimiter: fc.constantFrom("," as const, ";" as const, "\t" as const),
      decimalComma: fc.boolean(),
      bom: fc.boolean(),
      crlf: fc.boolean(),
      latin1: fc.boolean(),
    }),
  })
  .map((s) =>
    s.format.decimalComma && s.format.delimiter === ","
      ? { ...s, format: { ...s.format, delimiter: ";" as const } }
      : s,
  );

interface Outcome {
  code: number;
  stderr: string[];
  stdout: string[];
}

async function alliance(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const stderr: string[] = [];
  const stdout: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await main(args, { out: (l) => stdout.push(l), err: (l) => stderr.push(l) });
    return { code, stderr, stdout };
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
  }
}

/** Runs one study twice and checks every property; throws (with what failed) when one does not hold. */
async function checkStudy(shape: StudyShape): Promise<void> {
  const dir = tempDir("alliance-prop-");
  const { config } = writeStudy(shape, join(dir, "study"));
  const runs: string[][] = [];
  for (const k of [1, 2]) {
    const out = join(dir, `out${k}`);
    const internal = join(dir, `internal${k}`);
    const r = await alliance(["run", "--config", config, "--out", out, "--no-pdf", "--keep-internal", internal], {
      SOURCE_DATE_EPOCH: "1767225600",
    });
    const context = `shape ${JSON.stringify(shape)}\n${r.stderr.join("\n")}`;
    expect(r.code, context).toBeOneOf([0, 1]);
    if (r.code === 1) {
      // A coded refusal: every problem printed names a code of the messages module, and nothing was published.
      const codes = r.stderr.join("\n").match(/\[([EWNX]_[A-Z_]+)\]/g) ?? [];
      expect(codes.length, context).toBeGreaterThan(0);
      for (const c of codes) expect(c.slice(1, -1) in MESSAGES, context).toBe(true);
      expect(existsSync(join(out, "results.json")), context).toBe(false);
      runs.push(["refused", ...codes]);
      continue;
    }
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    expect(schemaErrors(results), context).toEqual([]);
    expect(flowGaps(readExact(internal)), context).toEqual([]);
    expect(identityGaps(JSON.parse(readFileSync(join(internal, "05-exact-results.json"), "utf8"))), context).toEqual(
      [],
    );
    expect(sharedFlowGaps(results), context).toEqual([]);
    const min = results.suppression.min_cell_size;
    expect(smallCounts(results, min), context).toEqual([]);
    expect(smallCountsInTables(out, min), context).toEqual([]);
    expect(recoverableCounts(results), context).toEqual([]);
    runs.push(
      filesUnder(out)
        .sort()
        .map((f) => `${f}\n${withoutRunTime(readFileSync(join(out, f), "utf8"))}`),
    );
  }
  expect(runs[1], `a second run differs: shape ${JSON.stringify(shape)}`).toEqual(runs[0]);

  // The quarterly batch of the latest quarter, program and sites, once.
  const q = await alliance([
    "report",
    "--config",
    config,
    "--period",
    "latest",
    "--by",
    "site",
    "--out",
    join(dir, "quarterly"),
    "--no-pdf",
  ]);
  const context = `quarterly, shape ${JSON.stringify(shape)}\n${q.stderr.join("\n")}`;
  expect(q.code, context).toBeOneOf([0, 1]);
  const codes = (q.stderr.join("\n").match(/\[([EWNX]_[A-Z_]+)\]/g) ?? []).map((c) => c.slice(1, -1));
  if (q.code === 1) expect(codes.length, context).toBeGreaterThan(0);
  expect(
    codes.filter((c) => !(c in MESSAGES) || c === "E_INTERNAL_ERROR"),
    context,
  ).toEqual([]);
  if (q.code === 0) {
    for (const f of filesUnder(join(dir, "quarterly")).filter((f) => f.endsWith("results.json"))) {
      expect(
        quarterlySchemaErrors(JSON.parse(readFileSync(join(dir, "quarterly", f), "utf8"))),
        `${f}: ${context}`,
      ).toEqual([]);
    }
  }
}

describe("the whole pipeline on generated studies", () => {
  for (const [name, change] of Object.entries(REGRESSIONS)) {
    it(`keeps the case fast-check found: ${name}`, () => checkStudy({ ...DEFAULT_SHAPE, ...change }), 60_000);
  }

  it("exits 0 or with a coded refusal; its flow adds up, shows no small count, fits the schema and reproduces", async () => {
    await fc.assert(fc.asyncProperty(shapes, checkStudy), {
      numRuns: RUNS,
      seed: Number(process.env.ALLIANCE_PROPERTY_SEED ?? 20261205),
      endOnFailure: false,
      verbose: 1,
    });
  }, 600_000);
});
