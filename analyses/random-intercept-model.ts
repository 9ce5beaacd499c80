/**
 * Linear mixed model with one random intercept per group, fitted by REML, as
 * lme4::lmer(y ~ x1 + … + (1 | group), REML = TRUE) with lmerTest's Satterthwaite tests.
 *
 * Model: y = Xβ + Zu + e, u ~ N(0, σ²_g), e ~ N(0, σ²); V = σ²(I + λZZᵀ), λ = σ²_g/σ².
 * λ is found by minimising lme4's REML criterion, profiled over β and σ²:
 *   REMLcrit(λ) = log|I + λZZᵀ| + log|XᵀH⁻¹X| + (n − p)(1 + log(2π·r/(n − p))),  H = I + λZZᵀ,
 *   r = yᵀH⁻¹(y − Xβ̂);  σ̂² = r/(n − p);  Var(β̂) = σ̂²(XᵀH⁻¹X)⁻¹ (Bates et al. 2015, JSS 67(1), §3).
 * With one intercept per group everything reduces to per-group sums (H⁻¹ of a group of size m is
 * I − λ/(1 + λm)·J), so a fit costs O(n·p²) once and O(groups·p²) per trial λ.
 * Tests: t = β̂/SE on Satterthwaite df, df = 2(cᵀΦc)² / (gᵀAg), with g the gradient of cᵀΦc in
 * (σ²_g, σ²) and A the inverse observed REML information, both exact here (lmerTest computes
 * them numerically in its own parameterisation; the df is the same at an interior optimum).
 * Kuznetsova, Brockhoff & Christensen 2017, JSS 82(13), §3. CIs: β̂ ± t_{df}·SE.
 * @example randomInterceptModel(y, x.map((xi) => [1, xi]), therapist, ["(Intercept)", "x"]).coefficients[1]
 */
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { groupCodes, type GroupCodes, type GroupLabels } from "./renumber.ts";

export interface MixedCoefficient {
  name: string;
  estimate: number;
  se: number;
  /** Satterthwaite degrees of freedom. */
  df: number;
  t: number;
  p: number;
  ci_low: number;
  ci_high: number;
}

export interface MixedModelFit {
  n: number;
  groups: number;
  coefficients: MixedCoefficient[];
  /** Linear combinations of the coefficients asked for, tested the same way. */
  contrasts: MixedCoefficient[];
  /** REML variance components: between groups (σ²_g) and residual (σ²). */
  var_group: number;
  var_residual: number;
  /** Share of the residual variance between groups, σ²_g / (σ²_g + σ²). */
  icc: number;
  /** lme4's REMLcrit (−2 × restricted log-likelihood). */
  reml_criterion: number;
  /** True when σ²_g is estimated at 0 (lme4: "boundary (singular) fit"). */
  singular: boolean;
}

export interface Contrast {
  name: string;
  /** One weight per coefficient. */
  weights: number[];
}

export function randomInterceptModel(
  y: readonly number[],
  x: readonly (readonly number[])[],
  group: GroupLabels,
  names: readonly string[],
  contrasts: readonly Contrast[] = [],
  level = 0.95,
): MixedModelFit {
  const p = names.length;
  if (x.length !== y.length || x.some((row) => row.length !== p)) {
    throw new RangeError("randomInterceptModel: y, x and group must have the same length, and x one column per name");
  }
  const flat = new Float64Array(y.length * p);
  x.forEach((row, i) => flat.set(row, i * p));
  return randomInterceptModelFlat(y, flat, group, names, contrasts, level);
}

/**
 * The same model with the fixed-effect design as one flat row-major array (p = names.length values per
 * row): a million rows as arrays of their own were most of a fit's garbage collection.
 * @example randomInterceptModelFlat(y, Float64Array.from(y, () => 1), group, ["(Intercept)"]).icc
 */
