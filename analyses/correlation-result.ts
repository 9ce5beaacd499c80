/** The shape every correlation estimate in this package returns. */
export interface CorrelationEstimate {
  n: number;
  estimate: number;
  /** Student t statistic on n − 2 degrees of freedom. */
  t: number;
  df: number;
  /** Two-sided p-value. */
  p: number;
  /** Confidence interval bounds, or null where the method gives none. */
  ci_low: number | null;
  ci_high: number | null;
}
