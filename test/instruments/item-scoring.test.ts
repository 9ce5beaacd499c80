/**
 * Scoring alliance instruments from their items. Every expected total and subscale is worked by hand
 * in the comment beside it, from the answers in the fixture and the scoring key of
 * pipeline/instruments/definitions.ts (whose sources that file cites).
 */
import { describe, expect, it } from "vitest";
import { queryRows } from "../../pipeline/db.ts";
import { ingestAndValidate } from "../helpers/run-stages.ts";
import { linkedSessions } from "../../pipeline/phases/validate/validate.ts";
import { EPISODE_HEADER, writeStudyFiles } from "../helpers/tiny-study.ts";

const EP = [EPISODE_HEADER, "C1,North,T1,2025-01-06,,"].join("\n") + "\n";

const never = (): never => {
  throw new Error("the files did not read");
};

/** One session per answer row; returns the scored alliance and subscales of each, in row order. */
async function score(
  items: Record<string, unknown>,
  answers: (number | "")[][],
  extra: (c: Record<string, any>) => void = () => {},
) {
  const n = answers[0]!.length;
  const header = ["ClientID", "SessionDate", ...Array.from({ length: n }, (_, i) => `Q${i + 1}`), "ORS_Total"].join(
    ",",
  );
  const rows = answers.map((a, k) => ["C1", `2025-01-${String(7 + k).padStart(2, "0")}`, ...a, 20].join(","));
  const { study } = writeStudyFiles(
    { "episodes.csv": EP, "sessions.csv": [header, ...rows].join("\n") + "\n" },
    (c) => {
      delete c.columns.sessions.alliance;
      delete c.alliance.min;
      delete c.alliance.max;
      delete c.alliance.instrument;
      c.alliance.items = { columns: "Q{i}", ...items };
      c.tiers = { method: "quantiles", quantiles: 2, labels: ["lower", "higher"] };
      extra(c);
    },
  );
  const { db, ingested, validated } = await ingestAndValidate(study);
  if (!validated!.ok) return { problems: validated!.problems, rows: [] as Record<string, number | null>[], study };
  const keys = study.allianceComponents.map((c) => c.key);
  const rowsOut = await queryRows<Record<string, number | null>>(
    db,
    `SELECT alliance${keys.map((k) => `, ${k}`).join("")} FROM ${linkedSessions(study, ingested.ok ? ingested.value : never())} ORDER BY src_row`,
  );
  return { problems: [], rows: rowsOut, study };
}

describe("WAI-SR (Hatcher & Gillaspy 2006)", () => {
  // Items 1–12 answered 5,4,3,5,4,3,5,4,3,5,4,3.
  const answers = [5, 4, 3, 5, 4, 3, 5, 4, 3, 5, 4, 3];

  it("sums all twelve items, none reversed, and each subscale's four", async () => {
    const { rows, study } = await score({ instrument: "wai-sr" }, [answers]);
    // total 5+4+3+5+4+3+5+4+3+5+4+3 = 48; goal items 4,6,8,11 = 5+3+4+4 = 16;
    // task items 1,2,10,12 = 5+4+5+3 = 17; bond items 3,5,7,9 = 3+4+5+3 = 15 (16+17+15 = 48)
    expect(rows[0]).toEqual({ alliance: 48, subscale_goal: 16, subscale_task: 17, subscale_bond: 15 });
    expect([study.alliance.min, study.alliance.max]).toEqual([12, 60]);
  });

  it("prorates a total and a subscale with one missing item when the config allows one", async () => {
    const { rows } = await score({ instrument: "wai-sr", max_missing: 1, max_missing_per_subscale: 1 }, [
      [...answers.slice(0, 11), ""],
    ]);
    // item 12 missing: answered 11 items sum to 45 → 45 / 11 × 12 = 49.0909…;
    // task answered items 1,2,10 = 5+4+5 = 14 → 14 / 3 × 4 = 18.6667; goal and bond unchanged
    expect(rows[0]!.alliance).toBeCloseTo(540 / 11, 9);
    expect(rows[0]!.subscale_task).toBeCloseTo(56 / 3, 9);
    expect([rows[0]!.subscale_goal, rows[0]!.subscale_bond]).toEqual([16, 15]);
  });

  it("leaves the total missing when more items are missing than the config allows", async () => {
    const { rows } = await score({ instrument: "wai-sr", max_missing: 1 }, [[...answers.slice(0, 10), "", ""]]);
    // two missing (items 11 and 12) > 1 allowed; task (items 10, 12) has one missing > 0 allowed
    expect(rows[0]).toMatchObject({ alliance: null, subscale_task: null, subscale_bond: 15 });
  });

  it("mean scoring gives the item mean on the 1–5 scale", async () => {
    const { rows, study } = await score({ instrument: "wai-sr", score: "mean" }, [answers]);
    // 48 / 12 = 4; goal 16 / 4 = 4; task 17 / 4 = 4.25; bond 15 / 4 = 3.75
    expect(rows[0]).toEqual({ alliance: 4, subscale_goal: 4, subscale_task: 4.25, subscale_bond: 3.75 });
    expect([study.alliance.min, study.alliance.max]).toEqual([1, 5]);
  });
});

