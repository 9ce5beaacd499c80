/**
 * Shewhart p-chart: the proportion of each subgroup with 3-sigma limits that follow its own
 * denominator, p̄ ± 3·√(p̄(1 − p̄)/n_i), clipped to [0, 1], where p̄ = Σx_i / Σn_i over the chart.
 * Reference: Montgomery, Introduction to Statistical Quality Control (7th ed., 2013), §7.2.2
 * (variable sample size); Provost & Murray, The Health Care Data Guide (2011), ch. 5.
 * @example pChart([10, 12], [100, 100]).center // => 0.11
 */

export interface PChartPoint {
  x: number;
  n: number;
  p: number;
  lower: number;
  upper: number;
}

export interface PChart {
  center: number;
  points: PChartPoint[];
}

export function pChart(x: readonly number[], n: readonly number[]): PChart {
  if (x.length !== n.length || x.length === 0)
    throw new RangeError("pChart: need one count and one denominator per subgroup");
  if (n.some((v, i) => !Number.isInteger(v) || v < 1 || !Number.isInteger(x[i]) || x[i]! < 0 || x[i]! > v))
    throw new RangeError("pChart: need whole 0 ≤ x ≤ n, n ≥ 1");
  const center = x.reduce((a, b) => a + b, 0) / n.reduce((a, b) => a + b, 0);
  const points = x.map((xi, i) => {
    const half = 3 * Math.sqrt((center * (1 - center)) / n[i]!);
    return { x: xi, n: n[i]!, p: xi / n[i]!, lower: Math.max(0, center - half), upper: Math.min(1, center + half) };
  });
  return { center, points };
}
