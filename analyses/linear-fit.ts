/**
 * Ordinary least-squares line y = intercept + slope·x, as R's coef(lm(y ~ x)).
 * The arithmetic is simple-statistics' linearRegression, step for step (centred on the means, then
 * the cross products), so the line is the same to the bit; it reads the two arrays as they are
 * rather than as an array of [x, y] pairs, which at 745,000 episodes were as many small arrays to
 * build and collect.
 * @example linearFit([1, 2, 3], [2, 4, 6]) // => { intercept: 0, slope: 2 }
 */
export function linearFit(x: ArrayLike<number>, y: ArrayLike<number>): { intercept: number; slope: number } {
  if (x.length !== y.length || x.length < 2)
    throw new RangeError("linearFit: needs two equal-length arrays of at least 2 values");
  const n = x.length;
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumX += x[i]!;
    sumY += y[i]!;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sumXY = 0;
  let sumXX = 0;
  for (let i = 0; i < n; i++) {
    const deviationX = x[i]! - meanX;
    sumXY += deviationX * (y[i]! - meanY);
    sumXX += deviationX * deviationX;
  }
  const slope = sumXY / sumXX;
  return { intercept: meanY - slope * meanX, slope };
}