describe("WAI-S (Tracey & Kokotovic 1989)", () => {
  it("reverses items 4 and 10 on the 1–7 scale (8 − answer)", async () => {
    // Every item answered 7 except items 4 and 10, answered 2 → keyed 8 − 2 = 6.
    const answers = [7, 7, 7, 2, 7, 7, 7, 7, 7, 2, 7, 7];
    const { rows } = await score({ instrument: "wai-s" }, [answers]);
    // total 10 × 7 + 6 + 6 = 82; goal items 4,6,10,11 = 6+7+6+7 = 26; task 1,2,8,12 = 28; bond 3,5,7,9 = 28
    expect(rows[0]).toEqual({ alliance: 82, subscale_goal: 26, subscale_task: 28, subscale_bond: 28 });
  });
});

describe("SRS (Duncan, Miller et al. 2003)", () => {
  it("sums its four 0–10 items, each also reported on its own", async () => {
    const { rows } = await score({ instrument: "srs" }, [[8.5, 9, 7, 10]]);
    // 8.5 + 9 + 7 + 10 = 34.5
    expect(rows[0]).toEqual({
      alliance: 34.5,
      subscale_bond: 8.5,
      subscale_goals: 9,
      subscale_task: 7,
      subscale_overall: 10,
    });
  });

  it("refuses an item outside 0–10 at its own column", async () => {
    const { problems } = await score({ instrument: "srs" }, [[8, 11, 7, 10]]);
    expect(problems.map((p) => [p.code, p.where?.row, p.where?.column])).toEqual([["E_SCORE_OUT_OF_RANGE", 2, "Q2"]]);
  });
});

describe("HAq-II (Luborsky et al. 1996)", () => {
  it("reverses items 4, 8, 11, 16 and 19 on the 1–6 scale (7 − answer)", async () => {
    // Reverse-keyed items answered 1 → keyed 6; the other fourteen answered 4.
    const answers = Array.from({ length: 19 }, (_, i) => ([4, 8, 11, 16, 19].includes(i + 1) ? 1 : 4));
    const { rows } = await score({ instrument: "haq-ii" }, [answers]);
    // 14 × 4 + 5 × 6 = 56 + 30 = 86
    expect(rows[0]).toEqual({ alliance: 86 });
  });
});

describe("custom instruments from the config", () => {
  it("scores its items with its own range, reverse keys and subscales", async () => {
    const custom = {
      instrument: "custom",
      name: "Three-item alliance check",
      n_items: 3,
      item_min: 0,
      item_max: 4,
      reverse: [2],
      subscales: { a: [1, 2], b: [3] },
      score: "mean",
    };
    const { rows, study } = await score(custom, [[4, 1, 2]]);
    // item 2 reversed: 0 + 4 − 1 = 3; mean of 4, 3, 2 = 3; a = mean(4, 3) = 3.5; b = 2
    expect(rows[0]).toEqual({ alliance: 3, subscale_a: 3.5, subscale_b: 2 });
    expect(study.alliance.instrument).toBe("Three-item alliance check");
  });
});
