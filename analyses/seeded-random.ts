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
