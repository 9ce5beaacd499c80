/**
 * Alliance ruptures and their repair in one episode's session-by-session ratings A₁ … Aₙ (the
 * sessions with a rating, in date order; a session without one is skipped, not a gap).
 *   s = max(the episode's own SD of its ratings (n ≥ 3), the study's pooled within-episode SD);
 *   a rupture at session t (2 ≤ t ≤ n) when A₍ₜ₋₁₎ − Aₜ ≥ k·s (Stiles et al. 2004: k = 2;
 *   Strauss et al. 2006: k = 1; the larger SD as Gumz et al. 2012, BMC Med Res Methodol 12:10);
 *   repaired when one of the next R rated sessions has A ≥ A₍ₜ₋₁₎, unrepaired when none does and
 *   all R exist, ended before repair when the ratings end sooner. Every qualifying t counts.
 * A drop within 1e-9 (relative) of k·s counts, so that a drop of exactly k·s is not lost to rounding.
 * docs/dynamics.md gives the choices and the cited papers' variants.
 * @example findRuptures([30, 30, 24, 29, 31], 2, { k: 2, repairSessions: 3 })
 *   // => [{ at: 3, before: 30, rating: 24, drop: 6, outcome: "repaired", repaired_at: 5 }]
 */

export type RuptureOutcome = "repaired" | "unrepaired" | "ended";

export interface RuptureRule {
  /** The drop, in SDs (s), that is a rupture. */
  k: number;
  /** R: the rated sessions after a rupture within which a return to the earlier level repairs it. */
  repairSessions: number;
}

export interface Rupture {
  /** t: the rupture's session among the rated ones (1-based). */
  at: number;
  before: number;
  rating: number;
  drop: number;
  outcome: RuptureOutcome;
  /** The rated session (1-based) that repaired it. */
  repaired_at: number | null;
}

/** Episodes with fewer ratings than this have no own SD and no ruptures counted. */
export const MIN_RATINGS = 3;

/**
 * The pooled within-episode SD, √(Σₑ Σᵢ (Aₑᵢ − Āₑ)² / Σₑ (nₑ − 1)), over the episodes with 3 or
 * more ratings; null when there are none (or no spread at all).
 * @example pooledWithinSd([[1, 2, 3], [5, 5, 8]]) // => √((2 + 6) / 4) = 1.41421…
 */
export function pooledWithinSd(episodes: Iterable<readonly number[]>): number | null {
  let ss = 0;
  let df = 0;
  for (const a of episodes) {
    if (a.length < MIN_RATINGS) continue;
    ss += sumOfSquares(a);
    df += a.length - 1;
  }
  return df > 0 && ss > 0 ? Math.sqrt(ss / df) : null;
}

/**
 * s for one episode: the larger of its own SD (3 or more ratings) and the pooled SD.
 * @example episodeSd([30, 30, 24, 29, 31], 2) // => 2.7386… (its own SD is larger)
 */
export function episodeSd(ratings: readonly number[], pooled: number): number {
  if (ratings.length < MIN_RATINGS) return pooled;
  return Math.max(pooled, Math.sqrt(sumOfSquares(ratings) / (ratings.length - 1)));
}

/**
 * Every rupture of one episode's ratings at threshold s, with its outcome. None for fewer than 3 ratings.
 * @example findRuptures([30, 25, 26], 2, { k: 1, repairSessions: 3 })[0].outcome // => "ended"
 */
export function findRuptures(ratings: readonly number[], s: number, rule: RuptureRule): Rupture[] {
  if (!(s > 0) || !(rule.k > 0) || !(rule.repairSessions >= 1)) {
    throw new RangeError("findRuptures: s and k must be positive, and R at least 1");
  }
  const n = ratings.length;
  if (n < MIN_RATINGS) return [];
  const threshold = rule.k * s * (1 - 1e-9);
  const out: Rupture[] = [];
  for (let t = 1; t < n; t++) {
    const before = ratings[t - 1]!;
    const drop = before - ratings[t]!;
    if (drop < threshold) continue;
    let repairedAt: number | null = null;
    const last = Math.min(n - 1, t + rule.repairSessions);
    for (let u = t + 1; u <= last; u++) {
      if (ratings[u]! >= before) {
        repairedAt = u + 1;
        break;
      }
    }
    const outcome: RuptureOutcome =
      repairedAt !== null ? "repaired" : t + rule.repairSessions <= n - 1 ? "unrepaired" : "ended";
    out.push({ at: t + 1, before, rating: ratings[t]!, drop, outcome, repaired_at: repairedAt });
  }
  return out;
}

/**
 * The days at which an episode has a rupture open (not yet repaired): the changes of the
 * time-dependent covariate "an unrepaired rupture", to 1 at a rupture's session and back to 0 at
 * the session that repairs the last open one. Days since admission.
 * @example openRuptureChanges([{ day: 14, repaired_day: 28 }]) // => [[14, 1], [28, 0]]
 */
export function openRuptureChanges(
  ruptures: readonly { day: number; repaired_day: number | null }[],
): [number, 0 | 1][] {
  const delta = new Map<number, number>();
  for (const r of ruptures) {
    delta.set(r.day, (delta.get(r.day) ?? 0) + 1);
    if (r.repaired_day !== null) delta.set(r.repaired_day, (delta.get(r.repaired_day) ?? 0) - 1);
  }
  const out: [number, 0 | 1][] = [];
  let open = 0;
  for (const day of [...delta.keys()].sort((a, b) => a - b)) {
    const was = open > 0;
    open += delta.get(day)!;
    if (open > 0 !== was) out.push([day, open > 0 ? 1 : 0]);
  }
  return out;
}

function sumOfSquares(a: readonly number[]): number {
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  return a.reduce((s, x) => s + (x - m) ** 2, 0);
}
