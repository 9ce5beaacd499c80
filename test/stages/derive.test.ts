import { describe, expect, it } from "vitest";
import { writeTinyStudy } from "../helpers/tiny-study.ts";
import { deriveAll } from "../helpers/run-stages.ts";

// Expected values are worked by hand from the rows in each test.
describe("derive", () => {
  it("averages the first three non-missing alliance ratings in date order, whatever the file order", async () => {
    const [e] = await deriveAll(
      writeTinyStudy(
        ["C1,N,T1,2025-01-01,,"],
        ["C1,2025-01-29,10,", "C1,2025-01-08,30,", "C1,2025-01-15,,", "C1,2025-01-22,33,", "C1,2025-01-02,36,"],
      ).study,
    );
    expect(e!.early_alliance).toBe((36 + 30 + 33) / 3);
    expect(e!.early_alliance_n).toBe(3);
  });

  it("uses fewer than three ratings when fewer exist", async () => {
    const [e] = await deriveAll(
      writeTinyStudy(["C1,N,T1,2025-01-01,,"], ["C1,2025-01-02,31,", "C1,2025-01-09,,20"]).study,
    );
    expect([e!.early_alliance, e!.early_alliance_n]).toEqual([31, 1]);
  });

  it("takes outcome change as last minus first when higher is better", async () => {
    const [e] = await deriveAll(
      writeTinyStudy(["C1,N,T1,2025-01-01,,"], ["C1,2025-01-02,30,12", "C1,2025-01-09,30,", "C1,2025-01-16,30,19"])
        .study,
    );
    expect([e!.outcome_first, e!.outcome_last, e!.outcome_change]).toEqual([12, 19, 7]);
  });

  it("reverses the sign when lower outcome scores are better, so positive still means improvement", async () => {
    const study = writeTinyStudy(
      ["C1,N,T1,2025-01-01,,"],
      ["C1,2025-01-02,30,30", "C1,2025-01-16,30,21"],
      (c) => (c.outcome.higher_is_better = false),
    ).study;
    const [e] = await deriveAll(study);
    expect(e!.outcome_change).toBe(9);
  });

  it("leaves outcome change empty with fewer than two outcome ratings", async () => {
    const [e] = await deriveAll(
      writeTinyStudy(["C1,N,T1,2025-01-01,,"], ["C1,2025-01-02,30,12", "C1,2025-01-09,31,"]).study,
    );
    expect([e!.outcome_last, e!.outcome_change]).toEqual([12, null]);
  });

  it("puts a score equal to a cut point in the tier above it", async () => {
    const episodes = await deriveAll(
      writeTinyStudy(
        ["A,N,T1,2025-01-01,,", "B,N,T1,2025-01-01,,", "C,N,T1,2025-01-01,,", "D,N,T1,2025-01-01,,"],
        ["A,2025-01-02,29.9,", "B,2025-01-02,30,", "C,2025-01-02,35.9,", "D,2025-01-02,36,"],
      ).study,
    );
    expect(episodes.map((e) => e.tier)).toEqual(["low", "moderate", "moderate", "high"]);
  });

  it("counts a discharge after the cutoff as still active, with days up to the cutoff", async () => {
    const [e] = await deriveAll(
      writeTinyStudy(["C1,N,T1,2025-12-01,2026-01-10,dropped out"], ["C1,2025-12-02,30,"]).study,
    );
    expect([e!.closed, e!.dropout, e!.days_in_treatment]).toEqual([false, false, 30]);
  });

  it("marks dropout only for closed episodes with a dropout reason", async () => {
    const episodes = await deriveAll(
      writeTinyStudy(
        [
          "A,N,T1,2025-01-01,2025-02-01,left against advice",
          "B,N,T1,2025-01-01,2025-02-01,transferred",
          "C,N,T1,2025-01-01,2025-03-02,completed",
        ],
        ["A,2025-01-02,30,", "B,2025-01-02,30,", "C,2025-01-02,30,"],
      ).study,
    );
    expect(episodes.map((e) => [e.closed, e.dropout, e.days_in_treatment])).toEqual([
      [true, true, 31],
      [true, false, 31],
      [true, false, 60],
    ]);
  });

  it("keeps episodes without any alliance rating, with no tier, for the flow to count", async () => {
    const [e] = await deriveAll(writeTinyStudy(["C1,N,T1,2025-01-01,,"], ["C1,2025-01-02,,20"]).study);
    expect([e!.early_alliance, e!.tier]).toEqual([null, null]);
  });
});

describe("derive with the no-show rule (dropout_no_show_days: 30)", () => {
  const noShow = (c: Record<string, any>) => (c.dropout_no_show_days = 30);

  it("makes an episode still open at the cutoff a dropout on the day after its last session, when the gap exceeds the days", async () => {
    // Admitted 2025-10-01, last session 2025-10-15, cutoff 2025-12-31: 77 days without a session > 30.
    const [e] = await deriveAll(
      writeTinyStudy(["C1,N,T1,2025-10-01,,"], ["C1,2025-10-08,30,", "C1,2025-10-15,30,"], noShow).study,
    );
    expect([e!.closed, e!.dropout, e!.dropout_by, e!.days_in_treatment]).toEqual([true, true, "no_show", 15]);
  });

  it("leaves an open episode alone when its gap is within the days", async () => {
    const [e] = await deriveAll(writeTinyStudy(["C1,N,T1,2025-12-01,,"], ["C1,2025-12-08,30,"], noShow).study);
    expect([e!.closed, e!.dropout, e!.dropout_by]).toEqual([false, false, null]);
  });

  it("counts a long gap before a recorded non-dropout discharge as dropout too (the gap was while open)", async () => {
    const [e] = await deriveAll(
      writeTinyStudy(["C1,N,T1,2025-01-01,2025-04-01,transferred"], ["C1,2025-01-05,30,"], noShow).study,
    );
    expect([e!.dropout, e!.dropout_by, e!.days_in_treatment]).toEqual([true, "no_show", 5]);
  });

  it("keeps a recorded dropout as recorded, with its own discharge date", async () => {
    const [e] = await deriveAll(
      writeTinyStudy(["C1,N,T1,2025-01-01,2025-04-01,dropped out"], ["C1,2025-01-05,30,"], noShow).study,
    );
    expect([e!.dropout, e!.dropout_by, e!.days_in_treatment]).toEqual([true, "reason", 90]);
  });

  it("is off unless configured", async () => {
    const [e] = await deriveAll(writeTinyStudy(["C1,N,T1,2025-10-01,,"], ["C1,2025-10-15,30,"]).study);
    expect([e!.dropout, e!.dropout_by]).toEqual([false, null]);
  });
});
