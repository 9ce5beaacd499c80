/**
 * Sudden gains and sudden losses in one episode's session-by-session outcome scores, by the three
 * criteria of Tang & DeRubeis (1999, JCCP 67:894–904), losses mirrored (Lutz et al. 2013,
 * Psychother Res 23:14–24). For the change between sessions n and n+1 (both scored):
 *   1. the improvement (a gain) or worsening (a loss) is at least `cutoff` score points;
 *   2. it is at least `pct` (25%) of the score at session n, for losses as for gains;
 *   3. the mean of up to 3 sessions before (n−2 … n) differs from the mean of up to 3 after
 *      (n+1 … n+3), in the same direction, by more than t·s_pooled, with s_pooled the pooled SD of
 *      the two windows and t the two-sided 5% critical value on n_pre + n_post − 2 df (2.776 on 4;
 *      3.182 and 4.303 when one or two scores are missing). Each window needs two scores.
 * A reversal: at a later session (n+2 onward) the score is worse than the score after the gain
 * by more than half the gain (Tang & DeRubeis 1999: half of the gain or more lost).
 * Sessions are positions: a session without a score is null, and stays in its place.
 * @example suddenShifts([35, 37, 34, 23, 24, 21, 29], { cutoff: 7, higherIsBetter: false })
 *   // => [{ kind: "gain", at: 2, before: 34, after: 23, magnitude: 11, reversal: true, … }]
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";

export type ShiftKind = "gain" | "loss";

export interface SuddenShiftRule {
  /** Criterion 1: the smallest change, in score points (> 0). */
  cutoff: number;
  /** Criterion 2: the smallest change as a share of the score before it (Tang & DeRubeis: 0.25). */
  pct?: number;
  higherIsBetter: boolean;
}

export interface SuddenShift {
  kind: ShiftKind;
  /** The position (0-based) of session n, the last before the shift. */
  at: number;
  before: number;
  after: number;
  /** The change in the direction of the kind: an improvement for a gain, a worsening for a loss (> 0). */
  magnitude: number;
  mean_pre: number;
  mean_post: number;
  /** The critical t of criterion 3 (its df: the two windows' scores less 2). */
  critical: number;
  /** Half the shift or more undone at a later session (n+2 onward). */
  reversal: boolean;
}

/** Two-sided 5% critical values of t by df, as criterion 3 uses them (df 2, 3, 4). */
const CRITICAL = new Map([2, 3, 4].map((df) => [df, tQuantile(0.975, df)]));

/**
 * Every sudden gain and every sudden loss of one sequence of scores, in session order.
 * @example suddenShifts([10, 11, 12, 30, 28, 33], { cutoff: 7, higherIsBetter: false })[0].kind // => "loss"
 */
export function suddenShifts(scores: readonly (number | null)[], rule: SuddenShiftRule): SuddenShift[] {
  if (!(rule.cutoff > 0)) throw new RangeError("suddenShifts: the cut-off must be a positive number of score points");
  const pct = rule.pct ?? 0.25;
  const out: SuddenShift[] = [];
  for (let n = 0; n + 1 < scores.length; n++) {
    const before = scores[n];
    const after = scores[n + 1];
    if (before == null || after == null) continue;
    const pre = present(scores.slice(Math.max(0, n - 2), n + 1));
    const post = present(scores.slice(n + 1, n + 4));
    if (pre.length < 2 || post.length < 2) continue;
    const critical = CRITICAL.get(pre.length + post.length - 2)!;
    const spread = critical * pooledSd(pre, post);
    const meanPre = mean(pre);
    const meanPost = mean(post);
    for (const kind of ["gain", "loss"] as const) {
      // +1 when the kind's direction is a rise in score.
      const up = (kind === "gain") === rule.higherIsBetter ? 1 : -1;
      const change = up * (after - before);
      if (change < rule.cutoff || change < pct * before) continue;
      if (!(up * (meanPost - meanPre) > spread)) continue;
      const undone = after - up * (change / 2);
      const reversal = scores.slice(n + 2).some((s) => s != null && up * (s - undone) < 0);
      out.push({
        kind,
        at: n,
        before,
        after,
        magnitude: change,
        mean_pre: meanPre,
        mean_post: meanPost,
        critical,
        reversal,
      });
    }
  }
  return out;
}

/**
 * Criterion 1 from the Reliable Change Index (Jacobson & Truax 1991): 1.96·√2·SD·√(1 − reliability),
 * SD the sample SD of the scores at the start.
 * @example reliableChangeCutoff(6.396073, 0.931) // => 4.65703 (suddengains' define_crit1_cutoff on sgdata)
 */
export function reliableChangeCutoff(sd: number, reliability: number): number {
  if (!(reliability > 0 && reliability < 1))
    throw new RangeError("reliableChangeCutoff: reliability must lie in (0, 1)");
  return 1.96 * Math.SQRT2 * sd * Math.sqrt(1 - reliability);
}

function present(xs: readonly (number | null)[]): number[] {
  return xs.filter((x): x is number => x != null);
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** √(((n₁−1)s₁² + (n₂−1)s₂²) / (n₁ + n₂ − 2)): the SD of the two windows pooled. */
function pooledSd(a: readonly number[], b: readonly number[]): number {
  const ss = (xs: readonly number[]) => {
    const m = mean(xs);
    return xs.reduce((s, x) => s + (x - m) ** 2, 0);
  };
  return Math.sqrt((ss(a) + ss(b)) / (a.length + b.length - 2));
}
