/**
 * Reliable and clinically significant change (Jacobson & Truax 1991, JCCP 59:12–19):
 *   SE = s₁·√(1 − r_xx),  S_diff = √(2·SE²),  RC = (post − pre)/S_diff, reliable when |RC| > 1.96;
 * s₁ is the SD of the pre scores (sample SD, n − 1) and r_xx the measure's reliability.
 * With a clinical cutoff, "recovered" = reliably improved and moved from the clinical to the
 * non-clinical side; otherwise reliably improved is "improved", reliably worse "deteriorated".
 * Direction follows the measure: for higher-is-better scores, improvement is a rise and the
 * clinical range lies below the cutoff.
 * @example jacobsonTruax([10, 20], [25, 18], { reliability: 0.9, cutoff: 22, higherIsBetter: true })
 */
import { sampleStandardDeviation } from "simple-statistics";

export type ChangeCategory = "recovered" | "improved" | "unchanged" | "deteriorated";
export const CHANGE_CATEGORIES: ChangeCategory[] = ["recovered", "improved", "unchanged", "deteriorated"];

export interface ReliableChange {
  sd_pre: number;
  se_measurement: number;
  s_diff: number;
  /** Smallest change in score points that counts as reliable: 1.96·S_diff. */
  threshold_points: number;
  categories: ChangeCategory[];
  counts: Record<ChangeCategory, number>;
}

export function jacobsonTruax(
  pre: readonly number[],
  post: readonly number[],
  o: { reliability: number; cutoff: number | null; higherIsBetter: boolean; sdPre?: number },
): ReliableChange {
  if (pre.length !== post.length || pre.length < 2)
    throw new RangeError("jacobsonTruax: needs paired pre and post scores, at least 2");
  if (!(o.reliability > 0 && o.reliability < 1))
    throw new RangeError("jacobsonTruax: reliability must lie between 0 and 1");
  const sd = o.sdPre ?? sampleStandardDeviation([...pre]);
  const se = sd * Math.sqrt(1 - o.reliability);
  const sDiff = Math.sqrt(2 * se * se);
  const sign = o.higherIsBetter ? 1 : -1;
  const clinical = (x: number) => (o.higherIsBetter ? x < o.cutoff! : x > o.cutoff!);
  const counts: Record<ChangeCategory, number> = { recovered: 0, improved: 0, unchanged: 0, deteriorated: 0 };
  const categories = pre.map((p, i) => {
    const rc = (sign * (post[i]! - p)) / sDiff;
    const c: ChangeCategory =
      rc > 1.96
        ? o.cutoff !== null && clinical(p) && !clinical(post[i]!)
          ? "recovered"
          : "improved"
        : rc < -1.96
          ? "deteriorated"
          : "unchanged";
    counts[c]++;
    return c;
  });
  return { sd_pre: sd, se_measurement: se, s_diff: sDiff, threshold_points: 1.96 * sDiff, categories, counts };
}
