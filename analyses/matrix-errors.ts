/**
 * The one failure of linear algebra that data can cause: a singular matrix (a covariate constant in
 * every risk set, two collinear predictors). Analyses turn it into "not estimable" with a reason;
 * any other error is a bug and propagates.
 */
import { Matrix, inverse, solve } from "ml-matrix";

export class SingularMatrixError extends Error {
  constructor(what: string) {
    super(`${what}: the matrix is singular`);
    this.name = "SingularMatrixError";
  }
}

/** ml-matrix's LU and Cholesky refusals, and results that are not finite, as SingularMatrixError. */
function guard<T extends Matrix>(what: string, compute: () => T): T {
  let m: T;
  try {
    m = compute();
  } catch (e) {
    if (e instanceof Error && /singular|not positive definite/i.test(e.message)) throw new SingularMatrixError(what);
    throw e;
  }
  if (m.to1DArray().some((v) => !Number.isFinite(v))) throw new SingularMatrixError(what);
  return m;
}

/** The inverse of a square matrix. @example safeInverse(new Matrix([[2]])).get(0, 0) // => 0.5 */
export const safeInverse = (m: Matrix): Matrix => guard("inverse", () => inverse(m));

/** The solution x of A x = b. @example safeSolve(new Matrix([[2]]), Matrix.columnVector([4])).get(0, 0) // => 2 */
export const safeSolve = (a: Matrix, b: Matrix): Matrix => guard("solve", () => solve(a, b));
