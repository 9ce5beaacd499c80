/**
 * Records' indices ordered by their times, as the survival analyses walk them. Whole-day times (the
 * usual case) are placed by a counting sort: one count per day, then each record in index order into
 * its day's next place, far faster than sorting a million records; other times by comparator. Ties
 * come first index first either way, so the order, and every sum taken along it, is the same on every
 * run and by either path.
 */

/** Whether times are whole numbers in [0, 2^20) (days: a counting sort's table is then at most 4 MB). */
const countable = (time: ArrayLike<number>): boolean => {
  for (let i = 0; i < time.length; i++) {
    const t = time[i]!;
    if (!Number.isInteger(t) || t < 0 || t >= 2 ** 20) return false;
  }
  return true;
};

/** Each record's place when the records go by day, ascending or descending, ties in index order. */
function countingOrder(time: readonly number[], descending: boolean): Int32Array {
  const n = time.length;
  let max = 0;
  for (let i = 0; i < n; i++) if (time[i]! > max) max = time[i]!;
  // next[d]: where the next record of day d goes, once the days before it (in the order) are counted.
  const next = new Int32Array(max + 1);
  for (let i = 0; i < n; i++) next[time[i]!]!++;
  let at = 0;
  for (let k = 0; k <= max; k++) {
    const d = descending ? max - k : k;
    const count = next[d]!;
    next[d] = at;
    at += count;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[next[time[i]!]!++] = i;
  return order;
}

/**
 * Indices by ascending time, ties by ascending index: the order of
 * `time.map((_, i) => i).sort((a, b) => time[a] - time[b])`.
 * @example ascendingOrder([3, 1, 3, 0]) // => Int32Array [3, 1, 0, 2]
 */
export function ascendingOrder(time: readonly number[]): Int32Array {
  if (!countable(time)) return Int32Array.from(time.map((_, i) => i).sort((a, b) => time[a]! - time[b]!));
  return countingOrder(time, false);
}

/**
 * Indices by descending time, ties by ascending index.
 * @example descendingOrder([3, 1, 3, 0]) // => Int32Array [0, 2, 1, 3]
 */
export function descendingOrder(time: readonly number[]): Int32Array {
  if (!countable(time)) return Int32Array.from(time.map((_, i) => i).sort((a, b) => time[b]! - time[a]! || a - b));
  return countingOrder(time, true);
}
