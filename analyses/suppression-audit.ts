/**
 * Small-cell suppression that survives subtraction, for tables whose cells add up to totals the
 * reader also sees. A table is given with its additive constraints (parts that sum to a total,
 * e.g. the sites of a column summing to the program's cell, or dropouts + other discharges =
 * discharges). `recoverableCells` audits a suppression pattern: a hidden cell is recoverable when
 * the visible cells and the constraints determine it, i.e. when its unit vector lies in the row
 * space of the constraint matrix restricted to the hidden cells (linear algebra over the reals;
 * any chain of subtractions is such a combination). `suppressTable` hides the small cells, then
 * complementary cells line by line (complementarySuppression), then, while the audit still finds a
 * recoverable cell, the smallest visible non-zero cell of one of that cell's constraints.
 * Reference: Hundepool et al. (2012), Statistical Disclosure Control, Wiley, §4.2–4.3 (primary and
 * secondary suppression; the audit is their "disclosure audit" for linear relations).
 * @example suppressTable([[3, 20, 23], [15, 15, 30], [18, 35, 53]], marginConstraints(3, 3), 11)
 */
import { complementarySuppression, type Cell } from "./complementary-suppression.ts";

export interface Constraint {
  parts: Cell[];
  total: Cell;
}

/** The constraints of an r × c table whose last row and last column are totals. */
export function marginConstraints(rows: number, columns: number): Constraint[] {
  const out: Constraint[] = [];
  for (let i = 0; i < rows; i++) out.push({ parts: Array.from({ length: columns - 1 }, (_, j) => [i, j] as const), total: [i, columns - 1] });
  for (let j = 0; j < columns; j++) out.push({ parts: Array.from({ length: rows - 1 }, (_, i) => [i, j] as const), total: [rows - 1, j] });
  return out;
}

const key = ([i, j]: Cell) => `${i},${j}`;

/** Hidden cells whose value the visible cells and the constraints determine. */
export function recoverableCells(hidden: readonly (readonly boolean[])[], constraints: readonly Constraint[]): Cell[] {
  const unknowns: Cell[] = [];
  const index = new Map<string, number>();
  hidden.forEach((row, i) => row.forEach((h, j) => {
    if (h) {
      index.set(key([i, j]), unknowns.length);
      unknowns.push([i, j]);
    }
  }));
  if (!unknowns.length) return [];
  const rows = constraints.map((c) => {
    const v = new Array<number>(unknowns.length).fill(0);
    for (const p of c.parts) if (index.has(key(p))) v[index.get(key(p))!]! += 1;
    if (index.has(key(c.total))) v[index.get(key(c.total))!]! -= 1;
    return v;
  });
  const basis = rowEchelon(rows);
  return unknowns.filter((_, k) => {
    const e = new Array<number>(unknowns.length).fill(0);
    e[k] = 1;
    return rowEchelon([...basis, e]).length === basis.length;
  });
}

/** The non-zero rows of the row-echelon form (Gaussian elimination with partial pivoting). */
function rowEchelon(input: number[][]): number[][] {
  const m = input.map((r) => [...r]);
  const out: number[][] = [];
  const cols = m[0]?.length ?? 0;
  let rowsLeft = m;
  for (let c = 0; c < cols && rowsLeft.length; c++) {
    let best = -1;
    for (let r = 0; r < rowsLeft.length; r++) if (Math.abs(rowsLeft[r]![c]!) > 1e-9 && (best < 0 || Math.abs(rowsLeft[r]![c]!) > Math.abs(rowsLeft[best]![c]!))) best = r;
    if (best < 0) continue;
    const pivot = rowsLeft[best]!;
    out.push(pivot);
    rowsLeft = rowsLeft.filter((_, r) => r !== best).map((row) => {
      const f = row[c]! / pivot[c]!;
      return f === 0 ? row : row.map((v, j) => v - f * pivot[j]!);
    });
  }
  return out;
}

/** A mask of the cells to withhold (true = suppressed) such that no hidden cell is recoverable. */
export function suppressTable(counts: readonly (readonly number[])[], constraints: readonly Constraint[], minCellSize: number): boolean[][] {
  const lines = constraints.map((c) => [...c.parts, c.total]);
  const hidden = complementarySuppression(counts, lines, minCellSize);
  for (let guard = 0; guard < 1000; guard++) {
    const exposed = recoverableCells(hidden, constraints);
    if (!exposed.length) return hidden;
    const pick = exposed
      .map(([ci, cj]) =>
        lines
          .filter((line) => line.some(([i, j]) => i === ci && j === cj))
          .flat()
          .filter(([i, j]) => !hidden[i]![j]! && counts[i]![j]! > 0)
          .sort(([a, b], [c, d]) => counts[a]![b]! - counts[c]![d]!)[0],
      )
      .find((c) => c !== undefined);
    if (!pick) return hidden; // every line around them is hidden or zero: nothing left to hide
    hidden[pick[0]]![pick[1]] = true;
  }
  return hidden;
}
