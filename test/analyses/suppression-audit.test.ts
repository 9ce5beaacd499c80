/**
 * Suppression that survives subtraction: tables whose small cells could be worked out from the
 * totals a reader sees, suppressed, then audited. The audit asks whether the visible cells and the
 * tables' additive relations determine any hidden cell (any chain of subtractions is a linear
 * combination of those relations).
 */
import { describe, expect, it } from "vitest";
import { marginConstraints, recoverableCells, suppressTable } from "../../analyses/suppression-audit.ts";

/** body rows + a total column, and a total row. */
function withMargins(body: number[][]): number[][] {
  const rows = body.map((r) => [...r, r.reduce((a, b) => a + b, 0)]);
  return [...rows, rows[0]!.map((_, j) => rows.reduce((a, r) => a + r[j]!, 0))];
}
const primary = (t: number[][], min = 11) => t.map((r) => r.map((n) => n > 0 && n < min));

describe("suppression audit", () => {
  it("finds a lone small cell recoverable from its row total", () => {
    const t = withMargins([[4, 30], [25, 40]]);
    expect(recoverableCells(primary(t), marginConstraints(3, 3))).toEqual([[0, 0]]);
  });

  it("finds a cell recoverable only through a chain of subtractions across lines", () => {
    // Hidden: (0,0), (0,1), (1,1). Column 0 gives (0,0); then row 0 gives (0,1); then column 1 gives (1,1).
    const hidden = [[true, true, false], [false, true, false], [false, false, false]];
    expect(recoverableCells(hidden, marginConstraints(3, 3)).length).toBe(3);
  });

  it("finds a bridge between two hidden cycles recoverable, though every line has two hidden cells", () => {
    const hidden = Array.from({ length: 5 }, () => new Array<boolean>(5).fill(false));
    for (const [i, j] of [[0, 0], [0, 1], [1, 0], [1, 1], [2, 2], [2, 3], [3, 2], [3, 3], [1, 2]] as const) hidden[i]![j] = true;
    expect(recoverableCells(hidden, marginConstraints(5, 5))).toEqual([[1, 2]]);
  });
});

describe("suppressing a sites × measures table with program totals", () => {
  // Rows: four sites, then the program; columns: dropouts, other discharges, discharges.
  const body = [
    [4, 14],
    [12, 19],
    [9, 3],
    [16, 22],
  ];
  const t = withMargins(body);
  const constraints = marginConstraints(t.length, t[0]!.length);
  const hidden = suppressTable(t, constraints, 11);

  it("would give away small cells by subtraction if only they were hidden", () => {
    expect(recoverableCells(primary(t), constraints).length).toBeGreaterThan(0);
  });

  it("hides every small count", () => {
    for (const [i, row] of t.entries()) for (const [j, n] of row.entries()) if (n > 0 && n < 11) expect(hidden[i]![j]).toBe(true);
  });

  it("leaves no hidden count that the shown counts and totals determine", () => {
    expect(recoverableCells(hidden, constraints)).toEqual([]);
  });

  it("leaves no hidden count that a bridge would give away, in a table built to need one", () => {
    const wide = withMargins([
      [5, 5, 40, 40],
      [5, 5, 40, 40],
      [40, 40, 5, 5],
      [40, 40, 5, 5],
    ]);
    const c = marginConstraints(5, 5);
    expect(recoverableCells(suppressTable(wide, c, 11), c)).toEqual([]);
  });
});
