/**
 * mulberry32: a 32-bit seeded generator (Tommy Ettinger, public domain), uniform on [0, 1).
 * The same seed gives the same stream on every machine, so seeded results are reproducible.
 * @example const u = seededUniform(1); u() // => 0.6270739405881613
 */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One bootstrap resample as counts: n draws from 0 … n − 1 (n = counts.length) with the mulberry32
 * stream of seededUniform continued from `state`, each draw adding 1 to its index's count. Returns the
 * state to continue from. Inlined arithmetic: a bootstrap makes B·n draws.
 * @example let s = seed >>> 0; s = resampleCounts(counts, s) // counts now sum to counts.length
 */
export function resampleCounts(counts: Int32Array, state: number): number {
  const n = counts.length;
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const j = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    counts[j] = counts[j]! + 1;
  }
  return state;
}
