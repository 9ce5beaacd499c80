/**
 * What must hold of every run's outputs, whatever the study: the checks of the property-based test
 * (pipeline.property.test.ts), kept apart so that its regression cases use the same ones.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { Ajv } from "ajv";
import resultsSchema from "../../schema/results.schema.json" with { type: "json" };
import quarterlySchema from "../../schema/quarterly-results.schema.json" with { type: "json" };
import type { Results } from "../../pipeline/results.ts";

const ajv = new Ajv({ allErrors: true, strict: false });
const validateResults = ajv.compile(resultsSchema);
const validateQuarterly = ajv.compile(quarterlySchema);

/** A quarterly results.json's schema errors, or none. */
export function quarterlySchemaErrors(results: unknown): string[] {
  return validateQuarterly(results)
    ? []
    : (validateQuarterly.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Every file under a folder, as paths relative to it. */
export function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p, base) : [relative(base, p)];
  });
}

/** results.json's schema errors, or none. */
export function schemaErrors(results: unknown): string[] {
  return validateResults(results) ? [] : (validateResults.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/**
 * Fields of results.json that count episodes, sessions or people (the cells small-cell suppression
 * is about); `therapists`, `k` (studies or sites pooled) and settings are not such counts.
 */
export const COUNT_FIELDS = new Set([
  "n",
  "episodes",
  "closed",
  "dropouts",
  "eligible",
  "retained",
  "short_followup",
  "n_risk",
  "censored_active",
  "censored_completion",
  "censored_other",
  "recovered",
  "improved",
  "unchanged",
  "deteriorated",
  "episodes_analyzed",
  "with_outcome_change",
  "with_outcome_last",
  "active_at_cutoff",
  "used",
  "ingested",
  "episodes_ingested",
  "rows",
]);

/** Paths in results.json of counts from 1 to min − 1 (which must have been withheld). */
export function smallCounts(value: unknown, min: number, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => smallCounts(v, min, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => {
    if (k === "settings") return [];
    if (COUNT_FIELDS.has(k) && typeof v === "number" && v >= 1 && v < min) return [`${path}.${k} = ${v}`];
    return smallCounts(v, min, `${path}.${k}`);
  });
}

/** Cells of the CSV tables, in columns whose name is a count field, from 1 to min − 1. */
export function smallCountsInTables(outDir: string, min: number): string[] {
  const found: string[] = [];
  let tables: string[] = [];
  try {
    tables = readdirSync(join(outDir, "tables"));
  } catch {
    return found;
  }
  for (const name of tables) {
    const [header, ...rows] = readFileSync(join(outDir, "tables", name), "utf8")
      .trimEnd()
      .split("\n");
    const columns = header!.split(",");
    for (const [r, row] of rows.entries()) {
      row.split(",").forEach((cell, c) => {
        const v = Number(cell);
        if (COUNT_FIELDS.has(columns[c]!) && cell !== "" && Number.isInteger(v) && v >= 1 && v < min)
          found.push(`${name} row ${r + 2} ${columns[c]} = ${v}`);
      });
    }
  }
  return found;
}

interface Exact {
  ingest: { files: { role: string; rows: number }[] };
  validation: { excluded: { episodes: { n: number }[]; sessions: { n: number }[] } };
  analysis: {
    episodes_analyzed: number;
    excluded_no_alliance: number;
    analysis_sets: { closed: number; active_at_cutoff: number };
    dropout_by_tier: { episodes: number; closed: number; dropouts: number }[];
    retention: {
      tiers: {
        n: number;
        dropouts: number;
        censored_active: number;
        censored_completion: number;
        censored_other: number;
      }[];
    };
  };
}

/** Reads the exact (unsuppressed) working files a run kept with --keep-internal. */
export function readExact(internal: string): Exact {
  const json = (f: string) => JSON.parse(readFileSync(join(internal, f), "utf8"));
  return { ingest: json("01-read.json"), validation: json("02-validation.json"), analysis: json("04-analysis.json") };
}

/** The participant flow's identities on the exact counts: each one that fails, as text. */
export function flowGaps(x: Exact): string[] {
  const gaps: string[] = [];
  const sum = (rows: { n: number }[]) => rows.reduce((a, r) => a + r.n, 0);
  const rows = (role: string) => x.ingest.files.find((f) => f.role === role)!.rows;
  const a = x.analysis;
  const episodes = sum(x.validation.excluded.episodes) + a.excluded_no_alliance + a.episodes_analyzed;
  if (episodes !== rows("episodes")) gaps.push(`episodes: ${rows("episodes")} read ≠ ${episodes} excluded or analysed`);
  if (a.analysis_sets.closed + a.analysis_sets.active_at_cutoff !== a.episodes_analyzed)
    gaps.push("closed + active ≠ analysed");
  const inTiers = a.dropout_by_tier.reduce((s, t) => s + t.episodes, 0);
  if (inTiers !== a.episodes_analyzed) gaps.push(`tiers hold ${inTiers} of ${a.episodes_analyzed} analysed`);
  for (const t of a.retention.tiers) {
    if (t.dropouts + t.censored_active + t.censored_completion + t.censored_other !== t.n)
      gaps.push("a tier's dropouts and censored ≠ its episodes");
  }
  return gaps;
}

/** The same identities on the shared flow, where every count in them is shown. */
export function sharedFlowGaps(r: Results): string[] {
  const f = r.flow;
  const parts = [...f.excluded.map((e) => e.n), f.episodes_analyzed];
  if (parts.some((p) => p === null)) return [];
  const sum = parts.reduce<number>((a, b) => a + b!, 0);
  return sum === f.episodes_ingested ? [] : [`shared flow: ${f.episodes_ingested} read ≠ ${sum}`];
}

/** results.json without what may differ between two runs of the same inputs (nothing but the run time). */
export function withoutRunTime(text: string): string {
  return text.replace(/"run_at": "[^"]*"/g, '"run_at": ""');
}
