/**
 * Failure isolation in a quarterly batch: when a site's records hold errors, that site is left out,
 * and only its own records go: a client treated at two sites keeps the sessions of the other site.
 */
import { describe, expect, it } from "vitest";
import { closeDb, openDb } from "../../pipeline/db.ts";
import { read } from "../../pipeline/phases/read/read.ts";
import { validate } from "../../pipeline/phases/validate/validate.ts";
import { derive } from "../../pipeline/phases/derive/derive.ts";
import { episodeObjects } from "../../pipeline/phases/episodes.ts";
import { dropSites, errorsBySite } from "../../pipeline/quarterly/isolate-groups.ts";
import { writeTinyStudy } from "../helpers/tiny-study.ts";

// Client C1 is treated at Hillcrest, then at Eastgate. Hillcrest's second episode (C2) has an
// admission date that is not a date, so Hillcrest is left out of the batch.
const EPISODES = [
  "C1,Hillcrest,T1,2025-01-06,2025-02-28,completed",
  "C1,Eastgate,T2,2025-04-07,2025-06-30,completed",
  "C2,Hillcrest,T1,2025-13-45,,",
  "C3,Eastgate,T2,2025-03-03,2025-05-30,dropped out",
];
const SESSIONS = [
  "C1,2025-01-06,30,20",
  "C1,2025-01-13,31,21", // Hillcrest
  "C1,2025-04-07,34,22",
  "C1,2025-04-14,35,24",
  "C1,2025-04-21,36,26", // Eastgate
  "C2,2025-03-10,28,18", // Hillcrest (broken episode)
  "C3,2025-03-03,29,19", // Eastgate
];

async function isolate(episodeLines = EPISODES, sessionLines = SESSIONS) {
  const { study } = writeTinyStudy(episodeLines, sessionLines);
  const db = await openDb();
  const ingested = await read(db, study, { editable: true });
  if (!ingested.ok) throw new Error("ingest failed");
  const first = await validate(db, study, ingested.value, { keepEpisodes: true });
  if (first.ok) throw new Error("the broken admission date should fail validation");
  const bySite = await errorsBySite(db, study, first.problems);
  await dropSites(db, study, [...(bySite?.keys() ?? [])]);
  const second = await validate(db, study, ingested.value, { keepEpisodes: true });
  const episodes = episodeObjects((await derive(db, study)).episodes);
  closeDb(db);
  return { bySite, second, episodes };
}

describe("leaving a broken site out of a quarterly batch", () => {
  it("ties the error to the broken site", async () => {
    const { bySite } = await isolate();
    expect([...(bySite?.keys() ?? [])]).toEqual(["Hillcrest"]);
  });

  it("keeps the sessions a client had at another site", async () => {
    const { second, episodes } = await isolate();
    expect(second.ok).toBe(true);
    const eastgate = episodes
      .filter((e) => e.site === "Eastgate")
      .map((e) => ({ admitted: e.admit_date, n: e.n_sessions }));
    expect(eastgate).toEqual([
      { admitted: "2025-04-07", n: 3 },
      { admitted: "2025-03-03", n: 1 },
    ]);
  });

  it("removes the broken site's own sessions rather than leaving them without an episode", async () => {
    const { second, episodes } = await isolate();
    expect(episodes.map((e) => e.site)).not.toContain("Hillcrest");
    if (!second.ok) throw new Error("validation should pass once Hillcrest is left out");
    expect(second.value.excluded.sessions).toEqual([]);
  });
});

describe("a session's error", () => {
  it("is tied to the site of the episode the session belongs to, not to every site of its client", async () => {
    // C1's Hillcrest session has an alliance score out of range; C1 is also treated at Eastgate.
    const episodes = EPISODES.map((e) => e.replace("2025-13-45", "2025-03-03"));
    const sessions = SESSIONS.map((s) => (s === "C1,2025-01-13,31,21" ? "C1,2025-01-13,55,21" : s));
    const { bySite, second, episodes: kept } = await isolate(episodes, sessions);
    expect([...(bySite?.keys() ?? [])]).toEqual(["Hillcrest"]);
    expect(second.ok).toBe(true);
    expect(kept.filter((e) => e.site === "Eastgate").map((e) => e.n_sessions)).toEqual([3, 1]);
  });
});
