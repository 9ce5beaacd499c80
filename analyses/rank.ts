/**
 * Ranks from 1 to n, ties given the mean of the ranks they span, as R's rank(x) with
 * ties.method = "average".
 * @example averageRanks([10, 20, 20, 5]) // => [2, 3.5, 3.5, 1]
 */
export function averageRanks(values: readonly number[]): number[] {
  return Array.from(averageRanksTyped(values));
}

/**
 * The same ranks as averageRanks, for a typed column, into a typed column (`into`'s first values when given).
 * A NaN (a missing value, which equals nothing) takes the last rank, n.
 * @example averageRanksTyped(Float64Array.of(10, 20, 20, 5)) // => Float64Array [2, 3.5, 3.5, 1]
 */
export function averageRanksTyped(values: ArrayLike<number>, into?: Float64Array): Float64Array {
  const n = values.length;
  const out = into ? into.subarray(0, n) : new Float64Array(n);
  const { hi, lo, index, m } = sortedKeys(values);
  for (let i = 0; i < n; i++) out[i] = n;
  // Each run of equal keys (equal values) takes the mean of the places it spans.
  for (let start = 0; start < m;) {
    let end = start;
    while (end + 1 < m && hi[end + 1] === hi[start] && lo[end + 1] === lo[start]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) out[index[k]!] = rank;
    start = end + 1;
  }
  return out;
}

/**
 * The values that are numbers (not NaN), sorted: each as a 64-bit key in two halves whose unsigned
 * order is the values' numeric order (the IEEE 754 bits with the sign bit flipped, or every bit for a
 * negative value; −0 is taken as +0, which it equals), with its index, by an LSD radix sort in
 * 16-bit digits. Four linear passes, each skipped when every key has the same digit; on 745,000
 * scores this took a third to a half of a native sort of the values followed by a binary search for
 * each one's rank.
 */
function sortedKeys(values: ArrayLike<number>): { hi: Uint32Array; lo: Uint32Array; index: Int32Array; m: number } {
  const n = values.length;
  const bits = new Float64Array(1);
  const word = new Uint32Array(bits.buffer);
  // The halves of a double in a Uint32Array over it: the high word is the second on a little-endian machine.
  const [H, L] = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? [1, 0] : [0, 1];
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let index = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    bits[0] = v === 0 ? 0 : v;
    let h = word[H]!;
    let l = word[L]!;
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    hi[m] = h;
    lo[m] = l;
    index[m++] = i;
  }
  let hi2 = new Uint32Array(m);
  let lo2 = new Uint32Array(m);
  let index2 = new Int32Array(m);
  const count = new Int32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const digits = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < m; i++) count[(digits[i]! >>> shift) & 0xffff]!++;
    if (m === 0 || count[(digits[0]! >>> shift) & 0xffff] === m) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < m; i++) {
      const at = count[(digits[i]! >>> shift) & 0xffff]!++;
      hi2[at] = hi[i]!;
      lo2[at] = lo[i]!;
      index2[at] = index[i]!;
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
    [index, index2] = [index2, index];
  }
  return { hi, lo, index, m };
}
