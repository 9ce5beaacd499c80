/**
 * Special-cause rules for a Shewhart chart, as The Health Care Data Guide gives them
 * (Provost & Murray 2011, ch. 5, the rules for detecting special causes; the set IHI teaches):
 *   1 beyond limits  a single point outside the control limits
 *   2 shift          8 or more consecutive points all above, or all below, the center line
 *                    (a point on the center line neither counts nor breaks the run)
 *   3 trend          6 or more consecutive points all going up, or all going down
 *                    (equal neighbours neither count nor break the run)
 *   4 two of three   2 of 3 consecutive points in the outer third of the limits, same side
 * Points that are null (withheld or not observed) break runs.
 * @example specialCauses([{ value: 0.5, center: 0.2, lower: 0, upper: 0.4 }])[0].rule // => "beyond_limits"
 */

export type SpecialCauseRule = "beyond_limits" | "shift" | "trend" | "two_of_three";

export const RULE_TEXT: Record<SpecialCauseRule, string> = {
  beyond_limits: "a point beyond the control limits",
  shift: "a shift: 8 or more consecutive points on one side of the center line",
  trend: "a trend: 6 or more consecutive points all increasing or all decreasing",
  two_of_three: "2 of 3 consecutive points in the outer third of the limits, on one side",
};

export const SHIFT_LENGTH = 8;
export const TREND_LENGTH = 6;

export interface ChartPoint {
  value: number | null;
  center: number;
  lower: number;
  upper: number;
}

export interface SpecialCause {
  rule: SpecialCauseRule;
  /** Indexes of the points that make up the signal. */
  points: number[];
}

export function specialCauses(series: readonly ChartPoint[]): SpecialCause[] {
  const found: SpecialCause[] = [];
  series.forEach((s, i) => {
    if (s.value !== null && (s.value > s.upper || s.value < s.lower))
      found.push({ rule: "beyond_limits", points: [i] });
  });
  found.push(...runs(series, (s) => Math.sign(s.value! - s.center), SHIFT_LENGTH, "shift"));
  found.push(...trends(series));
  for (let i = 0; i + 2 < series.length; i++) {
    for (const side of [1, -1]) {
      const window = [i, i + 1, i + 2];
      const outer = window.filter((k) => {
        const s = series[k]!;
        if (s.value === null) return false;
        return side > 0
          ? s.value > s.center + (2 / 3) * (s.upper - s.center)
          : s.value < s.center - (2 / 3) * (s.center - s.lower);
      });
      if (outer.length >= 2 && !found.some((f) => f.rule === "two_of_three" && f.points.some((k) => outer.includes(k))))
        found.push({ rule: "two_of_three", points: outer });
    }
  }
  return found;
}

/** Maximal runs of points on one side of the center line (sign ±1; zeros skipped) of at least `min` points. */
function runs(
  series: readonly ChartPoint[],
  side: (s: ChartPoint) => number,
  min: number,
  rule: SpecialCauseRule,
): SpecialCause[] {
  const out: SpecialCause[] = [];
  let current: number[] = [];
  let sign = 0;
  const close = () => {
    if (current.length >= min) out.push({ rule, points: current });
    current = [];
    sign = 0;
  };
  series.forEach((s, i) => {
    if (s.value === null) return close();
    const v = side(s);
    if (v === 0) return; // on the center line: neither counts nor breaks
    if (v !== sign) close();
    sign = v;
    current.push(i);
  });
  close();
  return out;
}

/** Maximal monotone runs of at least TREND_LENGTH points (ties skipped). */
function trends(series: readonly ChartPoint[]): SpecialCause[] {
  const out: SpecialCause[] = [];
  let current: number[] = [];
  let direction = 0;
  const close = () => {
    if (current.length >= TREND_LENGTH) out.push({ rule: "trend", points: current });
  };
  series.forEach((s, i) => {
    if (s.value === null) {
      close();
      current = [];
      direction = 0;
      return;
    }
    const last = current.length ? series[current[current.length - 1]!]!.value! : null;
    if (last === null) return void current.push(i);
    const d = Math.sign(s.value - last);
    if (d === 0) return; // equal neighbours: neither counts nor breaks
    if (direction !== 0 && d !== direction) {
      close();
      current = [current[current.length - 1]!]; // the turning point starts the next run
    }
    direction = d;
    current.push(i);
  });
  close();
  return out;
}
