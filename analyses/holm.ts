/**
 * Holm's step-down adjustment of a family of p-values, as R's p.adjust(p, "holm"):
 * sort ascending, multiply the i-th smallest by (m − i + 1), carry the running maximum, cap at 1.
 * Reference: Holm (1979), Scand J Stat 6:65–70.
 * @example holm([0.01, 0.04, 0.03, 0.005, 0.2]) // => [0.04, 0.09, 0.09, 0.025, 0.2]
 */
export function holm(p: readonly number[]): number[] {
  const m = p.length;
  const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p[i]!));
    adjusted[i] = running;
  });
  return adjusted;
}
