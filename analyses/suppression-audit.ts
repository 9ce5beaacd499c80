/**
 * Small-cell suppression that survives subtraction, for counts that add up to totals the reader also
 * sees. The counts are cells; their additive identities (parts that sum to a total, such as the
 * tiers of a column summing to all analysed episodes, or dropouts + censored = a tier's episodes)
 * are linear constraints.
 *
 * The audit (`determinedCells`): a hidden cell is recoverable when the visible cells and the
 * identities determine it, i.e. when its unit vector lies in the row space of the identity matrix
 * restricted to the hidden cells (any chain of subtractions, across tables that share a total, is a
 * linear combination of the identities). In the reduced row-echelon form of that matrix, a vector of
 * the row space is the sum of the rows at its pivots; so the hidden cells determined are exactly the
 * pivots whose row has no other non-zero entry. One elimination answers for every cell.
 *
 * The suppression (`protectCells`): hide the counts from 1 to min − 1 (primary), then, while the audit
 * finds a recoverable cell, hide the smallest visible non-zero cell of one of its identities
 * (secondary). Zero counts are never hidden: a zero singles out no one.
 *
 * Reference: Hundepool et al. (2012), Statistical Disclosure Control, Wiley, §4.2–4.3 (primary and
 * secondary suppression; the audit is their "disclosure audit" for linear relations).
 * @example protectCells([4, 30, 34], [{ parts: [0, 1], total: 2 }], 11) // => [true, true, false]
 */
import type { Cell } from "./complementary-suppression.ts";

/** parts sum to total (indices of cells). */
export interface Identity {
  parts: readonly number[];
  total: number;
}

/**
 * The hidden cells (indices) that the visible cells and the identities determine, in increasing order.
 * @example determinedCells([true, false, true], [{ parts: [0, 1], total: 2 }]) // => [] (two unknowns, one identity)
 */
export function determinedCells(hidden: readonly boolean[], identities: readonly Identity[]): number[] {
  const column = new Map<number, number>();
  const unknowns: number[] = [];
  hidden.forEach((h, i) => {
    if (h) {
      column.set(i, unknowns.length);
      unknowns.push(i);
    }
  });
  if (!unknowns.length) return [];
  const rows: Map<number, number>[] = [];
  for (const c of identities) {
    const v = new Map<number, number>();
    const add = (cell: number, by: number) => {
      const k = column.get(cell);
      if (k !== undefined) v.set(k, (v.get(k) ?? 0) + by);
    };
    for (const p of c.parts) add(p, 1);
    add(c.total, -1);
    for (const [k, x] of v) if (x === 0) v.delete(k);
    if (v.size) rows.push(v);
  }
  return reducedPivots(rows).map((k) => unknowns[k]!);
}

const EPS = 1e-9;

/**
 * The columns whose row in the reduced row-echelon form is a unit vector: Gauss–Jordan elimination on
 * sparse rows (column → coefficient), so that its cost follows the identities' non-zero entries
 * rather than rows × columns. The shortest rows are taken first, and in each the pivot is the largest
 * entry, then the column in the fewest rows (which keeps fill-in low); a pivot's column is removed
 * from every other row, so each pivot's column is zero elsewhere, and a column is determined exactly
 * when its pivot row has no other entry (whatever order the pivots were taken in). Rows change in place.
 */
function reducedPivots(rows: Map<number, number>[]): number[] {
  const where = new Map<number, Set<number>>();
  rows.forEach((r, i) => {
    for (const c of r.keys()) {
      const set = where.get(c);
      if (set) set.add(i);
      else where.set(c, new Set([i]));
    }
  });
  const order = rows.map((_, i) => i).sort((a, b) => rows[a]!.size - rows[b]!.size || a - b);
  const pivots: { row: number; column: number }[] = [];
  for (const i of order) {
    const row = rows[i]!;
    if (row.size === 0) continue;
    const column = pivotColumn(row, where);
    const scale = row.get(column)!;
    for (const [c, v] of row) row.set(c, v / scale);
    for (const k of [...where.get(column)!]) if (k !== i) eliminate(rows[k]!, k, row, column, where);
    pivots.push({ row: i, column });
  }
  return pivots
    .filter((p) => rows[p.row]!.size === 1)
    .map((p) => p.column)
    .sort((a, b) => a - b);
}

/** A row's pivot: its largest entry; among equal ones the column in the fewest rows, then the lowest. */
function pivotColumn(row: Map<number, number>, where: Map<number, Set<number>>): number {
  let best = -1;
  let bestAbs = 0;
  let bestRows = Infinity;
  for (const [c, v] of row) {
    const a = Math.abs(v);
    const n = where.get(c)!.size;
    if (a > bestAbs + EPS || (Math.abs(a - bestAbs) <= EPS && (n < bestRows || (n === bestRows && c < best))))
      [best, bestAbs, bestRows] = [c, a, n];
  }
  return best;
}

/** other −= other[column] × pivot (whose entry at column is 1), keeping the column → rows index. */
function eliminate(
  other: Map<number, number>,
  k: number,
  pivot: Map<number, number>,
  column: number,
  where: Map<number, Set<number>>,
): void {
  const f = other.get(column)!;
  for (const [c, v] of pivot) {
    const next = (other.get(c) ?? 0) - f * v;
    if (Math.abs(next) <= EPS) {
      if (other.delete(c)) where.get(c)!.delete(k);
    } else {
      if (!other.has(c)) where.get(c)!.add(k);
      other.set(c, next);
    }
  }
}

