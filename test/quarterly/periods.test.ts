/** Reporting periods and the cohorts they define, at their boundaries. */
import { describe, expect, it } from "vitest";
import { inPeriod, parsePeriod, trailingPeriods, yearEarlier, type Period } from "../../pipeline/quarterly/periods.ts";

const period = (text: string, cutoff = "2026-12-31", fy = 1): Period => {
  const p = parsePeriod(text, cutoff, fy);
  if (!p.ok) throw new Error(p.problems[0]!.message);
  return p.value;
};

describe("reporting periods", () => {
  it("reads a calendar quarter", () => {
    expect(period("2026Q3")).toMatchObject({
      kind: "quarter",
      label: "2026Q3",
      start: "2026-07-01",
      end: "2026-09-30",
      title: "2026 Q3 (Jul–Sep 2026)",
    });
  });

  it("labels a July fiscal year's first quarter as the funder does: FY2027 Q1 = July–September 2026", () => {
    expect(period("FY2027Q1", "2026-12-31", 7)).toMatchObject({
      label: "FY2027Q1",
      start: "2026-07-01",
      end: "2026-09-30",
    });
    expect(period("FY2027", "2026-12-31", 7)).toMatchObject({
      kind: "fiscal_year",
      start: "2026-07-01",
      end: "2027-06-30",
    });
  });

  it("names an October fiscal year for the year it ends in (FY2026 Q1 = Oct–Dec 2025)", () => {
    expect(period("FY2026Q1", "2026-12-31", 10)).toMatchObject({ start: "2025-10-01", end: "2025-12-31" });
  });

  it("reads a month, with its last day in a leap year", () => {
    expect(period("2024-02")).toMatchObject({
      kind: "month",
      start: "2024-02-01",
      end: "2024-02-29",
      title: "February 2024",
    });
  });

  it("takes as latest the quarter that ends on the cutoff", () => {
    expect(period("latest", "2025-12-31").label).toBe("2025Q4");
  });

  it("takes as latest the quarter before the cutoff's own when that is not complete", () => {
    expect(period("latest", "2025-12-30").label).toBe("2025Q3");
  });

  it("labels latest by the fiscal year when one is set", () => {
    expect(period("latest", "2026-10-15", 7).label).toBe("FY2027Q1");
  });

  it("steps back through the year and finds the same quarter a year earlier", () => {
    const p = period("2026Q1");
    expect(trailingPeriods(p, 3, 1).map((q) => q.label)).toEqual(["2025Q3", "2025Q4", "2026Q1"]);
    expect(yearEarlier(p, 1).label).toBe("2025Q1");
    expect(trailingPeriods(period("FY2027Q1", "2026-12-31", 7), 2, 7).map((q) => q.label)).toEqual([
      "FY2026Q4",
      "FY2027Q1",
    ]);
  });

  it("refuses what is not a period, naming the forms it takes", () => {
    const p = parsePeriod("Q3", "2026-12-31", 1);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.problems[0]!.fix).toMatch(/2026Q3/);
  });
});

describe("cohort boundaries", () => {
  const q = period("2025Q3");
  it("counts an admission on the last day of a quarter in that quarter", () => {
    expect(inPeriod("2025-09-30", q)).toBe(true);
    expect(inPeriod("2025-10-01", q)).toBe(false);
  });
  it("counts the first day in, the day before out", () => {
    expect(inPeriod("2025-07-01", q)).toBe(true);
    expect(inPeriod("2025-06-30", q)).toBe(false);
  });
});