export function randomInterceptModelFlat(
  y: ArrayLike<number>,
  x: Float64Array,
  group: GroupLabels,
  names: readonly string[],
  contrasts: readonly Contrast[] = [],
  level = 0.95,
): MixedModelFit {
  const n = y.length;
  const p = names.length;
  if (x.length !== n * p || group.length !== n) {
    throw new RangeError("randomInterceptModel: y, x and group must have the same length, and x one column per name");
  }
  if (n <= p + 1) throw new RangeError(`randomInterceptModel: needs more than ${p + 1} observations, got ${n}`);
  const groups = groupCodes(group);
  if (groups.count < 2) throw new RangeError("randomInterceptModel: needs at least two groups");
  const sums = groupSums(y, x, groups, p);
  const crit = (theta: number) => profile(sums, p, n, theta * theta).crit;
  const theta = minimiseTheta(crit);
  const fit = profile(sums, p, n, theta * theta);
  if (!fit.ok) throw new RangeError("randomInterceptModel: the fixed-effect columns are collinear");
  const sigma2 = fit.r / (n - p);
  const varGroup = theta * theta * sigma2;
  const phi = fit.winv.mul(sigma2);
  const info = observedInformation(sums, x, y, groups, fit.beta, phi, varGroup, sigma2);
  const test = (name: string, c: number[]) => coefficientTest(name, c, fit.beta, phi, info, n - p, level);
  return {
    n,
    groups: groups.count,
    coefficients: names.map((name, j) =>
      test(
        name,
        names.map((_, k) => (k === j ? 1 : 0)),
      ),
    ),
    contrasts: contrasts.map((c) => test(c.name, c.weights)),
    var_group: varGroup,
    var_residual: sigma2,
    icc: varGroup / (varGroup + sigma2),
    reml_criterion: fit.crit,
    singular: varGroup === 0,
  };
}

/**
 * Intraclass correlation by REML: σ²_g / (σ²_g + σ²) of lmer(y ~ 1 + (1 | group)).
 * @example interceptOnlyIcc([…], […]).icc
 */
export function interceptOnlyIcc(y: ArrayLike<number>, group: GroupLabels): MixedModelFit {
  return randomInterceptModelFlat(y, new Float64Array(y.length).fill(1), group, ["(Intercept)"]);
}

/** Every group's sums, in flat arrays (group g's entries at g, g·p + a and g·p² + a·p + b). */
interface FlatSums {
  count: number;
  m: Float64Array;
  sx: Float64Array;
  sxx: Float64Array;
  sy: Float64Array;
  sxy: Float64Array;
  syy: Float64Array;
  /** The distinct group sizes, and each group's place among them (sizeOf[g]). */
  sizes: Float64Array;
  sizeOf: Int32Array;
}

/** Each group's sums, in one pass over the rows (each group's rows are added in row order). */
function groupSums(y: ArrayLike<number>, x: Float64Array, groups: GroupCodes, p: number): FlatSums {
  const g = groups.count;
  const f: FlatSums = {
    count: g,
    m: new Float64Array(g),
    sx: new Float64Array(g * p),
    sxx: new Float64Array(g * p * p),
    sy: new Float64Array(g),
    sxy: new Float64Array(g * p),
    syy: new Float64Array(g),
    sizes: new Float64Array(0),
    sizeOf: new Int32Array(g),
  };
  const { m, sx, sxx, sy, sxy, syy } = f;
  for (let i = 0; i < y.length; i++) {
    const k = groups.codes[i]!;
    const at = i * p;
    const yi = y[i]!;
    m[k]!++;
    sy[k]! += yi;
    syy[k]! += yi * yi;
    for (let a = 0; a < p; a++) {
      const xa = x[at + a]!;
      sx[k * p + a]! += xa;
      sxy[k * p + a]! += xa * yi;
      for (let b = 0; b < p; b++) sxx[(k * p + a) * p + b]! += xa * x[at + b]!;
    }
  }
  const place = new Map<number, number>();
  for (let k = 0; k < g; k++) {
    let s = place.get(m[k]!);
    if (s === undefined) place.set(m[k]!, (s = place.size));
    f.sizeOf[k] = s;
  }
  f.sizes = Float64Array.from(place.keys());
  return f;
}

