/**
 * Complementary (secondary) suppression for a table of counts with its margins. Primary
 * suppression hides each count from 1 to min − 1; then, while any row or column has exactly one
 * hidden cell, the smallest non-zero visible cell of that line is hidden too, since one hidden
 * cell in a line whose total is known can be recovered by subtraction. Zero counts are never
 * hidden (a zero reveals no person). Lines are given as lists of cell coordinates, so the margins
 * (a row-total column, an "all" row) are ordinary cells of their lines.
 * Limits: this guarantees no line has a lone hidden cell; it does not solve the full linear
 * system across lines (a cell-suppression audit, as in tau-ARGUS, would).
 * @example complementarySuppression([[3, 20, 23], [15, 15, 30], [18, 35, 53]], lines, 11)
 */
export type Cell = readonly [number, number];

/** Every row and every column of an r × c table, as lines. */
export function rowsAndColumns(rows: number, columns: number): Cell[][] {
  const lines: Cell[][] = [];
  for (let i = 0; i < rows; i++) lines.push(Array.from({ length: columns }, (_, j) => [i, j] as const));
  for (let j = 0; j < columns; j++) lines.push(Array.from({ length: rows }, (_, i) => [i, j] as const));
  return lines;
}

/** A mask of the cells to withhold: true = suppressed. */
export function complementarySuppression(
  counts: readonly (readonly number[])[],
  lines: readonly Cell[][],
  minCellSize: number,
): boolean[][] {
  const hidden = counts.map((row) => row.map((n) => n > 0 && n < minCellSize));
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const lone = line.filter(([i, j]) => hidden[i]![j]!);
      if (lone.length !== 1) continue;
      const candidates = line
        .filter(([i, j]) => !hidden[i]![j]! && counts[i]![j]! > 0)
        .sort(([a, b], [c, d]) => counts[a]![b]! - counts[c]![d]!);
      const pick = candidates[0];
      if (!pick) continue; // the rest of the line is zeros: the hidden cell equals the total, which is already hidden or zero
      hidden[pick[0]]![pick[1]] = true;
      changed = true;
    }
  }
  return hidden;
}
