/**
 * Keeps the pairs where both values are present (pairwise-complete cases), as R's
 * cor(x, y, use = "pairwise.complete.obs") does.
 * @example pairwiseComplete([1, null, 3], [4, 5, null]) // => { x: [1], y: [4] }
 */
export function pairwiseComplete(
  x: ArrayLike<number | null>,
  y: ArrayLike<number | null>,
): { x: number[]; y: number[] } {
  if (x.length !== y.length) throw new RangeError(`pairwiseComplete: lengths differ (${x.length} vs ${y.length})`);
  const outX: number[] = [];
  const outY: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (a !== null && a !== undefined && b !== null && b !== undefined && Number.isFinite(a) && Number.isFinite(b)) {
      outX.push(a);
      outY.push(b);
    }
  }
  return { x: outX, y: outY };
}