/**
 * The REML criterion and GLS estimates at one λ, from the group sums. Called a hundred times or so
 * per fit: plain arrays in the loop over groups (tens of thousands of therapists), a matrix only at the end.
 * A group's shrinkage λ/(1 + λm) and log(1 + λm) depend on its size m alone, so each is computed
 * once per distinct size (a few dozen) rather than once per group; the sums are added in the same
 * order, so the result is the same to the last bit.
 */
function profile(sums: FlatSums, p: number, n: number, lambda: number) {
  const wf = new Float64Array(p * p);
  const wxy = new Array<number>(p).fill(0);
  let wyy = 0;
  let logDetH = 0;
  const { sx, sxx, sy, sxy, syy, sizes, sizeOf } = sums;
  const shrink = new Float64Array(sizes.length);
  const logs = new Float64Array(sizes.length);
  for (let s = 0; s < sizes.length; s++) {
    shrink[s] = lambda / (1 + lambda * sizes[s]!);
    logs[s] = Math.log1p(lambda * sizes[s]!);
  }
  if (p === 1) {
    // The intercept-only model (the ICCs): the loop below with its sums in locals, the same operations.
    let wf0 = 0;
    let wxy0 = 0;
    for (let k = 0; k < sums.count; k++) {
      const syk = sy[k]!;
      const c = shrink[sizeOf[k]!]!;
      logDetH += logs[sizeOf[k]!]!;
      wyy += syy[k]! - c * syk * syk;
      const sxa = sx[k]!;
      wxy0 += sxy[k]! - c * sxa * syk;
      wf0 = wf0 + sxx[k]! - c * sxa * sxa;
    }
    wf[0] = wf0;
    wxy[0] = wxy0;
  } else {
    for (let k = 0; k < sums.count; k++) {
      const syk = sy[k]!;
      const c = shrink[sizeOf[k]!]!;
      logDetH += logs[sizeOf[k]!]!;
      wyy += syy[k]! - c * syk * syk;
      for (let a = 0; a < p; a++) {
        const sxa = sx[k * p + a]!;
        wxy[a]! += sxy[k * p + a]! - c * sxa * syk;
        for (let b = 0; b <= a; b++)
          wf[a * p + b] = wf[a * p + b]! + sxx[(k * p + a) * p + b]! - c * sxa * sx[k * p + b]!;
      }
    }
  }
  const w = new Matrix(p, p);
  for (let a = 0; a < p; a++) for (let b = 0; b <= a; b++) w.set(a, b, wf[a * p + b]!);
  for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) w.set(a, b, w.get(b, a));
  const chol = new CholeskyDecomposition(w);
  const l = chol.lowerTriangularMatrix;
  // A pivot that is tiny next to its column's own sum of squares means a column is a combination of others.
  const collinear =
    !chol.isPositiveDefinite() ||
    Array.from({ length: p }, (_, j) => l.get(j, j) ** 2 <= 1e-10 * w.get(j, j)).some(Boolean);
  if (collinear) return { ok: false as const, crit: Infinity, r: NaN, beta: [] as number[], winv: w };
  const beta = chol.solve(Matrix.columnVector(wxy)).to1DArray();
  const r = wyy - beta.reduce((s, b, j) => s + b * wxy[j]!, 0);
  let logDetW = 0;
  for (let j = 0; j < p; j++) logDetW += 2 * Math.log(l.get(j, j));
  const crit = logDetH + logDetW + (n - p) * (1 + Math.log((2 * Math.PI * r) / (n - p)));
  return { ok: true as const, crit, r, beta, winv: chol.solve(Matrix.eye(p)) };
}

/** θ = √λ ≥ 0 minimising the criterion: a log-spaced grid, then Brent's method around the best point. */
export function minimiseTheta(f: (theta: number) => number): number {
  const grid = [0, ...Array.from({ length: 81 }, (_, i) => 10 ** (-4 + i * 0.1))];
  const values = grid.map(f);
  let best = 0;
  for (let i = 1; i < grid.length; i++) if (values[i]! < values[best]!) best = i;
  const lo = grid[Math.max(0, best - 1)]!;
  const hi = grid[Math.min(grid.length - 1, best + 1)]!;
  const theta = brent(f, lo, hi);
  const found = f(theta) <= values[best]! ? theta : grid[best]!;
  // A criterion flat to rounding towards θ = 0 is a boundary fit (lme4 reports it as singular).
  return values[0]! <= f(found) + 1e-9 ? 0 : found;
}

