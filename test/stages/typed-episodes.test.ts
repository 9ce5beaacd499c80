/**
 * The typed episodes that validate hands to derive (t_episodes, a view over t_episodes_rows): what
 * is stored and what the view adds. The expected values are the cells of the files each test writes.
 */
import { describe, expect, it } from "vitest";
import { queryRows, type Db } from "../../pipeline/db.ts";
import { TABLES } from "../../pipeline/phases/tables.ts";
import { ingestAndValidate } from "../helpers/run-stages.ts";
import { EPISODE_HEADER, SESSION_HEADER, writeStudyFiles } from "../helpers/tiny-study.ts";

const columnsOf = async (db: Db, name: string) =>
  (await queryRows<{ c: string }>(db, `SELECT column_name AS c FROM (DESCRIBE ${name})`)).map((r) => r.c);
const EMPTY_IN_A_CSV = ["src_slot", "conflict_row", "episode_key", "tier_text"];
const RULES_ONLY = ["id_repeated", "first_row", "previous_discharge", "previous_row"];

describe("the typed episodes", () => {
  it("do not store a column that is null on every record, and read it as null through t_episodes", async () => {
    const episodes =
      [EPISODE_HEADER, "C1,North,T1,2025-01-06,2025-03-01,completed", "C2,South,T2,2025-02-03,,"].join("\n") + "\n";
    const sessions = [SESSION_HEADER, "C1,2025-01-07,30,20", "C2,2025-02-04,25,18"].join("\n") + "\n";
    const { db, validated } = await ingestAndValidate(
      writeStudyFiles({ "episodes.csv": episodes, "sessions.csv": sessions }).study,
    );
    expect(validated?.ok).toBe(true);
    const stored = await columnsOf(db, TABLES.typedEpisodeRows.name);
    for (const c of [...EMPTY_IN_A_CSV, ...RULES_ONLY]) expect(stored).not.toContain(c);
    expect(stored).toEqual(
      expect.arrayContaining(["src_row", "client_id_text", "site_text", "admit_date", "excluded_code"]),
    );
    const rows = await queryRows<Record<string, unknown>>(
      db,
      `SELECT src_row, site_text, src_slot, episode_key, conflict_row, tier_text FROM ${TABLES.typedEpisodes.name} ORDER BY src_row`,
    );
    expect(rows).toEqual([
      { src_row: 2, site_text: "North", src_slot: null, episode_key: null, conflict_row: null, tier_text: null },
      { src_row: 3, site_text: "South", src_slot: null, episode_key: null, conflict_row: null, tier_text: null },
    ]);
  });

  it("store the episode id when the files carry one", async () => {
    const episodes =
      [
        `${EPISODE_HEADER},EpisodeID`,
        "C1,North,T1,2025-01-06,2025-03-01,completed,E1",
        "C1,North,T1,2025-06-02,,,E2",
      ].join("\n") + "\n";
    const sessions =
      [`${SESSION_HEADER},EpisodeID`, "C1,2025-01-07,30,20,E1", "C1,2025-06-03,20,10,E2"].join("\n") + "\n";
    const study = writeStudyFiles({ "episodes.csv": episodes, "sessions.csv": sessions }, (c) => {
      c.columns.episodes.episode_id = "EpisodeID";
      c.columns.sessions.episode_id = "EpisodeID";
    }).study;
    const { db, validated } = await ingestAndValidate(study);
    expect(validated?.ok).toBe(true);
    expect(await columnsOf(db, TABLES.typedEpisodeRows.name)).toContain("episode_key");
    const rows = await queryRows<{ episode_key: string }>(
      db,
      `SELECT episode_key FROM ${TABLES.typedEpisodes.name} ORDER BY src_row`,
    );
    expect(rows.map((r) => r.episode_key)).toEqual(["E1", "E2"]);
  });

  it("mark an episode admitted after the cutoff with its warning's code, the others with none", async () => {
    const episodes =
      [EPISODE_HEADER, "C1,North,T1,2025-01-06,2025-03-01,completed", "C2,North,T1,2026-02-01,,"].join("\n") + "\n";
    const sessions = [SESSION_HEADER, "C1,2025-01-07,30,20", "C2,2026-02-02,25,18"].join("\n") + "\n";
    const { db, validated } = await ingestAndValidate(
      writeStudyFiles({ "episodes.csv": episodes, "sessions.csv": sessions }).study,
    );
    expect(validated?.ok).toBe(true);
    const rows = await queryRows<{ code: string | null }>(
      db,
      `SELECT excluded_code::VARCHAR AS code FROM ${TABLES.typedEpisodes.name} ORDER BY src_row`,
    );
    expect(rows.map((r) => r.code)).toEqual([null, "W_ADMIT_AFTER_CUTOFF"]);
  });
});