/**
 * A mask of the cells to withhold (true = withheld) such that no withheld cell is recoverable.
 * @param preset cells withheld whatever their value (e.g. a count whose rate is not estimable)
 * @param kept which withheld cells must not be recoverable (default all); others are only unknowns
 * @param cost how much is lost by withholding each cell (default 1): the cheapest cell that breaks a
 *   recovery is withheld first, then the smallest
 */
export function protectCells(
  values: readonly number[],
  identities: readonly Identity[],
  minCellSize: number,
  preset: readonly boolean[] = [],
  kept: readonly boolean[] = [],
  cost: readonly number[] = [],
): boolean[] {
  const hidden = values.map((n, i) => (n > 0 && n < minCellSize) || (preset[i] ?? false));
  const withCell = new Map<number, Identity[]>();
  for (const c of identities) for (const i of [...c.parts, c.total]) withCell.set(i, [...(withCell.get(i) ?? []), c]);
  const order = (a: number, b: number) => (cost[a] ?? 1) - (cost[b] ?? 1) || values[a]! - values[b]! || a - b;
  const primary = [...hidden];
  const safe = () => determinedCells(hidden, identities).every((i) => !(kept[i] ?? true));
  for (let guard = 0; guard <= values.length; guard++) {
    const exposed = determinedCells(hidden, identities).filter((i) => kept[i] ?? true);
    if (!exposed.length) break;
    const cell = exposed[0]!;
    // The visible non-zero cells of the identities linked to the exposed one through hidden cells (the
    // chain that determines it runs through them), cheapest first: withhold the first whose withholding
    // leaves the exposed cell undetermined, or, when no one cell does, the cheapest (and go on).
    const candidates = linkedCandidates(cell, withCell, hidden, values).sort(order);
    if (!candidates.length) return hidden; // every identity around it is hidden or zero: nothing left to hide
    const breaks = candidates.find((c) => {
      hidden[c] = true;
      const still = determinedCells(hidden, identities).includes(cell);
      hidden[c] = false;
      return !still;
    });
    hidden[breaks ?? candidates[0]!] = true;
  }
  // Greedy choices can leave cells withheld that later ones made needless: show again, most costly
  // first, every secondary cell whose showing exposes nothing.
  if (!safe()) return hidden;
  const secondary = hidden
    .map((h, i) => i)
    .filter((i) => hidden[i] && !primary[i])
    .sort((a, b) => -order(a, b));
  for (const i of secondary) {
    hidden[i] = false;
    if (!safe()) hidden[i] = true;
  }
  return hidden;
}

/** Visible non-zero cells of the identities reached from `start` through hidden cells. */
function linkedCandidates(
  start: number,
  withCell: Map<number, Identity[]>,
  hidden: readonly boolean[],
  values: readonly number[],
): number[] {
  const seenCells = new Set([start]);
  const seenLines = new Set<Identity>();
  const found = new Set<number>();
  let frontier = [start];
  while (frontier.length) {
    const lines = frontier.flatMap((c) => withCell.get(c) ?? []).filter((l) => !seenLines.has(l));
    for (const l of lines) seenLines.add(l);
    for (const line of lines)
      for (const i of [...line.parts, line.total]) if (!hidden[i] && values[i]! > 0) found.add(i);
    frontier = [...new Set(lines.flatMap((l) => [...l.parts, l.total]))].filter((c) => hidden[c] && !seenCells.has(c));
    for (const c of frontier) seenCells.add(c);
  }
  return [...found];
}

// ── Tables: cells addressed by (row, column) ──────────────────────────────────────────────────

export interface Constraint {
  parts: Cell[];
  total: Cell;
}

/** The constraints of an r × c table whose last row and last column are totals. */
export function marginConstraints(rows: number, columns: number): Constraint[] {
  const out: Constraint[] = [];
  for (let i = 0; i < rows; i++)
    out.push({ parts: Array.from({ length: columns - 1 }, (_, j) => [i, j] as const), total: [i, columns - 1] });
  for (let j = 0; j < columns; j++)
    out.push({ parts: Array.from({ length: rows - 1 }, (_, i) => [i, j] as const), total: [rows - 1, j] });
  return out;
}

/** A table's cells as one list (row by row), and its constraints as identities over that list. */
function flatten(shape: readonly (readonly unknown[])[], constraints: readonly Constraint[]) {
  const offsets: number[] = [];
  let n = 0;
  for (const row of shape) {
    offsets.push(n);
    n += row.length;
  }
  const at = ([i, j]: Cell) => offsets[i]! + j;
  const cellOf = (k: number): Cell => {
    let i = offsets.length - 1;
    while (offsets[i]! > k) i--;
    return [i, k - offsets[i]!];
  };
  return { identities: constraints.map((c) => ({ parts: c.parts.map(at), total: at(c.total) })), cellOf };
}

/** Hidden cells of a table whose value the visible cells and the constraints determine. */
export function recoverableCells(hidden: readonly (readonly boolean[])[], constraints: readonly Constraint[]): Cell[] {
  const { identities, cellOf } = flatten(hidden, constraints);
  return determinedCells(hidden.flat(), identities).map(cellOf);
}

/** A mask of a table's cells to withhold (true = suppressed) such that no hidden cell is recoverable. */
export function suppressTable(
  counts: readonly (readonly number[])[],
  constraints: readonly Constraint[],
  minCellSize: number,
): boolean[][] {
  const { identities } = flatten(counts, constraints);
  const flat = protectCells(counts.flat(), identities, minCellSize);
  let k = 0;
  return counts.map((row) => row.map(() => flat[k++]!));
}
