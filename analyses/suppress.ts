/**
 * Small-cell suppression for shareable outputs: a count from 1 to minCell − 1 is withheld
 * (0 and counts ≥ minCell are shown), following the CMS cell-size rule (1–10 suppressed,
 * minCell = 11) and PCORnet's minimum cell of 11.
 */

/** True for a count that must not be shown: 1 ≤ n < minCell. @example isSmallCell(7, 11) // => true */
export function isSmallCell(n: number, minCell: number): boolean {
  return n >= 1 && n < minCell;
}

/**
 * A counter of withheld cells for one report: `count(n)` gives n, or null when it is a small
 * cell (and counts it), so a report can say how many cells it withheld.
 * @example const cells = cellSuppressor(11); cells.count(4); cells.count(40); cells.withheld() // => 1
 */
export function cellSuppressor(minCell: number) {
  let withheld = 0;
  return {
    minCell,
    count(n: number): number | null {
      if (!isSmallCell(n, minCell)) return n;
      withheld++;
      return null;
    },
    withheld: () => withheld,
  };
}

export type CellSuppressor = ReturnType<typeof cellSuppressor>;
