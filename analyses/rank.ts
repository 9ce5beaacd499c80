/**
 * Ranks from 1 to n, ties given the mean of the ranks they span, as R's rank(x) with
 * ties.method = "average".
 * @example averageRanks([10, 20, 20, 5]) // => [2, 3.5, 3.5, 1]
 */
export function averageRanks(values: readonly number[]): number[] {
  const ranks = rankTable(values);
  return values.map((v) => rankOf(ranks, v));
}

/**
 * The same ranks as averageRanks, for a typed column, into a typed column (`into`'s first values when given).
 * @example averageRanksTyped(Float64Array.of(10, 20, 20, 5)) // => Float64Array [2, 3.5, 3.5, 1]
 */
export function averageRanksTyped(values: Float64Array, into?: Float64Array): Float64Array {
  const ranks = rankTable(values);
  const out = into ? into.subarray(0, values.length) : new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = rankOf(ranks, values[i]!);
  return out;
}

/** The distinct values in ascending order (NaN, which equals nothing, last) and each one's average rank. */
interface RankTable {
  distinct: Float64Array;
  rank: Float64Array;
  /** How many values there are: the rank of a NaN. */
  count: number;
}

/**
 * Sorted natively as numbers, each run of equal values given the mean of the ranks it spans. Values are
 * then found by binary search: on a million values with many distinct ones, looking them up in a Map
 * keyed by number took longer than the sort.
 */
function rankTable(values: ArrayLike<number>): RankTable {
  const sorted = Float64Array.from(values).sort();
  let numbers = sorted.length;
  while (numbers > 0 && Number.isNaN(sorted[numbers - 1])) numbers--;
  const distinct = new Float64Array(numbers);
  const rank = new Float64Array(numbers);
  let d = 0;
  for (let start = 0; start < numbers; ) {
    let end = start;
    while (end + 1 < numbers && sorted[end + 1] === sorted[start]) end++;
    distinct[d] = sorted[start]!;
    rank[d++] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return { distinct: distinct.subarray(0, d), rank: rank.subarray(0, d), count: sorted.length };
}

/** A value's average rank; a NaN ranks last (each NaN equals no value, so all take the last rank). */
function rankOf(table: RankTable, v: number): number {
  if (Number.isNaN(v)) return table.count;
  const { distinct } = table;
  let lo = 0;
  let hi = distinct.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (distinct[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return table.rank[lo]!;
}
