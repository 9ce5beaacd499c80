/**
 * Therapist nesting: how much of alliance and outcome lies between therapists (REML ICCs), and
 * the within/between-therapist model of Baldwin, Wampold & Imel (2007, JCCP 75:842–852):
 *   outcome_last ~ (alliance − therapist mean) + therapist mean + outcome_first + (1 | therapist),
 * fitted by REML with Satterthwaite tests (lme4 + lmerTest). The contextual effect (between − within)
 * says whether the between-therapist slope differs from the within-therapist one. Pure: no I/O.
 */
import { interceptOnlyIcc, randomInterceptModel, type MixedCoefficient } from "../../analyses/random-intercept-model.ts";
import type { DerivedEpisode } from "./derive.ts";

/** Fewer therapists than this and the between-therapist part is not estimated. */
export const MIN_THERAPISTS = 3;

export type IccVariable = "early_alliance" | "outcome_change" | "outcome_last";

export interface TherapistIcc {
  variable: IccVariable;
  n: number;
  therapists: number;
  icc: number | null;
  var_therapist: number | null;
  var_residual: number | null;
  singular: boolean;
  reason?: string;
}

export interface WithinBetweenModel {
  /** Episodes in the model: early alliance and at least two outcome ratings. */
  n: number;
  therapists: number;
  /** (Intercept), alliance_within, alliance_between, outcome_first. */
  coefficients: MixedCoefficient[];
  /** alliance_between − alliance_within. */
  contextual: MixedCoefficient;
  var_therapist: number;
  var_residual: number;
  reml_criterion: number;
  singular: boolean;
}

export interface TherapistAnalysis {
  icc: TherapistIcc[];
  model: WithinBetweenModel | null;
  /** Why the model was not fitted. */
  reason?: string;
}

export const MODEL_TERMS = ["(Intercept)", "alliance_within", "alliance_between", "outcome_first"] as const;

export function analyzeTherapists(analysed: DerivedEpisode[]): TherapistAnalysis {
  const icc = (["early_alliance", "outcome_change", "outcome_last"] as const).map((v) => therapistIcc(v, analysed));
  const rows = analysed.filter((e) => e.outcome_change !== null && e.outcome_first !== null && e.outcome_last !== null);
  const therapists = new Set(rows.map((e) => e.therapist_id)).size;
  if (therapists < MIN_THERAPISTS) return { icc, model: null, reason: `fewer than ${MIN_THERAPISTS} therapists with episodes in the model` };
  const therapistMean = meanBy(rows, (e) => e.early_alliance!);
  const x = rows.map((e) => {
    const m = therapistMean.get(e.therapist_id)!;
    return [1, e.early_alliance! - m, m, e.outcome_first!];
  });
  try {
    const fit = randomInterceptModel(rows.map((e) => e.outcome_last!), x, rows.map((e) => e.therapist_id), MODEL_TERMS, [{ name: "contextual", weights: [0, -1, 1, 0] }]);
    return {
      icc,
      model: {
        n: fit.n,
        therapists: fit.groups,
        coefficients: fit.coefficients,
        contextual: fit.contrasts[0]!,
        var_therapist: fit.var_group,
        var_residual: fit.var_residual,
        reml_criterion: fit.reml_criterion,
        singular: fit.singular,
      },
    };
  } catch (e) {
    return { icc, model: null, reason: (e as Error).message };
  }
}

function therapistIcc(variable: IccVariable, analysed: DerivedEpisode[]): TherapistIcc {
  const rows = analysed.filter((e) => e[variable] !== null);
  const therapists = new Set(rows.map((e) => e.therapist_id)).size;
  const base = { variable, n: rows.length, therapists };
  if (therapists < MIN_THERAPISTS || rows.length <= therapists) {
    return { ...base, icc: null, var_therapist: null, var_residual: null, singular: false, reason: `needs at least ${MIN_THERAPISTS} therapists and more episodes than therapists` };
  }
  try {
    const fit = interceptOnlyIcc(rows.map((e) => e[variable]!), rows.map((e) => e.therapist_id));
    return { ...base, icc: fit.icc, var_therapist: fit.var_group, var_residual: fit.var_residual, singular: fit.singular };
  } catch (e) {
    return { ...base, icc: null, var_therapist: null, var_residual: null, singular: false, reason: (e as Error).message };
  }
}

function meanBy(rows: DerivedEpisode[], value: (e: DerivedEpisode) => number): Map<string, number> {
  const acc = new Map<string, [number, number]>();
  for (const e of rows) {
    const a = acc.get(e.therapist_id) ?? [0, 0];
    a[0] += value(e);
    a[1] += 1;
    acc.set(e.therapist_id, a);
  }
  return new Map([...acc].map(([k, [s, n]]) => [k, s / n]));
}
