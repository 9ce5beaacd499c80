/**
 * Groups numbered 0, 1, … in order of first appearance, one way for every analysis that sums by group
 * (the mixed models, the cluster bootstrap and jackknife, the robust Cox variance): from labels
 * (groupCodes) or from numbers already given (renumber).
 */
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

/**
 * Each row's group: its label (a name, or any value: rows with the same one are one group), or an
 * Int32Array of numbers standing for the groups (≥ 0; e.g. the therapist's code in a list of all
 * therapists, so that a million labels need not be looked up for every model). Either way the groups
 * are numbered in order of first appearance among the rows given, so a model sums them in the same
 * order and gives the same result to the last bit.
 */
export type GroupLabels = readonly (string | number)[] | Int32Array;

/** Each row's group as a number, groups numbered in order of first appearance. */
export interface GroupCodes {
  codes: Int32Array;
  count: number;
}

/**
 * Each row's group numbered 0, 1, … in order of first appearance.
 * @example groupCodes(["b", "a", "b"]) // => { codes: Int32Array [0, 1, 0], count: 2 }
 */
export function groupCodes(group: GroupLabels): GroupCodes {
  const codes = new Int32Array(group.length);
  if (group instanceof Int32Array) {
    let max = -1;
    for (let i = 0; i < group.length; i++) {
      if (!(group[i]! >= 0)) throw new RangeError("groupCodes: group numbers must be 0 or more");
      if (group[i]! > max) max = group[i]!;
    }
    const { id, g } = renumber(group, max + 1, codes);
    return { codes: id, count: g };
  }
  const numbers = new Map<string | number, number>();
  group.forEach((g, i) => {
    let code = numbers.get(g);
    if (code === undefined) numbers.set(g, (code = numbers.size));
    codes[i] = code;
  });
  return { codes, count: numbers.size };
}
