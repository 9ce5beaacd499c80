/**
 * Complementary suppression: after it, no hidden cell can be worked out by subtracting the visible
 * cells of one of its rows or columns from that line's total.
 */
import { describe, expect, it } from "vitest";
import { complementarySuppression, rowsAndColumns } from "../../analyses/complementary-suppression.ts";

/** Rows: tiers then "all"; columns: n then four categories (n = Σ categories, all = Σ tiers). */
function table(body: number[][]): number[][] {
  const rows = body.map((r) => [r.reduce((a, b) => a + b, 0), ...r]);
  const all = rows[0]!.map((_, j) => rows.reduce((a, r) => a + r[j]!, 0));
  return [...rows, all];
}

/** Cells recoverable by one subtraction: the only hidden cell of a line, given the others. */
function recoverable(counts: number[][], hidden: boolean[][]): [number, number][] {
  const out: [number, number][] = [];
  for (const line of rowsAndColumns(counts.length, counts[0]!.length)) {
    const h = line.filter(([i, j]) => hidden[i]![j]!);
    if (h.length === 1) out.push([h[0]![0], h[0]![1]]);
  }
  return out;
}

describe("complementary suppression", () => {
  // The demo's reliable-change table: 8 and 3 deteriorated would be given away by each row's n.
  const counts = table([
    [16, 15, 55, 8],
    [81, 91, 130, 17],
    [51, 43, 28, 3],
  ]);
  const hidden = complementarySuppression(counts, rowsAndColumns(counts.length, counts[0]!.length), 11);

  it("hides every small count (primary suppression)", () => {
    expect(hidden[0]![4]).toBe(true);
    expect(hidden[2]![4]).toBe(true);
  });

  it("leaves no hidden cell that one row or column total gives away", () => {
    // Before: each small cell is the lone hidden cell of its row.
    const primary = counts.map((r) => r.map((n) => n > 0 && n < 11));
    expect(recoverable(counts, primary).length).toBeGreaterThan(0);
    expect(recoverable(counts, hidden)).toEqual([]);
  });

  it("hides as little as it needs: the second cell of each row is its smallest visible count", () => {
    expect(hidden[0]![2]).toBe(true); // 15, smallest other count in the low row
    expect(hidden[2]![3]).toBe(true); // 28 in the high row
    expect(hidden[1]!.every((h) => !h) || hidden[1]!.filter(Boolean).length >= 2).toBe(true);
  });

  it("hides nothing when no count is small", () => {
    const big = table([
      [20, 30],
      [40, 50],
    ]);
    expect(complementarySuppression(big, rowsAndColumns(3, 3), 11).flat().some(Boolean)).toBe(false);
  });

  it("never hides a zero, which identifies no one", () => {
    const t = table([
      [0, 5, 30],
      [20, 40, 12],
    ]);
    const h = complementarySuppression(t, rowsAndColumns(t.length, t[0]!.length), 11);
    expect(h[0]![1]).toBe(false);
    expect(recoverable(t, h)).toEqual([]);
  });
});
