/**
 * Therapist nesting: how much of alliance and outcome lies between therapists (REML ICCs), and
 * the within/between-therapist model of Baldwin, Wampold & Imel (2007, JCCP 75:842–852):
 *   outcome_last ~ (alliance − therapist mean) + therapist mean + outcome_first + (1 | therapist),
 * fitted by REML with Satterthwaite tests (lme4 + lmerTest). The contextual effect (between − within)
 * says whether the between-therapist slope differs from the within-therapist one. Pure: no I/O.
 */
import {
  interceptOnlyIcc,
  randomInterceptModelFlat,
  type MixedCoefficient,
  type MixedModelFit,
} from "../../../analyses/random-intercept-model.ts";
import { groupCodes, type GroupLabels } from "../../../analyses/renumber.ts";
import { rowsWith, valuesAt, type AnalysisColumns } from "./analysis-columns.ts";
import { type TherapistAnalysis } from "../handoff.ts";
import { type TherapistIcc, type WithinBetweenModel } from "../handoff.ts";
import { type IccVariable } from "../handoff.ts";
export type { IccVariable };
export type { TherapistIcc, WithinBetweenModel };
export type { TherapistAnalysis };

/** Fewer therapists than this and the between-therapist part is not estimated. */
export const MIN_THERAPISTS = 3;

export const MODEL_TERMS = ["(Intercept)", "alliance_within", "alliance_between", "outcome_first"] as const;

/** The ICCs and the within/between model of the analysed episodes (analysisColumns). */
export function analyzeTherapists(columns: AnalysisColumns): TherapistAnalysis {
  const { early_alliance, outcome_change, outcome_first, outcome_last } = columns.score;
  const icc = (["early_alliance", "outcome_change", "outcome_last"] as const).map((v) => therapistIcc(v, columns));
  const rows = therapistRows(columns, [outcome_change, outcome_first, outcome_last]);
  if (rows.therapists < MIN_THERAPISTS)
    return { icc, model: null, reason: `fewer than ${MIN_THERAPISTS} therapists with episodes in the model` };
  try {
    const fit = fitWithinBetween(
      valuesAt(early_alliance, rows.index),
      valuesAt(outcome_first, rows.index),
      valuesAt(outcome_last, rows.index),
      rows.groups,
    );
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

/** The episodes a model takes (those with every score given), their therapists' numbers and how many therapists they have. */
function therapistRows(
  columns: AnalysisColumns,
  scores: Float64Array[],
): { index: Int32Array; groups: Int32Array; therapists: number } {
  const index = rowsWith(columns, scores);
  const n = index.length;
  const therapist = columns.therapist;
  const groups = new Int32Array(n);
  const seen = new Uint8Array(therapist.count);
  let therapists = 0;
  for (let k = 0; k < n; k++) {
    const g = therapist.codes[index[k]!]!;
    groups[k] = g;
    if (seen[g]) continue;
    seen[g] = 1;
    therapists++;
  }
  return { index, groups, therapists };
}

function therapistIcc(variable: IccVariable, columns: AnalysisColumns): TherapistIcc {
  const rows = therapistRows(columns, [columns.score[variable]]);
  const { therapists } = rows;
  const base = { variable, n: rows.index.length, therapists };
  const noIcc = (reason: string): TherapistIcc => ({
    ...base,
    icc: null,
    var_therapist: null,
    var_residual: null,
    singular: false,
    reason,
  });
  if (therapists < MIN_THERAPISTS || rows.index.length <= therapists) {
    return noIcc(`needs at least ${MIN_THERAPISTS} therapists and more episodes than therapists`);
  }
  try {
    const fit = interceptOnlyIcc(valuesAt(columns.score[variable], rows.index), rows.groups);
    return {
      ...base,
      icc: fit.icc,
      var_therapist: fit.var_group,
      var_residual: fit.var_residual,
      singular: fit.singular,
    };
  } catch (e) {
    return noIcc((e as Error).message);
  }
}

/**
 * The within/between-therapist model on plain arrays: last ~ (alliance − therapist mean) + therapist
 * mean + first + (1 | therapist), therapist means taken over the rows given, with the contextual
 * contrast. Shared by the stage and the demo's population values (data/demo/population.ts).
 * @example fitWithinBetween(alliance, first, last, therapist).coefficients[1] // alliance_within
 */
export function fitWithinBetween(
  alliance: ArrayLike<number>,
  first: ArrayLike<number>,
  last: ArrayLike<number>,
  therapist: GroupLabels,
): MixedModelFit {
  const { codes, count } = groupCodes(therapist);
  const sum = new Float64Array(count);
  const size = new Float64Array(count);
  for (let i = 0; i < codes.length; i++) {
    sum[codes[i]!]! += alliance[i]!;
    size[codes[i]!]!++;
  }
  const x = new Float64Array(alliance.length * 4);
  for (let i = 0; i < alliance.length; i++) {
    const mean = sum[codes[i]!]! / size[codes[i]!]!;
    x[i * 4] = 1;
    x[i * 4 + 1] = alliance[i]! - mean;
    x[i * 4 + 2] = mean;
    x[i * 4 + 3] = first[i]!;
  }
  return randomInterceptModelFlat(last, x, codes, MODEL_TERMS, [{ name: "contextual", weights: [0, -1, 1, 0] }]);
}
