/**
 * Cox proportional-hazards regression with Efron's handling of tied event times, fitted by
 * Newton–Raphson from β = 0, as R's survival::coxph(Surv(time, event) ~ x, ties = "efron").
 * At an event time with d events, risk set R and event set D, Efron's partial likelihood uses,
 * for l = 0 … d − 1, the risk-set sums less l/d of the event-set sums (Efron 1977, JASA 72:557–565;
 * Therneau & Grambsch 2000, Modeling Survival Data, §3.3). Variance = inverse information at β̂.
 * Wald CIs and p-values: exp(β ± z·se), 2·Φ(−|β/se|), as summary(coxph) prints.
 * Throws SingularMatrixError when the information matrix is singular; `converged` is false when the
 * likelihood had not settled after maxIter steps (a coefficient running off to infinity).
 * @example coxEfron(time, event, [[0], [1], …]).coef // one coefficient per column of x
 */
import { Matrix } from "ml-matrix";
import { safeInverse } from "./matrix-errors.ts";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { efronEventTimes, riskData } from "./efron-risk-sets.ts";

export interface CoxFit {
  coef: number[];
  /** Model-based variance: the inverse information at β̂. */
  variance: number[][];
  se: number[];
  hr: number[];
  lower: number[];
  upper: number[];
  p: number[];
  /** Log partial likelihood at β = 0 and at β̂. */
  loglik: [number, number];
  iterations: number;
  /** Whether the log likelihood settled within maxIter steps (coxph: else a coefficient may be infinite). */
  converged: boolean;
  n: number;
  events: number;
}

export function coxEfron(
  time: readonly number[],
  event: readonly boolean[],
  x: readonly (readonly number[])[],
  level = 0.95,
  maxIter = 30,
): CoxFit {
  const n = time.length;
  const p = x[0]?.length ?? 0;
  if (n !== event.length || n !== x.length || p === 0)
    throw new RangeError("coxEfron: time, event and x must have the same length, x at least one column");
  const data = riskData(time, event, x);
  let beta = new Array<number>(p).fill(0);
  let { loglik, grad, info } = efronTerms(beta);
  const loglik0 = loglik;
  let iterations = 0;
  let settled = false;
  for (; iterations < maxIter; iterations++) {
    const step = safeInverse(new Matrix(info)).mmul(Matrix.columnVector(grad)).to1DArray();
    let next = beta.map((b, j) => b + step[j]!);
    let terms = efronTerms(next);
    // Converged when the log likelihood changes by a relative 1e-9 or less: coxph's test and default
    // (coxph.control(eps = 1e-9); survival/src/coxfit6.c), tested first so that rounding noise at the
    // optimum does not set off step halving. A stricter test never passes on a million episodes, whose
    // sums carry more rounding noise than that, and then every iteration halves its step 20 times.
    const converged = Math.abs(1 - loglik / terms.loglik) <= 1e-9;
    // Otherwise halve the step while the likelihood would fall, as coxph does.
    for (let h = 0; !converged && h < 20 && terms.loglik < loglik; h++) {
      next = next.map((b, j) => (b + beta[j]!) / 2);
      terms = efronTerms(next);
    }
    beta = next;
    ({ loglik, grad, info } = terms);
    if (converged) {
      settled = true;
      break;
    }
  }
  const variance = safeInverse(new Matrix(info));
  const se = beta.map((_, j) => Math.sqrt(variance.get(j, j)));
  const z = normalQuantile(1 - (1 - level) / 2, 0, 1);
  return {
    coef: beta,
    variance: variance.to2DArray(),
    se,
    hr: beta.map(Math.exp),
    lower: beta.map((b, j) => Math.exp(b - z * se[j]!)),
    upper: beta.map((b, j) => Math.exp(b + z * se[j]!)),
    p: beta.map((b, j) => 2 * normalCdf(-Math.abs(b / se[j]!), 0, 1)),
    loglik: [loglik0, loglik],
    iterations: iterations + 1,
    converged: settled,
    n,
    events: event.filter(Boolean).length,
  };

  function efronTerms(b: number[]) {
    let ll = 0;
    const g = new Array<number>(p).fill(0);
    const inf = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (const et of efronEventTimes(data, b)) {
      ll += et.etaDeaths - et.logA0;
      for (let j = 0; j < p; j++) {
        g[j]! += et.xDeaths[j]! - et.meanX[j]!;
        for (let k = 0; k < p; k++) inf[j]![k]! += et.info[j]![k]!;
      }
    }
    return { loglik: ll, grad: g, info: inf };
  }
}
