/**
 * Ordinary least-squares line y = intercept + slope·x, as R's coef(lm(y ~ x)).
 * @example linearFit([1, 2, 3], [2, 4, 6]) // => { intercept: 0, slope: 2 }
 */
import { linearRegression } from "simple-statistics";

export function linearFit(x: readonly number[], y: readonly number[]): { intercept: number; slope: number } {
  if (x.length !== y.length || x.length < 2) throw new RangeError("linearFit: needs two equal-length arrays of at least 2 values");
  const { m, b } = linearRegression(x.map((xi, i) => [xi, y[i]!]));
  return { intercept: b, slope: m };
}
