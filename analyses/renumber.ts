/**
 * Numbers given as ids (0 … bound − 1) renumbered 0, 1, … in order of first appearance: the groups a
 * subset of cases actually has, each numbered once, whatever ids the whole study gave them. Models
 * and resamples then sum the groups in the order they appear, the same order labels would give.
 * @example renumber(Int32Array.of(7, 2, 7), 8) // => { id: Int32Array [0, 1, 0], g: 2 }
 */
export function renumber(ids: ArrayLike<number>, bound: number, into?: Int32Array): { id: Int32Array; g: number } {
  const map = new Int32Array(bound).fill(-1);
  const id = into ? into.subarray(0, ids.length) : new Int32Array(ids.length);
  let g = 0;
  for (let i = 0; i < ids.length; i++) {
    const c = ids[i]!;
    if (map[c] === -1) map[c] = g++;
    id[i] = map[c]!;
  }
  return { id, g };
}
