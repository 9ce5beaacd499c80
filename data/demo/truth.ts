/**
 * The demo model's population values (data/demo/README.md, from `npm run generate-demo -- --truth`
 * on 600,000 episodes) and the 95% intervals a demo-sized study reports for them, computed with the
 * pipeline's own estimators on the plain-TypeScript derivation (population.ts). coverage.ts counts how
 * often the intervals hold the truth over many studies.
 */
import { coxEfron } from "../../analyses/cox-efron.ts";
import { pearson } from "../../analyses/pearson.ts";
import { wilson } from "../../analyses/wilson.ts";
import { fitWithinBetween } from "../../pipeline/phases/analyze/analyze-therapists.ts";
import type { DemoStudy } from "./model.ts";
import { deriveReference, type Component } from "./population.ts";

/** Rounded to three decimals, as documented; each has a 95% CI in the demo report. */
export const TRUTH = {
  r_change: 0.273,
  r_last: 0.209,
  r_bond_change: 0.221,
  r_goals_change: 0.223,
  r_task_change: 0.219,
  r_overall_change: 0.221,
  r_therapist_change: 0.165,
  r_therapist_client: 0.492,
  dropout_low: 0.616,
  dropout_moderate: 0.388,
  dropout_high: 0.23,
  hr_moderate: 0.506,
  hr_high: 0.271,
  within: 0.422,
  between: 0.541,
} as const;
export type Truth = keyof typeof TRUTH;

export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
}

/** Each documented quantity's estimate and 95% CI in one study, as the report computes them. */
export function intervals(study: DemoStudy): Record<Truth, Interval> {
  const rows = deriveReference(study).map((r, i) => ({ ...r, therapist: study.episodes[i]!.Clinician }));
  const r = (
    x: (e: (typeof rows)[number]) => number | null,
    y: (e: (typeof rows)[number]) => number | null,
  ): Interval => {
    const ok = rows.filter((e) => x(e) !== null && y(e) !== null);
    const fit = pearson(
      ok.map((e) => x(e)!),
      ok.map((e) => y(e)!),
      0.95,
    );
    return { estimate: fit.estimate, lo: fit.ci_low!, hi: fit.ci_high! };
  };
  const component = (c: Component) =>
    r(
      (e) => e.early_components[c],
      (e) => e.outcome_change,
    );
  const tiered = rows.filter((e) => e.tier !== null);
  const dropout = (tier: string): Interval => {
    const closed = tiered.filter((e) => e.tier === tier && e.closed);
    const w = wilson(closed.filter((e) => e.dropout).length, closed.length, 0.95);
    return { estimate: w.rate, lo: w.ci_low, hi: w.ci_high };
  };
  const cox = coxEfron(
    tiered.map((e) => e.days_in_treatment),
    tiered.map((e) => e.dropout),
    tiered.map((e) => [e.tier === "moderate" ? 1 : 0, e.tier === "high" ? 1 : 0]),
  );
  const model = rows.filter((e) => e.early_alliance !== null && e.outcome_change !== null);
  const wb = fitWithinBetween(
    model.map((e) => e.early_alliance!),
    model.map((e) => e.outcome_last! - e.outcome_change!),
    model.map((e) => e.outcome_last!),
    model.map((e) => e.therapist),
  );
  const coefficient = (k: number): Interval => ({
    estimate: wb.coefficients[k]!.estimate,
    lo: wb.coefficients[k]!.ci_low,
    hi: wb.coefficients[k]!.ci_high,
  });
  return {
    r_change: r(
      (e) => e.early_alliance,
      (e) => e.outcome_change,
    ),
    r_last: r(
      (e) => e.early_alliance,
      (e) => e.outcome_last,
    ),
    r_bond_change: component("bond"),
    r_goals_change: component("goals"),
    r_task_change: component("task"),
    r_overall_change: component("overall"),
    r_therapist_change: component("therapist"),
    r_therapist_client: r(
      (e) => e.early_components.therapist,
      (e) => e.early_alliance,
    ),
    dropout_low: dropout("low"),
    dropout_moderate: dropout("moderate"),
    dropout_high: dropout("high"),
    hr_moderate: { estimate: cox.hr[0]!, lo: cox.lower[0]!, hi: cox.upper[0]! },
    hr_high: { estimate: cox.hr[1]!, lo: cox.lower[1]!, hi: cox.upper[1]! },
    within: coefficient(1),
    between: coefficient(2),
  };
}

/** The documented quantities whose population value lies outside this study's 95% CI. */
export function misses(study: DemoStudy): Truth[] {
  const got = intervals(study);
  return (Object.keys(TRUTH) as Truth[]).filter((k) => !(got[k].lo <= TRUTH[k] && TRUTH[k] <= got[k].hi));
}
