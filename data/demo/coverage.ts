/**
 * Coverage of the demo's intervals: fits the within/between-therapist model and the primary Pearson r
 * to many demo-sized studies from the same model and counts how often their 95% CIs hold the
 * population values (data/demo/README.md). One demo is one draw; this shows the intervals' long-run rate.
 *   node bin/run-ts.mjs data/demo/coverage.ts [--studies 200] [--first-seed 1001]
 */
import { parseArgs } from "node:util";
import { fitWithinBetween } from "../../pipeline/stages/analyze-therapists.ts";
import { pearson } from "../../analyses/pearson.ts";
import { generateDemoStudy } from "./model.ts";
import { deriveReference } from "./population.ts";

/** Population values from `npm run generate-demo -- --truth` (data/demo/README.md). */
export const TRUTH = { r_change: 0.281, within: 0.446, between: 0.502 } as const;

export function coverage(studies: number, firstSeed: number) {
  const hits = { r_change: 0, within: 0, between: 0 };
  const sums = { r_change: 0, within: 0, between: 0 };
  for (let s = 0; s < studies; s++) {
    const study = generateDemoStudy(600, firstSeed + s);
    const rows = deriveReference(study)
      .map((r, i) => ({ ...r, therapist: study.episodes[i]!.Clinician }))
      .filter((r) => r.early_alliance !== null && r.outcome_change !== null);
    const fit = fitWithinBetween(rows.map((r) => r.early_alliance!), rows.map((r) => r.outcome_last! - r.outcome_change!), rows.map((r) => r.outcome_last!), rows.map((r) => r.therapist));
    const r = pearson(rows.map((x) => x.early_alliance!), rows.map((x) => x.outcome_change!), 0.95);
    const est = { r_change: [r.estimate, r.ci_low!, r.ci_high!], within: [fit.coefficients[1]!.estimate, fit.coefficients[1]!.ci_low, fit.coefficients[1]!.ci_high], between: [fit.coefficients[2]!.estimate, fit.coefficients[2]!.ci_low, fit.coefficients[2]!.ci_high] };
    for (const k of Object.keys(hits) as (keyof typeof hits)[]) {
      const [e, lo, hi] = est[k] as [number, number, number];
      sums[k] += e;
      if (lo <= TRUTH[k] && TRUTH[k] <= hi) hits[k]++;
    }
  }
  return Object.fromEntries(Object.keys(hits).map((k) => [k, { truth: TRUTH[k as keyof typeof TRUTH], mean_estimate: sums[k as keyof typeof sums] / studies, coverage: hits[k as keyof typeof hits] / studies }]));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { studies: { type: "string", default: "200" }, "first-seed": { type: "string", default: "1001" } } });
  console.log(JSON.stringify(coverage(Number(values.studies), Number(values["first-seed"])), null, 2));
}
