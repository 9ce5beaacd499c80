/** Runs read → validate (→ derive) on a Study, for stage tests. */
import type { Study } from "../../pipeline/config/study.ts";
import { closeDb, openDb } from "../../pipeline/db.ts";
import { read } from "../../pipeline/phases/read/read.ts";
import { validate } from "../../pipeline/phases/validate/validate.ts";
import { derive } from "../../pipeline/phases/derive/derive.ts";
import { episodeObjects } from "../../pipeline/phases/episodes.ts";
import { loadStudyConfig } from "../../pipeline/config/load-config.ts";
import { DEMO_CONFIG } from "../../pipeline/cli.ts";
import { atFileEnd } from "./cleanup.ts";

/** read → validate, listing every finding (notes too); the database stays open until the test file has run (or closeDb). */
export async function ingestAndValidate(study: Study) {
  const db = await openDb();
  atFileEnd(() => closeDb(db));
  const ingested = await read(db, study);
  if (!ingested.ok) return { db, ingested, validated: null };
  return { db, ingested, validated: await validate(db, study, ingested.value, { listAll: true }) };
}

/** read → validate → derive; the derived episodes (as objects) and the tier cut points used. */
export async function deriveStudy(study: Study) {
  const { db, validated } = await ingestAndValidate(study);
  if (!validated?.ok) throw new Error(`validation failed: ${JSON.stringify(validated)}`);
  const derived = await derive(db, study);
  closeDb(db);
  return { ...derived, episodes: episodeObjects(derived.episodes) };
}

/** The derived episodes only. */
export async function deriveAll(study: Study) {
  return (await deriveStudy(study)).episodes;
}

/** The demo study's config and its derived episodes. */
export async function demoStudyAndEpisodes() {
  const loaded = loadStudyConfig(DEMO_CONFIG);
  if (!loaded.ok) throw new Error("demo config invalid");
  return { study: loaded.value, episodes: await deriveAll(loaded.value) };
}

/** The problems of whichever phase refused the files: read's, or validate's errors. */
export function refusal(stages: Awaited<ReturnType<typeof ingestAndValidate>>) {
  if (!stages.ingested.ok) return stages.ingested.problems;
  return stages.validated && !stages.validated.ok ? stages.validated.problems : [];
}
