/**
 * Ruptures and repairs (analyses/ruptures.ts) on hand-worked sequences, each rule at its boundary.
 * Expected values are worked by hand in the comments (the rule: docs/dynamics.md, after Stiles et
 * al. 2004, Strauss et al. 2006 and Gumz et al. 2012).
 */
import { describe, expect, it } from "vitest";
import { episodeSd, findRuptures, openRuptureChanges, pooledWithinSd } from "../../analyses/ruptures.ts";

const R3 = { k: 1, repairSessions: 3 };

describe("the threshold s", () => {
  it("pools the within-episode SD over episodes with 3 or more ratings: √(Σ SS / Σ (n − 1))", () => {
    // [1,2,3]: SS 2, df 2; [5,5,8]: SS 6, df 2; [9, 1] has two ratings and is left out.
    expect(
      pooledWithinSd([
        [1, 2, 3],
        [5, 5, 8],
        [9, 1],
      ]),
    ).toBeCloseTo(Math.sqrt(8 / 4), 14);
    expect(pooledWithinSd([[9, 1]])).toBeNull();
  });

  it("takes the larger of the episode's own SD and the pooled SD", () => {
    // [30, 30, 24, 29, 31]: mean 28.8, SS 1.44·2 + 23.04 + 0.04 + 4.84 = 30.8, SD √7.7 = 2.7749
    expect(episodeSd([30, 30, 24, 29, 31], 2)).toBeCloseTo(Math.sqrt(7.7), 14);
    expect(episodeSd([30, 30, 24, 29, 31], 3)).toBe(3);
    expect(episodeSd([30, 24], 3)).toBe(3);
  });
});

describe("a rupture", () => {
  it("is a drop of exactly k·s from one rated session to the next (k = 1 and k = 2)", () => {
    // s = 2: a drop of 2 is a rupture at k = 1, not at k = 2; a drop of 4 is one at both.
    expect(findRuptures([10, 8, 10, 10], 2, R3).map((r) => r.at)).toEqual([2]);
    expect(findRuptures([10, 8, 10, 10], 2, { ...R3, k: 2 })).toEqual([]);
    expect(findRuptures([10, 6, 10, 10], 2, { ...R3, k: 2 }).map((r) => r.at)).toEqual([2]);
    // A drop just short of k·s is none.
    expect(findRuptures([10, 8.01, 10, 10], 2, R3)).toEqual([]);
  });

  it("holds at a drop of k·s even when s comes from arithmetic that rounds", () => {
    // s = 0.1 + 0.2 (0.30000000000000004); the drop 0.3 is k·s to within rounding.
    expect(findRuptures([1, 0.7, 1, 1], 0.1 + 0.2, R3)).toHaveLength(1);
  });

  it("counts every qualifying session, and none for fewer than 3 ratings", () => {
    expect(findRuptures([10, 7, 4, 1, 1], 2, R3).map((r) => r.at)).toEqual([2, 3, 4]);
    expect(findRuptures([10, 5], 2, R3)).toEqual([]);
  });
});

describe("its outcome", () => {
  it("is repaired when the R-th rated session after it returns to the earlier level", () => {
    // Rupture at t = 2 (10 → 7); sessions 3, 4, 5 are the next R = 3; session 5 reaches 10.
    const [r] = findRuptures([10, 7, 8, 9, 10, 9], 2, R3);
    expect(r).toMatchObject({ at: 2, before: 10, rating: 7, drop: 3, outcome: "repaired", repaired_at: 5 });
  });

  it("is unrepaired when the R sessions exist and none returns (a return at R + 1 is too late)", () => {
    const [r] = findRuptures([10, 7, 8, 9, 9.5, 10], 2, R3);
    expect(r).toMatchObject({ at: 2, outcome: "unrepaired", repaired_at: null });
  });

  it("ended before repair when the ratings end within R sessions without a return", () => {
    // Two rated sessions follow the rupture, R = 3: the episode ended before its repair could be seen.
    expect(findRuptures([10, 7, 8, 9], 2, R3)[0]!.outcome).toBe("ended");
    // …but a return within those sessions is a repair still.
    expect(findRuptures([10, 7, 10], 2, R3)[0]!.outcome).toBe("repaired");
  });

  it("skips sessions without a rating: the drop is between consecutive rated sessions", () => {
    // Sessions 10, (none), 7, 8, 10: the rated sequence is [10, 7, 8, 10]; the rupture is at the
    // second rated session and the fourth repairs it.
    const rated = [10, null, 7, 8, 10].filter((a): a is number => a !== null);
    expect(findRuptures(rated, 2, R3)).toEqual([
      { at: 2, before: 10, rating: 7, drop: 3, outcome: "repaired", repaired_at: 4 },
    ]);
  });
});

describe("the time-dependent covariate 'an unrepaired rupture open'", () => {
  it("turns on at a rupture's session and off at the repair of the last open one", () => {
    expect(openRuptureChanges([{ day: 7, repaired_day: 28 }])).toEqual([
      [7, 1],
      [28, 0],
    ]);
    // Two overlapping ruptures: off only when both are repaired; an unrepaired one stays on.
    expect(
      openRuptureChanges([
        { day: 7, repaired_day: 21 },
        { day: 14, repaired_day: 35 },
      ]),
    ).toEqual([
      [7, 1],
      [35, 0],
    ]);
    expect(openRuptureChanges([{ day: 14, repaired_day: null }])).toEqual([[14, 1]]);
  });
});
