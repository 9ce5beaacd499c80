/**
 * The REML random-intercept model against lme4::lmer + lmerTest on R's ChickWeight data.
 * Expected values: test/reference/mixed-model-reference.R → mixed-model-reference.out (lme4 1.1.31,
 * lmerTest 3.1.3, optimiser tolerances tightened). Agreement to 6 significant digits: R's optimiser
 * stops within about 3e-7 of the optimum, so variance components differ in the 7th digit.
 */
import { describe, expect, it } from "vitest";
import { interceptOnlyIcc, randomInterceptModel } from "../../analyses/random-intercept-model.ts";
import { CHICK, TIME, WEIGHT } from "./chickweight.ts";

/** a and b agree to 6 significant digits. */
const sig6 = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(5e-6 * Math.abs(b));
/** p-values: 6 significant digits, or for p < 1e-10 (where a 7th-digit difference in t moves p in its 5th) log10 p to 6. */
const sig6p = (a: number, b: number) => (b < 1e-10 ? sig6(Math.log10(a), Math.log10(b)) : sig6(a, b));

const chickMean = new Map<string, number>();
for (const c of new Set(CHICK)) {
  const t = TIME.filter((_, i) => CHICK[i] === c);
  chickMean.set(c, t.reduce((s, v) => s + v, 0) / t.length);
}
const within = TIME.map((t, i) => t - chickMean.get(CHICK[i]!)!);
const between = CHICK.map((c) => chickMean.get(c)!);

describe("intercept-only model and ICC (lmer(weight ~ 1 + (1 | Chick)))", () => {
  const fit = interceptOnlyIcc(WEIGHT, CHICK);

  it("estimates the variance components: VarCorr 541.169694803 (Chick), 4534.20829109 (residual)", () => {
    sig6(fit.var_group, 541.169694803);
    sig6(fit.var_residual, 4534.20829109);
    sig6(fit.icc, 541.169694803 / (541.169694803 + 4534.20829109));
  });

  it("reaches lme4's REML criterion: REMLcrit 6544.04846913", () => {
    sig6(fit.reml_criterion, 6544.04846913);
  });

  it("tests the intercept on Satterthwaite df: 120.987919549, SE 4.33884207367, df 45.9149773132, p 1.98956432222e-30", () => {
    const c = fit.coefficients[0]!;
    sig6(c.estimate, 120.987919549);
    sig6(c.se, 4.33884207367);
    sig6(c.df, 45.9149773132);
    sig6p(c.p, 1.98956432222e-30);
    sig6(c.ci_low, 112.253846991);
    sig6(c.ci_high, 129.721992107);
  });

  it("counts observations and groups", () => {
    expect([fit.n, fit.groups, fit.singular]).toEqual([578, 50, false]);
  });
});

describe("within/between model (lmer(weight ~ time_within + time_mean + (1 | Chick)), summary() with lmerTest)", () => {
  const fit = randomInterceptModel(
    WEIGHT,
    WEIGHT.map((_, i) => [1, within[i]!, between[i]!]),
    CHICK,
    ["(Intercept)", "time_within", "time_mean"],
    [{ name: "contextual", weights: [0, -1, 1] }],
  );
  const want: [string, number, number, number, number, number, number][] = [
    // name, Estimate, Std. Error, df, Pr(>|t|), CI low, CI high (estimate ∓ qt(.975, df)·SE)
    ["(Intercept)", -0.0524774354053, 29.144388159002, 74.8560732431, 0.998568118443, -58.11290562939, 58.0079507586],
    ["time_within", 8.7151932000297, 0.175930993933, 527.0219045222, 1.91608356079e-200, 8.36958108326, 9.0608053168],
    ["time_mean", 11.3701869525865, 2.736545962634, 73.8592670547, 8.64807364398e-5, 5.91732745759, 16.8230464476],
  ];
  for (const [name, est, se, df, p, lo, hi] of want) {
    it(`matches the ${name} row`, () => {
      const c = fit.coefficients.find((x) => x.name === name)!;
      // The intercept is near 0, so it is compared on its SE's scale.
      if (name === "(Intercept)") expect(Math.abs(c.estimate - est)).toBeLessThan(5e-6 * se);
      else sig6(c.estimate, est);
      sig6(c.se, se);
      sig6(c.df, df);
      sig6p(c.p, p);
      sig6(c.ci_low, lo);
      sig6(c.ci_high, hi);
    });
  }

  it("estimates the variance components: 713.824751663 (Chick), 799.892899017 (residual)", () => {
    sig6(fit.var_group, 713.824751663);
    sig6(fit.var_residual, 799.892899017);
    sig6(fit.reml_criterion, 5614.60587065);
  });

  it("tests the contextual effect as lmerTest::contest(fit, c(0, -1, 1), joint = FALSE): 2.65499375256, SE 2.74219538331, df 74.4539672499, p 0.336079124841", () => {
    const c = fit.contrasts[0]!;
    sig6(c.estimate, 2.65499375256);
    sig6(c.se, 2.74219538331);
    sig6(c.df, 74.4539672499);
    sig6p(c.p, 0.336079124841);
    sig6(c.ci_low, -2.80839631598);
    sig6(c.ci_high, 8.1183838211);
  });
});

describe("edge cases", () => {
  it("reports a boundary fit, σ²_g = 0, when groups differ less than chance (lme4's singular fit)", () => {
    const y = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4];
    const g = ["a", "a", "a", "a", "b", "b", "b", "b", "c", "c", "c", "c"];
    const fit = interceptOnlyIcc(y, g);
    expect(fit.singular).toBe(true);
    expect(fit.var_group).toBe(0);
    // With σ²_g = 0 the model is OLS: σ² = var(y) = 1.363636…
    expect(fit.var_residual).toBeCloseTo(15 / 11, 12);
  });

  it("refuses a single group, which has no between-group variance to estimate", () => {
    expect(() => interceptOnlyIcc([1, 2, 3], ["a", "a", "a"])).toThrow(/at least two groups/);
  });

  it("refuses collinear fixed effects", () => {
    const x = [1, 2, 3, 4, 5, 6].map((v) => [1, v, 2 * v]);
    expect(() => randomInterceptModel([1, 3, 2, 5, 4, 6], x, ["a", "a", "b", "b", "c", "c"], ["1", "x", "2x"])).toThrow(
      /collinear/,
    );
  });
});

describe("groups given as numbers", () => {
  it("fits exactly as with the groups' names, whatever the numbers (groups are summed in order of first appearance either way)", () => {
    // Numbers as a therapist's code in a list of all therapists: sparse, not in order of appearance.
    const names = [...new Set(CHICK)];
    const number = new Map(names.map((c, k) => [c, 1000 - 7 * k]));
    const byName = interceptOnlyIcc(WEIGHT, CHICK);
    const byNumber = interceptOnlyIcc(
      WEIGHT,
      Int32Array.from(CHICK, (c) => number.get(c)!),
    );
    expect(byNumber).toEqual(byName);
    const x = WEIGHT.map((_, i) => [1, within[i]!, between[i]!]);
    expect(
      randomInterceptModel(
        WEIGHT,
        x,
        Int32Array.from(CHICK, (c) => number.get(c)!),
        ["1", "w", "b"],
      ),
    ).toEqual(randomInterceptModel(WEIGHT, x, CHICK, ["1", "w", "b"]));
  });

  it("refuses a negative group number", () => {
    expect(() => interceptOnlyIcc([1, 2, 3, 4], Int32Array.from([0, 0, -1, 1]))).toThrow(/0 or more/);
  });
});
