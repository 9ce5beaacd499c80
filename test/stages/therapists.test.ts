/**
 * Therapist nesting on the demo against R: test/reference/demo-therapists-reference.R re-derives the
 * episodes from the raw CSVs and fits lme4::lmer (REML) with lmerTest's Satterthwaite tests; its output
 * is demo-therapists-reference.json, where each expected value sits beside its R call.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeTherapists, type TherapistAnalysis } from "../../pipeline/phases/analyze/analyze-therapists.ts";
import { analysedColumns } from "../../pipeline/phases/analyze/analysis-columns.ts";
import type { Study } from "../../pipeline/config/study.ts";
import type { DerivedEpisode } from "../../pipeline/phases/derive/derive.ts";
import { demoStudyAndEpisodes } from "../helpers/run-stages.ts";
import reference from "../reference/demo-therapists-reference.json" with { type: "json" };

/** a and b agree to 6 significant digits (R's optimiser stops within ~1e-6 of the optimum). */
const sig6 = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(5e-6 * Math.abs(b));
const sig6p = (a: number, b: number) => (b < 1e-10 ? sig6(Math.log10(a), Math.log10(b)) : sig6(a, b));

let analysed: DerivedEpisode[];
let study: Study;
let result: TherapistAnalysis;
beforeAll(async () => {
  const demo = await demoStudyAndEpisodes();
  study = demo.study;
  analysed = demo.episodes.filter((e) => e.early_alliance !== null);
  result = analyzeTherapists(analysedColumns(analysed, study));
}, 60_000);

describe("ICCs by therapist on the demo", () => {
  for (const ref of reference.icc) {
    it(`matches ${ref.r_call}`, () => {
      const got = result.icc.find((r) => r.variable === ref.variable)!;
      expect(got.n).toBe(ref.n);
      expect(got.singular).toBe(ref.singular);
      if (ref.singular) {
        expect([got.icc, got.var_therapist]).toEqual([0, 0]);
        sig6(got.var_residual!, ref.var_residual);
      } else {
        sig6(got.icc!, ref.icc);
        sig6(got.var_therapist!, ref.var_therapist);
        sig6(got.var_residual!, ref.var_residual);
      }
    });
  }
});

describe(`within/between-therapist model on the demo: ${reference.model.r_call}`, () => {
  it("uses the episodes with early alliance and a change score, nested in 30 therapists", () => {
    expect([result.model!.n, result.model!.therapists]).toEqual([reference.model.n, reference.model.therapists]);
  });

  for (const ref of reference.model.coefficients) {
    it(`matches the ${ref.name} row: estimate, SE, Satterthwaite df, t, p and CI`, () => {
      const got = result.model!.coefficients.find((c) => c.name === ref.name)!;
      for (const k of ["estimate", "se", "df", "t", "ci_low", "ci_high"] as const) sig6(got[k], ref[k]);
      sig6p(got.p, ref.p);
    });
  }

  it(`matches the contextual effect (between − within): ${reference.model.contextual.r_call}`, () => {
    const got = result.model!.contextual;
    const ref = reference.model.contextual;
    for (const k of ["estimate", "se", "df", "t", "p", "ci_low", "ci_high"] as const) sig6(got[k], ref[k]);
  });

  it("matches the variance components and REML criterion (VarCorr, REMLcrit)", () => {
    // The therapist variance here is 0.2% of the total, where the REML criterion is flat: optimisers that
    // agree on REMLcrit to 14 digits (ours, nloptwrap, bobyqa, optimize() on lme4's devFunOnly) differ in
    // it from the 6th digit. So it is compared to 6 significant digits of the total variance, the scale
    // of the ICC; the criterion itself must agree to 6 digits and be no higher than lme4's.
    const total = reference.model.var_therapist + reference.model.var_residual;
    expect(Math.abs(result.model!.var_therapist - reference.model.var_therapist)).toBeLessThanOrEqual(5e-6 * total);
    expect(result.model!.reml_criterion).toBeLessThanOrEqual(reference.model.reml_criterion + 1e-9);
    sig6(result.model!.var_residual, reference.model.var_residual);
    sig6(result.model!.reml_criterion, reference.model.reml_criterion);
  });
});

describe("too few therapists", () => {
  it("does not fit the model with fewer than 3 therapists, and says why", () => {
    const two = analysed.filter((e) => e.therapist_id === "T01" || e.therapist_id === "T02");
    const r = analyzeTherapists(analysedColumns(two, study));
    expect(r.model).toBeNull();
    expect(r.reason).toMatch(/fewer than 3 therapists/);
    expect(r.icc.every((i) => i.icc === null)).toBe(true);
  });
});
