/**
 * The random-intercept model of random-intercept-model.ts (lme4::lmer(y ~ x + (1 | group), REML)
 * with lmerTest's Satterthwaite tests) fitted from sums over groups of equal size, so that a model
 * over ten million session rows in a million episodes needs a few dozen rows out of DuckDB.
 * Every term of the REML criterion and of its observed information is a sum over groups of
 *   a scalar that depends on the group's size m alone × one of the group's sums
 * (Σxxᵀ, (Σx)(Σx)ᵀ, Σxy, (Σx)(Σy), Σy², (Σy)²), so the groups of one size can be added first:
 * a SizeClass. Same formulas, same results (to rounding) as the per-group fit.
 * @example randomInterceptBySize(sizeClasses(y, x, client), ["(Intercept)", "within"]).coefficients[1].estimate
 */
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { coefficientTest, minimiseTheta, trace2, type MixedModelFit } from "./random-intercept-model.ts";
import { groupCodes, type GroupLabels } from "./renumber.ts";

/** The groups of one size m, their sums added (p×p matrices row-major). */
export interface SizeClass {
  m: number;
  groups: number;
  /** Σ_g Σ_i x xᵀ */
  sxx: number[];
  /** Σ_g (Σ_i x)(Σ_i x)ᵀ */
  ox: number[];
  /** Σ_g Σ_i x y */
  sxy: number[];
  /** Σ_g (Σ_i x)(Σ_i y) */
  oxy: number[];
  /** Σ_g Σ_i y² */
  syy: number;
  /** Σ_g (Σ_i y)² */
  oyy: number;
}

/**
 * Size classes from rows (for small data and tests; the pipeline sums in SQL).
 * @example sizeClasses([1, 2, 3], [[1], [1], [1]], ["a", "a", "b"]).map((c) => c.m) // => [2, 1]
 */
export function sizeClasses(y: readonly number[], x: readonly (readonly number[])[], group: GroupLabels): SizeClass[] {
  const p = x[0]?.length ?? 0;
  const codes = groupCodes(group);
  const g = codes.count;
  const m = new Float64Array(g);
  const sx = new Float64Array(g * p);
  const sy = new Float64Array(g);
  const classes = new Map<number, SizeClass>();
  const blank = (size: number): SizeClass => ({
    m: size,
    groups: 0,
    sxx: new Array<number>(p * p).fill(0),
    ox: new Array<number>(p * p).fill(0),
    sxy: new Array<number>(p).fill(0),
    oxy: new Array<number>(p).fill(0),
    syy: 0,
    oyy: 0,
  });
  y.forEach((yi, i) => {
    const k = codes.codes[i]!;
    m[k]!++;
    sy[k]! += yi;
    for (let a = 0; a < p; a++) sx[k * p + a]! += x[i]![a]!;
  });
  y.forEach((yi, i) => {
    const k = codes.codes[i]!;
    let c = classes.get(m[k]!);
    if (!c) classes.set(m[k]!, (c = blank(m[k]!)));
    c.syy += yi * yi;
    for (let a = 0; a < p; a++) {
      c.sxy[a]! += x[i]![a]! * yi;
      for (let b = 0; b < p; b++) c.sxx[a * p + b]! += x[i]![a]! * x[i]![b]!;
    }
  });
  for (let k = 0; k < g; k++) {
    const c = classes.get(m[k]!)!;
    c.groups++;
    c.oyy += sy[k]! * sy[k]!;
    for (let a = 0; a < p; a++) {
      c.oxy[a]! += sx[k * p + a]! * sy[k]!;
      for (let b = 0; b < p; b++) c.ox[a * p + b]! += sx[k * p + a]! * sx[k * p + b]!;
    }
  }
  return [...classes.values()];
}

/**
 * The REML fit with Satterthwaite tests, from size classes.
 * @example randomInterceptBySize(classes, ["(Intercept)", "x"]).var_group
 */
export function randomInterceptBySize(
  classes: readonly SizeClass[],
  names: readonly string[],
  level = 0.95,
): MixedModelFit {
  const p = names.length;
  const n = classes.reduce((s, c) => s + c.m * c.groups, 0);
  const groups = classes.reduce((s, c) => s + c.groups, 0);
  if (classes.some((c) => c.sxx.length !== p * p))
    throw new RangeError("randomInterceptBySize: sums of another width than names");
  if (n <= p + 1) throw new RangeError(`randomInterceptBySize: needs more than ${p + 1} observations, got ${n}`);
  if (groups < 2) throw new RangeError("randomInterceptBySize: needs at least two groups");
  const theta = minimiseTheta((t) => profile(classes, p, n, t * t).crit);
  const fit = profile(classes, p, n, theta * theta);
  if (!fit.ok) throw new RangeError("randomInterceptBySize: the fixed-effect columns are collinear");
  const sigma2 = fit.r / (n - p);
  const varGroup = theta * theta * sigma2;
  const phi = fit.winv.mul(sigma2);
  const inf = information(classes, p, fit.beta, phi, varGroup, sigma2);
  const unit = (j: number) => names.map((_, k) => (k === j ? 1 : 0));
  const test = (name: string, j: number) => coefficientTest(name, unit(j), fit.beta, phi, inf, n - p, level);
  return {
    n,
    groups,
    coefficients: names.map(test),
    contrasts: [],
    var_group: varGroup,
    var_residual: sigma2,
    icc: varGroup / (varGroup + sigma2),
    reml_criterion: fit.crit,
    singular: varGroup === 0,
  };
}

