/**
 * The index of the first value ≥ t in ascending values (their length when there is none), by
 * binary search: for counts at risk from sorted times, and for membership in a sorted set of hashes.
 * @example lowerBound(Float64Array.of(1, 3, 3, 7), 3) // => 1; lowerBound(Float64Array.of(1, 3), 9) // => 2
 */
export function lowerBound(sorted: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
