/**
 * Upper tail P(χ²_df > x), computed as the regularized upper incomplete gamma Q(df/2, x/2) so
 * that very small p-values keep their relative precision (1 − cdf would not), as R's
 * pchisq(x, df, lower.tail = FALSE).
 * @example chiSquareTail(3.841458820694124, 1) // => 0.05 (to 1e-15)
 */
import gammainc from "@stdlib/math-base-special-gammainc";

export function chiSquareTail(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquareTail: df must be > 0, got ${df}`);
  return x <= 0 ? 1 : gammainc(x / 2, df / 2, true, true);
}