/** Brent's minimisation on [a, b] (Brent 1973, ch. 5), to a relative tolerance of 1e-12. */
function brent(f: (x: number) => number, a: number, b: number): number {
  const golden = 0.381966011250105;
  let x = a + golden * (b - a);
  let w = x;
  let v = x;
  let fx = f(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  for (let iter = 0; iter < 200; iter++) {
    const mid = (a + b) / 2;
    const tol = 1e-12 * Math.abs(x) + 1e-15;
    if (Math.abs(x - mid) <= 2 * tol - (b - a) / 2) break;
    let parabolic = false;
    if (Math.abs(e) > tol) {
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let pp = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) pp = -pp;
      q = Math.abs(q);
      if (Math.abs(pp) < Math.abs(0.5 * q * e) && pp > q * (a - x) && pp < q * (b - x)) {
        e = d;
        d = pp / q;
        parabolic = true;
        if (x + d - a < 2 * tol || b - (x + d) < 2 * tol) d = x < mid ? tol : -tol;
      }
    }
    if (!parabolic) {
      e = (x < mid ? b : a) - x;
      d = golden * e;
    }
    const u = Math.abs(d) >= tol ? x + d : x + (d > 0 ? tol : -tol);
    const fu = f(u);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return x;
}

/**
 * Observed information of the restricted log-likelihood in φ = (σ²_g, σ²), and the pieces the
 * Satterthwaite gradient needs. For V linear in φ (V_g = ZZᵀ, V_e = I), with P the REML projection:
 *   −∂²l/∂φ_k∂φ_l = −½ tr(P V_k P V_l) + yᵀP V_k P V_l P y.
 * Each group's V⁻¹ is aI + bJ, so traces and quadratic forms reduce to per-group scalars.
 */
type SizeForms = {
  inv: [number, number];
  prods: [number, number][];
  dForms: [number, number][];
  bForms: [number, number][];
};

/**
 * The trace terms of the information: tr(V⁻¹V_kV⁻¹V_l) summed over groups (t1), and the matrices
 * XᵀV⁻¹V_kV⁻¹V_lV⁻¹X (d) and XᵀV⁻¹V_kV⁻¹X (bMat), added group by group in order.
 */
function traceTerms(sums: FlatSums, p: number, k: number, perSize: SizeForms[]) {
  const t1 = [
    [0, 0],
    [0, 0],
  ];
  const d = Array.from({ length: k }, () => Array.from({ length: k }, () => Matrix.zeros(p, p)));
  const bMat = Array.from({ length: k }, () => Matrix.zeros(p, p));
  // Plain arrays while summing over the groups (tens of thousands); matrices once summed.
  const dSum = Array.from({ length: k * k }, () => new Float64Array(p * p));
  const bSum = Array.from({ length: k }, () => new Float64Array(p * p));
  const addForm = (target: Float64Array, gi: number, form: [number, number]) => {
    for (let a = 0; a < p; a++)
      for (let b = 0; b < p; b++)
        target[a * p + b] =
          target[a * p + b]! +
          form[0] * sums.sxx[(gi * p + a) * p + b]! +
          form[1] * sums.sx[gi * p + a]! * sums.sx[gi * p + b]!;
  };
  for (let gi = 0; gi < sums.count; gi++) {
    const m = sums.m[gi]!;
    const forms = perSize[sums.sizeOf[gi]!]!;
    for (let kk = 0; kk < k; kk++) {
      for (let ll = 0; ll < k; ll++) {
        const prod = forms.prods[kk * k + ll]!;
        t1[kk]![ll]! += m * prod[0] + m * prod[1];
        addForm(dSum[kk * k + ll]!, gi, forms.dForms[kk * k + ll]!);
      }
      addForm(bSum[kk]!, gi, forms.bForms[kk]!);
    }
  }
  const asMatrix = (f: Float64Array) =>
    new Matrix(Array.from({ length: p }, (_, a) => Array.from(f.subarray(a * p, a * p + p))));
  for (let kk = 0; kk < k; kk++) {
    bMat[kk] = asMatrix(bSum[kk]!);
    for (let ll = 0; ll < k; ll++) d[kk]![ll] = asMatrix(dSum[kk * k + ll]!);
  }
  return { t1, d, bMat };
}

/**
 * The quadratic terms q_kᵀ P q_l of the information, from each group's residual sums (see the
 * comment inside): XᵀV⁻¹q_k (xq) and q_kᵀV⁻¹q_l (qq).
 */
function residualQuadratics(
  sums: FlatSums,
  x: Float64Array,
  y: ArrayLike<number>,
  groups: GroupCodes,
  beta: number[],
  p: number,
  perSize: SizeForms[],
) {
  // w = V⁻¹(y − Xβ̂) per group; q_0 = ZZᵀw (the group's sum of w in every row), q_1 = w.
  // yᵀP V_k P V_l P y = q_kᵀ P q_l, with P q = V⁻¹q − V⁻¹X Φ XᵀV⁻¹q and Φ = (XᵀV⁻¹X)⁻¹.
  // With V⁻¹ = aI + bJ, XᵀV⁻¹q_k and q_kᵀV⁻¹q_l need only each group's residual sums
  // E = Σe, Σe² and Σxe (e = y − Xβ̂), taken in one pass over the rows.
  const xqSums = [new Array<number>(p).fill(0), new Array<number>(p).fill(0)];
  const qq = [
    [0, 0],
    [0, 0],
  ];
  const g = groups.count;
  const e1 = new Float64Array(g);
  const e2 = new Float64Array(g);
  const xe = new Float64Array(g * p);
  for (let i = 0; i < y.length; i++) {
    const gi = groups.codes[i]!;
    const at = i * p;
    let e = y[i]!;
    for (let j = 0; j < p; j++) e -= x[at + j]! * beta[j]!;
    e1[gi]! += e;
    e2[gi]! += e * e;
    for (let j = 0; j < p; j++) xe[gi * p + j]! += x[at + j]! * e;
  }
  for (let gi = 0; gi < sums.count; gi++) {
    const [a, b] = perSize[sums.sizeOf[gi]!]!.inv;
    const m = sums.m[gi]!;
    const sx = sums.sx.subarray(gi * p, gi * p + p);
    const sumW = (a + b * m) * e1[gi]!; // Σ w, with w = a·e + b·E
    const sumW2 = a * a * e2[gi]! + (2 * a * b + b * b * m) * e1[gi]! * e1[gi]!; // Σ w²
    const c = a + b * m; // V⁻¹1 = c·1
    for (let j = 0; j < p; j++) {
      xqSums[1]![j]! += a * (a * xe[gi * p + j]! + b * e1[gi]! * sx[j]!) + b * sumW * sx[j]!; // Σ x (a·w + b·Σw)
      xqSums[0]![j]! += c * sumW * sx[j]!;
    }
    qq[1]![1]! += a * sumW2 + b * sumW * sumW;
    qq[1]![0]! += c * sumW * sumW;
    qq[0]![1]! += c * sumW * sumW;
    qq[0]![0]! += m * c * sumW * sumW;
  }
  const xq = xqSums.map((v) => Matrix.columnVector(v));
  return { xq, qq };
}

function observedInformation(
  sums: FlatSums,
  x: Float64Array,
  y: ArrayLike<number>,
  groups: GroupCodes,
  beta: number[],
  phi: Matrix,
  varGroup: number,
  sigma2: number,
) {
  const p = beta.length;
  const k = 2; // 0 = group, 1 = residual
  const basis: [number, number][] = [
    [0, 1],
    [1, 0],
  ]; // V_g = J, V_e = I as (a, b) ↔ aI + bJ
  const mul = (u: [number, number], v: [number, number], m: number): [number, number] => [
    u[0] * v[0],
    u[0] * v[1] + u[1] * v[0] + m * u[1] * v[1],
  ];
  // A group's V⁻¹ = aI + bJ and the products of it with the basis depend on its size alone: each is
  // computed once per distinct size (the same values), then added group by group in order.
  const perSize = Array.from(sums.sizes, (m) => {
    const inv: [number, number] = [1 / sigma2, -varGroup / (sigma2 * (sigma2 + m * varGroup))];
    const prods: [number, number][] = [];
    const dForms: [number, number][] = [];
    const bForms: [number, number][] = [];
    for (let kk = 0; kk < k; kk++) {
      for (let ll = 0; ll < k; ll++) {
        const prod = mul(mul(mul(inv, basis[kk]!, m), inv, m), basis[ll]!, m);
        prods.push(prod);
        dForms.push(mul(prod, inv, m));
      }
      bForms.push(mul(mul(inv, basis[kk]!, m), inv, m));
    }
    return { inv, prods, dForms, bForms };
  });
  const { t1, d, bMat } = traceTerms(sums, p, k, perSize);
  const { xq, qq } = residualQuadratics(sums, x, y, groups, beta, p, perSize);
  const info = Matrix.zeros(k, k);
  for (let kk = 0; kk < k; kk++) {
    for (let ll = 0; ll < k; ll++) {
      const trace = t1[kk]![ll]! - 2 * trace2(phi, d[kk]![ll]!) + trace2(phi.mmul(bMat[kk]!), phi.mmul(bMat[ll]!));
      const quad = qq[kk]![ll]! - xq[kk]!.transpose().mmul(phi).mmul(xq[ll]!).get(0, 0);
      info.set(kk, ll, -0.5 * trace + quad);
    }
  }
  return { info, bMat, boundary: varGroup === 0 };
}

/**
 * The test of one linear combination cᵀβ̂ of a mixed model's coefficients: its estimate, SE,
 * Satterthwaite df (the residual df when not estimable), t, p and CI estimate ± t(df)·SE. Shared by
 * the per-group and the by-size fits.
 */
export function coefficientTest(
  name: string,
  c: readonly number[],
  beta: readonly number[],
  phi: Matrix,
  inf: { info: Matrix; bMat: Matrix[]; boundary: boolean },
  fallbackDf: number,
  level: number,
): MixedCoefficient {
  const cv = Matrix.columnVector([...c]);
  const estimate = c.reduce((s, ci, j) => s + ci * beta[j]!, 0);
  const variance = cv.transpose().mmul(phi).mmul(cv).get(0, 0);
  const se = Math.sqrt(variance);
  const df = satterthwaite(cv, phi, inf, variance, fallbackDf);
  const t = estimate / se;
  const half = tQuantile(1 - (1 - level) / 2, df) * se;
  return {
    name,
    estimate,
    se,
    df,
    t,
    p: Math.min(1, 2 * tCdf(-Math.abs(t), df)),
    ci_low: estimate - half,
    ci_high: estimate + half,
  };
}

/** tr(AB) for square matrices. */
export function trace2(a: Matrix, b: Matrix): number {
  let s = 0;
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.columns; j++) s += a.get(i, j) * b.get(j, i);
  return s;
}

/** Satterthwaite df for cᵀβ̂; at a boundary fit (σ²_g = 0) only σ² varies. */
export function satterthwaite(
  c: Matrix,
  phi: Matrix,
  inf: { info: Matrix; bMat: Matrix[]; boundary: boolean },
  variance: number,
  fallback: number,
): number {
  const g = inf.bMat.map((b) => c.transpose().mmul(phi).mmul(b).mmul(phi).mmul(c).get(0, 0));
  let denom: number;
  if (inf.boundary) {
    denom = (g[1]! * g[1]!) / inf.info.get(1, 1);
  } else {
    const i = inf.info;
    const det = i.get(0, 0) * i.get(1, 1) - i.get(0, 1) * i.get(1, 0);
    if (!(det > 0)) return fallback;
    const a00 = i.get(1, 1) / det;
    const a11 = i.get(0, 0) / det;
    const a01 = -i.get(0, 1) / det;
    denom = g[0]! * g[0]! * a00 + 2 * g[0]! * g[1]! * a01 + g[1]! * g[1]! * a11;
  }
  const df = (2 * variance * variance) / denom;
  return Number.isFinite(df) && df > 0 ? df : fallback;
}
