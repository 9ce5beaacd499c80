/**
 * Power of the two-sided test of a correlation, by the arctanh approximation of R's
 * pwr::pwr.r.test (Cohen 1988, ch. 3):
 *   r_c = √(t²/(t² + n − 2)), t = t_{1−α/2, n−2};  z_r = atanh(r) + r/(2(n − 1));
 *   power = Φ((z_r − atanh r_c)√(n − 3)) + Φ((−z_r − atanh r_c)√(n − 3)).
 * Its inverses (the smallest r detectable at a power for n, and the n needed for r) are found by
 * bisection to 1e-12; pwr.r.test solves the same equations with uniroot's looser default tolerance.
 * @example correlationPower(538, 0.2) // => 0.99686… (pwr.r.test(n = 538, r = 0.2)$power)
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";

export function correlationPower(n: number, r: number, alpha = 0.05): number {
  const t = tQuantile(1 - alpha / 2, n - 2);
  const rc = Math.sqrt((t * t) / (t * t + n - 2));
  const a = Math.abs(r);
  const zr = Math.atanh(a) + a / (2 * (n - 1));
  const zrc = Math.atanh(rc);
  return normalCdf((zr - zrc) * Math.sqrt(n - 3), 0, 1) + normalCdf((-zr - zrc) * Math.sqrt(n - 3), 0, 1);
}

/** The smallest |r| that n pairs detect with the given power. @example smallestDetectableR(538) // => 0.12043… */
export function smallestDetectableR(n: number, power = 0.8, alpha = 0.05): number {
  return bisect((r) => correlationPower(n, r, alpha) - power, 1e-10, 1 - 1e-10);
}

/** The (fractional) number of pairs needed to detect r with the given power; round up to use it. @example pairsNeeded(0.278) // => 98.42… */
export function pairsNeeded(r: number, power = 0.8, alpha = 0.05): number {
  return bisect((n) => correlationPower(n, r, alpha) - power, 4 + 1e-10, 1e9);
}

/** Root of an increasing function on [lo, hi] by bisection, to a relative width of 1e-12. */
function bisect(f: (x: number) => number, lo: number, hi: number): number {
  if (f(lo) > 0 || f(hi) < 0) throw new RangeError("bisect: the root is not bracketed");
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, Math.abs(lo)); i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
