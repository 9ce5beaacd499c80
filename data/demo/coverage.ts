/**
 * Coverage of the demo's intervals: computes every documented quantity's 95% CI (truth.ts) in many
 * demo-sized studies from the same model and counts how often it holds the population value
 * (data/demo/README.md). One demo is one draw; this shows the intervals' long-run rate.
 *   node bin/run-ts.mjs data/demo/coverage.ts [--studies 200] [--first-seed 1001]
 */
import { parseArgs } from "node:util";
import { generateDemoStudy } from "./model.ts";
import { intervals, TRUTH, type Truth } from "./truth.ts";

export function coverage(studies: number, firstSeed: number) {
  const keys = Object.keys(TRUTH) as Truth[];
  const hits = Object.fromEntries(keys.map((k) => [k, 0])) as Record<Truth, number>;
  const sums = Object.fromEntries(keys.map((k) => [k, 0])) as Record<Truth, number>;
  let all = 0;
  for (let s = 0; s < studies; s++) {
    const got = intervals(generateDemoStudy(600, firstSeed + s));
    let every = true;
    for (const k of keys) {
      sums[k] += got[k].estimate;
      if (got[k].lo <= TRUTH[k] && TRUTH[k] <= got[k].hi) hits[k]++;
      else every = false;
    }
    if (every) all++;
  }
  return {
    studies,
    share_with_every_truth_covered: all / studies,
    quantities: Object.fromEntries(
      keys.map((k) => [
        k,
        { truth: TRUTH[k], mean_estimate: +(sums[k] / studies).toFixed(4), coverage: hits[k] / studies },
      ]),
    ),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { studies: { type: "string", default: "200" }, "first-seed": { type: "string", default: "1001" } },
  });
  console.log(JSON.stringify(coverage(Number(values.studies), Number(values["first-seed"])), null, 2));
}
