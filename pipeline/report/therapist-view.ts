/**
 * The report's therapist-nesting section (ICCs and the within/between-therapist model) as text
 * and table rows, from results.json alone.
 */
import Handlebars from "handlebars";
import type { MixedCoefficientRow, Results } from "../results.ts";
import { apaHtml, noLeadingZero, pCell } from "./apa.ts";

export interface TherapistView {
  icc: { variable: string; n: string; therapists: string; icc: string; varTherapist: string; varResidual: string }[];
  coefficients: { term: string; b: string; se: string; df: string; t: string; p: string; ci: string }[];
  /** HTML (APA italics). */
  textHtml: string;
  fitted: boolean;
}

const VARIABLE_LABELS = {
  early_alliance: "Early alliance",
  outcome_change: "Outcome change",
  outcome_last: "Last outcome score",
} as const;
const TERM_LABELS: Record<string, string> = {
  "(Intercept)": "Intercept",
  alliance_within: "Alliance, within therapist (client − therapist mean)",
  alliance_between: "Alliance, between therapists (therapist mean)",
  outcome_first: "First outcome score",
  contextual: "Between − within (contextual effect)",
};

export function buildTherapistView(r: Results, show: (n: number | null) => string): TherapistView {
  const t = r.therapists;
  const icc = t.icc.map((row) => ({
    variable: VARIABLE_LABELS[row.variable],
    n: show(row.n),
    therapists: String(row.therapists),
    icc: row.icc === null ? "—" : noLeadingZero(row.icc, 3),
    varTherapist: row.var_therapist === null ? "—" : row.var_therapist.toFixed(2),
    varResidual: row.var_residual === null ? "—" : row.var_residual.toFixed(2),
  }));
  const m = t.model;
  const coefficientRow = (c: MixedCoefficientRow) => ({
    term: TERM_LABELS[c.name] ?? c.name,
    b: c.estimate.toFixed(3),
    se: c.se.toFixed(3),
    df: c.df.toFixed(1),
    t: c.t.toFixed(2),
    p: pCell(c.p),
    ci: `[${c.ci_low.toFixed(3)}, ${c.ci_high.toFixed(3)}]`,
  });
  return {
    icc,
    coefficients: m ? [...m.coefficients.map(coefficientRow), coefficientRow(m.contextual)] : [],
    textHtml: therapistText(r),
    fitted: m !== null,
  };
}

function therapistText(r: Results): string {
  const t = r.therapists;
  const alliance = t.icc.find((i) => i.variable === "early_alliance");
  const share =
    alliance?.icc != null
      ? `${(100 * alliance.icc).toFixed(1)}% of the variance in early alliance lay between therapists (ICC = ${noLeadingZero(alliance.icc, 2)}, ${alliance.therapists} therapists). `
      : "";
  const m = t.model;
  if (!m)
    return `${share}The within/between-therapist model was not fitted: ${Handlebars.escapeExpression(t.reason ?? "not estimable")}.`;
  const coef = (name: string) => m.coefficients.find((c) => c.name === name)!;
  const within = coef("alliance_within");
  const between = coef("alliance_between");
  const c = m.contextual;
  const sig = (x: MixedCoefficientRow) => x.p < 0.05;
  const verdict = !sig(c)
    ? "The data do not show a difference between the two slopes, so they cannot say whether the association lies more between therapists or within their caseloads."
    : c.estimate > 0
      ? "The between-therapist slope was steeper: therapists whose clients report stronger alliances have better outcomes beyond what each client's own rating predicts, as Baldwin et al. (2007) found."
      : "The within-therapist slope was steeper: the association lies mainly within therapists' caseloads, among clients who rate the alliance higher than their therapist's other clients do.";
  return (
    share +
    `In a linear mixed model with a random intercept per therapist (REML; ${m.n} episodes, ${m.therapists} therapists), controlling for the first outcome score, ` +
    `a client whose early alliance was one point above their therapist's mean had a last outcome ${Math.abs(within.estimate).toFixed(2)} points ${within.estimate >= 0 ? "higher" : "lower"}, ${apaHtml(within.apa)}; ` +
    `between therapists, one point more in mean alliance went with ${Math.abs(between.estimate).toFixed(2)} points ${between.estimate >= 0 ? "higher" : "lower"}, ${apaHtml(between.apa)}. ` +
    `The difference (between − within) was ${apaHtml(c.apa)}. ${verdict}` +
    (m.singular
      ? " The therapist variance was estimated at zero (a boundary fit), so the model reduces to ordinary regression."
      : "") +
    ` Therapist variance of the last outcome after adjustment: ${m.var_therapist.toFixed(2)}; residual: ${m.var_residual.toFixed(2)}.`
  );
}
