/**
 * Ranks from 1 to n, ties given the mean of the ranks they span, as R's rank(x) with
 * ties.method = "average".
 * @example averageRanks([10, 20, 20, 5]) // => [2, 3.5, 3.5, 1]
 */
export function averageRanks(values: readonly number[]): number[] {
  const rank = rankLookup(values);
  return values.map((v) => rank.get(v)!);
}

/**
 * The same ranks as averageRanks, for a typed column, into a typed column (`into`'s first values when given).
 * @example averageRanksTyped(Float64Array.of(10, 20, 20, 5)) // => Float64Array [2, 3.5, 3.5, 1]
 */
export function averageRanksTyped(values: Float64Array, into?: Float64Array): Float64Array {
  const rank = rankLookup(values);
  const out = into ? into.subarray(0, values.length) : new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = rank.get(values[i]!)!;
  return out;
}

/** Each distinct value's average rank. */
function rankLookup(values: ArrayLike<number>): Map<number, number> {
  // Sorted natively as numbers, then each distinct value's average rank looked up: on a million
  // values, sorting (value, index) pairs with a comparator was most of a Spearman correlation.
  const sorted = Float64Array.from(values).sort();
  const rankOf = new Map<number, number>();
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[start]) end++;
    rankOf.set(sorted[start]!, (start + end) / 2 + 1);
    start = end + 1;
  }
  return rankOf;
}
