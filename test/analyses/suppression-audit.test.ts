/**
 * Suppression that survives subtraction: tables whose small cells could be worked out from the
 * totals a reader sees, suppressed, then audited. The audit asks whether the visible cells and the
 * tables' additive relations determine any hidden cell (any chain of subtractions is a linear
 * combination of those relations).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  determinedCells,
  marginConstraints,
  recoverableCells,
  suppressTable,
} from "../../analyses/suppression-audit.ts";

/** body rows + a total column, and a total row. */
function withMargins(body: number[][]): number[][] {
  const rows = body.map((r) => [...r, r.reduce((a, b) => a + b, 0)]);
  return [...rows, rows[0]!.map((_, j) => rows.reduce((a, r) => a + r[j]!, 0))];
}
const primary = (t: number[][], min = 11) => t.map((r) => r.map((n) => n > 0 && n < min));

describe("suppression audit", () => {
  it("finds a lone small cell recoverable from its row total", () => {
    const t = withMargins([
      [4, 30],
      [25, 40],
    ]);
    expect(recoverableCells(primary(t), marginConstraints(3, 3))).toEqual([[0, 0]]);
  });

  it("finds a cell recoverable only through a chain of subtractions across lines", () => {
    // Hidden: (0,0), (0,1), (1,1). Column 0 gives (0,0); then row 0 gives (0,1); then column 1 gives (1,1).
    const hidden = [
      [true, true, false],
      [false, true, false],
      [false, false, false],
    ];
    expect(recoverableCells(hidden, marginConstraints(3, 3)).length).toBe(3);
  });

  it("finds a bridge between two hidden cycles recoverable, though every line has two hidden cells", () => {
    const hidden = Array.from({ length: 5 }, () => new Array<boolean>(5).fill(false));
    for (const [i, j] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [2, 2],
      [2, 3],
      [3, 2],
      [3, 3],
      [1, 2],
    ] as const)
      hidden[i]![j] = true;
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
    for (const [i, row] of t.entries())
      for (const [j, n] of row.entries()) if (n > 0 && n < 11) expect(hidden[i]![j]).toBe(true);
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

/**
 * The audit's sparse elimination against the textbook one: Gauss–Jordan on the dense matrix of the
 * identities restricted to the hidden cells, with partial pivoting column by column (Hundepool et al.
 * 2012, §4.3), whose unit rows are the determined cells. Random tables of identities, many sizes.
 */
function denseDetermined(
  hidden: readonly boolean[],
  identities: readonly { parts: readonly number[]; total: number }[],
): number[] {
  const unknowns = hidden.flatMap((h, i) => (h ? [i] : []));
  const col = new Map(unknowns.map((c, k) => [c, k]));
  const m = identities
    .map((c) => {
      const v = new Array<number>(unknowns.length).fill(0);
      for (const p of c.parts) if (col.has(p)) v[col.get(p)!]! += 1;
      if (col.has(c.total)) v[col.get(c.total)!]! -= 1;
      return v;
    })
    .filter((v) => v.some((x) => x !== 0));
  const done: { c: number; row: number[] }[] = [];
  let rest = m;
  for (let c = 0; c < unknowns.length && rest.length; c++) {
    let best = -1;
    for (let r = 0; r < rest.length; r++)
      if (Math.abs(rest[r]![c]!) > 1e-9 && (best < 0 || Math.abs(rest[r]![c]!) > Math.abs(rest[best]![c]!))) best = r;
    if (best < 0) continue;
    const p = rest[best]!;
    const s = p[c]!;
    for (let j = 0; j < p.length; j++) p[j]! /= s;
    const elim = (row: number[]) => {
      const f = row[c]!;
      if (Math.abs(f) > 1e-9) for (let j = 0; j < row.length; j++) row[j]! -= f * p[j]!;
    };
    rest = rest.filter((_, r) => r !== best);
    for (const row of rest) elim(row);
    for (const d of done) elim(d.row);
    done.push({ c, row: p });
  }
  return done.filter((d) => d.row.every((v, j) => j === d.c || Math.abs(v) <= 1e-9)).map((d) => unknowns[d.c]!);
}

describe("determinedCells (sparse) against the textbook dense elimination", () => {
  it("finds the same determined cells on random systems of identities", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((n) =>
          fc.record({
            hidden: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
            identities: fc.array(
              fc.record({
                parts: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: Math.min(n, 6) }),
                total: fc.integer({ min: 0, max: n - 1 }),
              }),
              { maxLength: 30 },
            ),
          }),
        ),
        ({ hidden, identities }) => {
          const valid = identities.filter((c) => !c.parts.includes(c.total));
          expect(determinedCells(hidden, valid)).toEqual(denseDetermined(hidden, valid));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("finds the same on tables of groups that sum to a program, as the quarterly batch builds them", () => {
    for (const groups of [1, 2, 5, 30]) {
      const columns = 8;
      const cell = (g: number, c: number) => g * columns + c;
      const identities = [];
      for (let g = 0; g <= groups; g++)
        identities.push(
          { parts: [cell(g, 0), cell(g, 1)], total: cell(g, 2) },
          { parts: [cell(g, 4), cell(g, 5)], total: cell(g, 6) },
        );
      for (let c = 0; c < columns; c++)
        identities.push({ parts: Array.from({ length: groups }, (_, g) => cell(g, c)), total: cell(groups, c) });
      for (let seed = 1; seed <= 20; seed++) {
        const hidden = Array.from({ length: (groups + 1) * columns }, (_, i) => (i * 7919 + seed * 104729) % 10 < 4);
        expect(determinedCells(hidden, identities), `${groups} groups, seed ${seed}`).toEqual(
          denseDetermined(hidden, identities),
        );
      }
    }
  });
});
