/** A small seeded random source, so the demo study is the same on every machine. */
import { seededUniform } from "../../analyses/seeded-random.ts";

export interface Random {
  uniform(): number;
  /** Normal with the given mean and sd (Box–Muller). */
  normal(mean?: number, sd?: number): number;
  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function createRandom(seed: number): Random {
  const u = seededUniform(seed);
  return {
    uniform: u,
    normal(mean = 0, sd = 1) {
      const u1 = 1 - u();
      const u2 = u();
      return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    int(lo, hi) {
      return lo + Math.floor(u() * (hi - lo + 1));
    },
    chance(p) {
      return u() < p;
    },
    pick(items) {
      return items[Math.floor(u() * items.length)]!;
    },
  };
}
