/**
 * Small-cell suppression for shareable outputs: a count from 1 to minCell − 1 is withheld
 * (0 and counts ≥ minCell are shown), following the CMS cell-size rule (1–10 suppressed,
 * minCell = 11) and PCORnet's minimum cell of 11.
 * @example suppressCount(7, 11) // => null
 * @example suppressCount(0, 11) // => 0
 */
export function suppressCount(n: number, minCell: number): number | null {
  return isSmallCell(n, minCell) ? null : n;
}

/** True for a count that must not be shown: 1 ≤ n < minCell. */
export function isSmallCell(n: number, minCell: number): boolean {
  return n >= 1 && n < minCell;
}