/** The REML criterion and GLS estimates at λ = σ²_g/σ² (random-intercept-model.ts' profile, by size). */
function profile(classes: readonly SizeClass[], p: number, n: number, lambda: number) {
  const w = Matrix.zeros(p, p);
  const wxy = new Array<number>(p).fill(0);
  let wyy = 0;
  let logDetH = 0;
  for (const k of classes) {
    const c = lambda / (1 + lambda * k.m);
    logDetH += k.groups * Math.log1p(lambda * k.m);
    wyy += k.syy - c * k.oyy;
    for (let a = 0; a < p; a++) {
      wxy[a]! += k.sxy[a]! - c * k.oxy[a]!;
      for (let b = 0; b < p; b++) w.set(a, b, w.get(a, b) + k.sxx[a * p + b]! - c * k.ox[a * p + b]!);
    }
  }
  const chol = new CholeskyDecomposition(w);
  const l = chol.lowerTriangularMatrix;
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

/**
 * The observed REML information in (σ²_g, σ²) and XᵀV⁻¹V_kV⁻¹X (random-intercept-model.ts'
 * observedInformation, its per-group scalars times each size class's sums).
 */
function information(
  classes: readonly SizeClass[],
  p: number,
  beta: number[],
  phi: Matrix,
  varGroup: number,
  sigma2: number,
) {
  type Form = [number, number]; // aI + bJ
  const mul = (u: Form, v: Form, m: number): Form => [u[0] * v[0], u[0] * v[1] + u[1] * v[0] + m * u[1] * v[1]];
  const basis: Form[] = [
    [0, 1],
    [1, 0],
  ];
  const t1 = [
    [0, 0],
    [0, 0],
  ];
  const d = [0, 1].map(() => [0, 1].map(() => Matrix.zeros(p, p)));
  const bMat = [Matrix.zeros(p, p), Matrix.zeros(p, p)];
  const xq = [new Array<number>(p).fill(0), new Array<number>(p).fill(0)];
  const qq = [
    [0, 0],
    [0, 0],
  ];
  const sxxM = (k: SizeClass) => new Matrix(Array.from({ length: p }, (_, a) => k.sxx.slice(a * p, a * p + p)));
  const oxM = (k: SizeClass) => new Matrix(Array.from({ length: p }, (_, a) => k.ox.slice(a * p, a * p + p)));
  const bv = Matrix.columnVector(beta);
  for (const k of classes) {
    const m = k.m;
    const inv: Form = [1 / sigma2, -varGroup / (sigma2 * (sigma2 + m * varGroup))];
    const sxx = sxxM(k);
    const ox = oxM(k);
    const form = (f: Form) => sxx.clone().mul(f[0]).add(ox.clone().mul(f[1]));
    for (let a = 0; a < 2; a++) {
      for (let b = 0; b < 2; b++) {
        const prod = mul(mul(mul(inv, basis[a]!, m), inv, m), basis[b]!, m);
        t1[a]![b]! += k.groups * m * (prod[0] + prod[1]);
        d[a]![b]!.add(form(mul(prod, inv, m)));
      }
      bMat[a]!.add(form(mul(mul(inv, basis[a]!, m), inv, m)));
    }
    // The residuals' sums over the class: Σ x e, Σ (Σx)(Σe), Σ e², Σ (Σe)², e = y − xβ.
    const sxb = sxx.mmul(bv).to1DArray();
    const oxb = ox.mmul(bv).to1DArray();
    const xe = k.sxy.map((v, j) => v - sxb[j]!);
    const e1sx = k.oxy.map((v, j) => v - oxb[j]!);
    const dot = (u: number[], v: number[]) => u.reduce((s, x, j) => s + x * v[j]!, 0);
    const e2 = k.syy - 2 * dot(beta, k.sxy) + dot(beta, sxb);
    const e11 = k.oyy - 2 * dot(beta, k.oxy) + dot(beta, oxb);
    const [ai, bi] = inv;
    const c = ai + bi * m;
    for (let j = 0; j < p; j++) {
      xq[1]![j]! += ai * ai * xe[j]! + (ai * bi + bi * c) * e1sx[j]!;
      xq[0]![j]! += c * c * e1sx[j]!;
    }
    qq[1]![1]! += ai * ai * ai * e2 + (ai * (2 * ai * bi + bi * bi * m) + bi * c * c) * e11;
    qq[1]![0]! += c * c * c * e11;
    qq[0]![1]! += c * c * c * e11;
    qq[0]![0]! += m * c * c * c * e11;
  }
  const xqv = xq.map((v) => Matrix.columnVector(v));
  const info = Matrix.zeros(2, 2);
  for (let a = 0; a < 2; a++) {
    for (let b = 0; b < 2; b++) {
      const trace = t1[a]![b]! - 2 * trace2(phi, d[a]![b]!) + trace2(phi.mmul(bMat[a]!), phi.mmul(bMat[b]!));
      const quad = qq[a]![b]! - xqv[a]!.transpose().mmul(phi).mmul(xqv[b]!).get(0, 0);
      info.set(a, b, -0.5 * trace + quad);
    }
  }
  return { info, bMat, boundary: varGroup === 0 };
}
