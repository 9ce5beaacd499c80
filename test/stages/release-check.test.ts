/**
 * The release check on folders written by hand: what it refuses and what it lets through. The
 * expected findings come from the files each test writes.
 */
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { releaseCheck, type ReleaseRules } from "../../pipeline/privacy/release-check.ts";
import { clientIds, readClientIds } from "../../pipeline/privacy/client-ids.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { closeDb, openDb, queryRows } from "../../pipeline/db.ts";
import { read } from "../../pipeline/phases/read/read.ts";
import { validate } from "../../pipeline/phases/validate/validate.ts";
import { loadStudyConfig } from "../../pipeline/config/load-config.ts";
import { DEMO_CONFIG } from "../../pipeline/cli.ts";
import { writeTinyStudy } from "../helpers/tiny-study.ts";

const rules: ReleaseRules = {
  kind: "research",
  minCellSize: 11,
  clientIds: clientIds(["C00012", "AB-77", "123456", "42"]),
  allowedDates: new Set(["2025-12-31", "2026-01-15"]),
};

async function check(files: Record<string, string>, r: ReleaseRules = rules) {
  const dir = tempDir("alliance-release-");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return (await releaseCheck(dir, r)).problems.map((p) => [p.code, p.where?.file]);
}

describe("the release check", () => {
  it("passes a page with the cutoff, the run time, counts of 11 or more and zeros", async () => {
    expect(
      await check({
        "report.html":
          '<p>Cutoff 2025-12-31, run 2026-01-15T09:00:00Z.</p><table><tr><td class="num count">11</td><td class="num count">0</td><td class="num count">1,204</td></tr></table><p>r(498) = .28 (n = 500)</p>',
      }),
    ).toEqual([]);
  });

  it("finds a client id as a word anywhere, and a long plain-number id, but not a short plain number", async () => {
    expect(
      await check({
        "a.html": "<footer>Re: AB-77</footer>",
        "b.json": '{"note": "client 123456"}',
        "c.csv": "n\n42\n",
      }),
    ).toEqual([
      ["E_RELEASE_CLIENT_ID", "a.html"],
      ["E_RELEASE_CLIENT_ID", "b.json"],
    ]);
  });

  it("finds a date that is not allowed, written ISO or with slashes, but not an impossible one", async () => {
    expect(
      await check({
        "a.html": "<p>admitted 2025-03-07</p>",
        "b.csv": "x\n07/03/2025\n",
        "c.html": "<p>code 2025-13-45, 31/12/2025</p>",
      }),
    ).toEqual([
      ["E_RELEASE_DATE", "a.html"],
      ["E_RELEASE_DATE", "b.csv"],
    ]);
  });

  it("finds a small count in a count column of a CSV, a count cell of the HTML, and an n = … of the text", async () => {
    expect(
      await check({
        "t.csv": "tier,episodes,rate\nlow,7,0.5\n",
        "h.html": '<td class="num count">3</td>',
        "p.html": "<p>(n = 4)</p>",
        "ok.csv": "tier,rate\nlow,7\n",
      }),
    ).toEqual([
      ["E_RELEASE_SMALL_COUNT", "h.html"],
      ["E_RELEASE_SMALL_COUNT", "p.html"],
      ["E_RELEASE_SMALL_COUNT", "t.csv"],
    ]);
  });

  it("does not look for counts in the findings of alliance validate, which point at rows", async () => {
    expect(
      await check({ "validation.html": '<td class="num count">3</td>' }, { ...rules, kind: "validation" }),
    ).toEqual([]);
  });
});

describe("the client ids the release check looks for", () => {
  it("are the same read from the episodes as read and, after validate has dropped them, from the typed episodes", async () => {
    const loaded = loadStudyConfig(DEMO_CONFIG);
    if (!loaded.ok) throw new Error("demo config invalid");
    const db = await openDb();
    try {
      const ingested = await read(db, loaded.value);
      if (!ingested.ok) throw new Error("demo read");
      const asRead = await readClientIds(db);
      const episodes = (await queryRows<{ id: string }>(db, "SELECT DISTINCT client_id AS id FROM r_episodes")).map(
        (r) => r.id,
      );
      await validate(db, loaded.value, ingested.value);
      expect(
        (await queryRows(db, "SELECT table_name FROM information_schema.tables WHERE table_name = 'r_episodes'"))
          .length,
      ).toBe(0);
      const validated = await readClientIds(db, "validated");
      expect(validated.size).toBe(asRead.size);
      expect(asRead.size).toBeGreaterThanOrEqual(episodes.length);
      for (const id of episodes) expect(validated.has(id)).toBe(true);
    } finally {
      closeDb(db);
    }
  });

  it("include a client whom only the sessions file names, before validate and after it", async () => {
    const { study } = writeTinyStudy(
      ["C1,North,T1,2025-01-06,2025-03-01,completed"],
      ["C1,2025-01-07,33,20", "Q-ONLY-7,2025-01-08,30,21"],
    );
    const db = await openDb();
    try {
      const ingested = await read(db, study);
      if (!ingested.ok) throw new Error("tiny study read");
      const asRead = await readClientIds(db);
      expect([asRead.size, asRead.has("C1"), asRead.has("Q-ONLY-7")]).toEqual([2, true, true]);
      // The session's client has no episode: a warning that excludes the session, not an error.
      await validate(db, study, ingested.value);
      const validated = await readClientIds(db, "validated");
      expect([validated.size, validated.has("C1"), validated.has("Q-ONLY-7")]).toEqual([2, true, true]);
    } finally {
      closeDb(db);
    }
  });
});
