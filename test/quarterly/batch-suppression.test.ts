/**
 * Suppression across the reports of a batch: a site's count must not be recoverable from the
 * program's total and the other sites' counts, nor a dropout count from discharges, and a period
 * with no admissions is reported as such.
 */
import { describe, expect, it } from "vitest";
import { PERIOD_COLUMNS, PROGRAM, suppressPeriod } from "../../pipeline/quarterly/batch-suppression.ts";
import { recoverableCells, type Constraint } from "../../analyses/suppression-audit.ts";
import { periodFigures, type PeriodCounts } from "../../pipeline/quarterly/period-figures.ts";
import { parsePeriod } from "../../pipeline/quarterly/periods.ts";

const counts = (
  admissions: number,
  rated: number,
  lowest: number,
  discharges: number,
  dropouts: number,
  active: number,
): PeriodCounts => ({
  admissions,
  rated,
  lowest_tier: lowest,
  discharges,
  dropouts,
  active,
  followed: 0,
  unrepaired: 0,
});

describe("a quarter's sites and program, suppressed for the whole batch", () => {
  const sites: [string, PeriodCounts][] = [
    ["A", counts(40, 36, 8, 30, 12, 70)],
    ["B", counts(25, 22, 14, 18, 5, 40)],
    ["C", counts(31, 30, 12, 26, 15, 52)],
  ];
  const total = sites.reduce(
    (t, [, c]) =>
      counts(
        t.admissions + c.admissions,
        t.rated + c.rated,
        t.lowest_tier + c.lowest_tier,
        t.discharges + c.discharges,
        t.dropouts + c.dropouts,
        t.active + c.active,
      ),
    counts(0, 0, 0, 0, 0, 0),
  );
  const rows = new Map<string, PeriodCounts>([...sites, [PROGRAM, total]]);
  const mask = suppressPeriod(rows, 11);

  /** What the reports show, as a table with its relations: each site row, then the program row. */
  const order = ["A", "B", "C", PROGRAM];
  const cols = [...PERIOD_COLUMNS];
  const hidden = order.map((g) => cols.map((c) => mask.get(g)!.has(c)));
  const constraints: Constraint[] = [
    ...order.flatMap((_, i) => [
      {
        parts: [
          [i, cols.indexOf("lowest_tier")],
          [i, cols.indexOf("other_tiers")],
        ] as const,
        total: [i, cols.indexOf("rated")] as const,
      },
      {
        parts: [
          [i, cols.indexOf("dropouts")],
          [i, cols.indexOf("other_discharges")],
        ] as const,
        total: [i, cols.indexOf("discharges")] as const,
      },
    ]),
    ...cols.map((_, j) => ({ parts: [0, 1, 2].map((i) => [i, j] as const), total: [3, j] as const })),
  ].map((c) => ({ parts: [...c.parts], total: c.total }));

  it("withholds each small count: site A's 8 in the lowest tier, site B's 5 dropouts", () => {
    expect(mask.get("A")!.has("lowest_tier")).toBe(true);
    expect(mask.get("B")!.has("dropouts")).toBe(true);
  });

  it("leaves no withheld count that the shown counts, the program totals and the identities give away", () => {
    const primaryOnly = order.map((g) =>
      cols.map((c) => {
        const v = {
          ...rows.get(g)!,
          other_tiers: rows.get(g)!.rated - rows.get(g)!.lowest_tier,
          other_discharges: rows.get(g)!.discharges - rows.get(g)!.dropouts,
        }[c as keyof PeriodCounts] as number;
        return v > 0 && v < 11;
      }),
    );
    expect(recoverableCells(primaryOnly, constraints).length).toBeGreaterThan(0);
    expect(recoverableCells(hidden, constraints)).toEqual([]);
  });
});

describe("a period with no admissions", () => {
  it("counts zero admissions and leaves the admitted cohort's figures not estimable", () => {
    const p = parsePeriod("2030Q1", "2031-01-01", 1);
    if (!p.ok) throw new Error();
    const f = periodFigures([], p.value, "low", [30], "2030-03-31", "log-log");
    expect(f.counts).toEqual(counts(0, 0, 0, 0, 0, 0));
    expect(f.early_alliance).toBeNull();
    expect(f.retention[0]!.surv).toBeNull();
  });
});
