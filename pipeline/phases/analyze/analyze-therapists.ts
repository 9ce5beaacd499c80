/**
 * Therapist nesting: how much of alliance and outcome lies between therapists (REML ICCs), and
 * the within/between-therapist model of Baldwin, Wampold & Imel (2007, JCCP 75:842–852):
 *   outcome_last ~ (alliance − therapist mean) + therapist mean + outcome_first + (1 | therapist),
 * fitted by REML with Satterthwaite tests (lme4 + lmerTest). The contextual effect (between − within)
 * says whether the between-therapist slope differs from the within-therapist one. Pure: no I/O.
 */
import { interceptOnlyIcc, randomInterceptModelFlat, type MixedCoefficient, type MixedModelFit } from "../../../analyses/random-intercept-model.ts";
import type { DerivedEpisode } from "../handoff.ts";

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
  try {
    const fit = fitWithinBetween(rows.map((e) => e.early_alliance!), rows.map((e) => e.outcome_first!), rows.map((e) => e.outcome_last!), rows.map((e) => e.therapist_id));
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

/**
 * The within/between-therapist model on plain arrays: last ~ (alliance − therapist mean) + therapist
 * mean + first + (1 | therapist), therapist means taken over the rows given, with the contextual
 * contrast. Shared by the stage and the demo's population values (data/demo/population.ts).
 * @example fitWithinBetween(alliance, first, last, therapist).coefficients[1] // alliance_within
 */
export function fitWithinBetween(alliance: readonly number[], first: readonly number[], last: readonly number[], therapist: readonly string[]): MixedModelFit {
  const sums = new Map<string, [number, number]>();
  therapist.forEach((t, i) => {
    const a = sums.get(t) ?? [0, 0];
    sums.set(t, [a[0] + alliance[i]!, a[1] + 1]);
  });
  const x = new Float64Array(alliance.length * 4);
  alliance.forEach((a, i) => {
    const [s, n] = sums.get(therapist[i]!)!;
    x[i * 4] = 1;
    x[i * 4 + 1] = a - s / n;
    x[i * 4 + 2] = s / n;
    x[i * 4 + 3] = first[i]!;
  });
  return randomInterceptModelFlat(last, x, therapist, MODEL_TERMS, [{ name: "contextual", weights: [0, -1, 1, 0] }]);
}
