/**
 * The primary bootstrap on a worker thread (primaryBootstrapInBackground) gives exactly what analyze
 * gives in place, whichever thread draws which block of its replicates; the worker runner
 * (inBackground) does the work in place when no worker can do it.
 * The expected values are analyze's own results on the demo study's episodes.
 */
import { describe, expect, it } from "vitest";
import { analyze, primaryPairs } from "../../pipeline/phases/analyze/analyze.ts";
import { primaryBootstrapInBackground } from "../../pipeline/phases/analyze/bootstrap-in-background.ts";
import { inBackground } from "../../pipeline/phases/analyze/in-background.ts";
import { demoStudyAndEpisodes } from "../helpers/run-stages.ts";

describe("the primary bootstrap on a worker thread", () => {
  it("gives the intervals analyze gives in place, to the last bit", async () => {
    const { study, episodes } = await demoStudyAndEpisodes();
    const inPlace = analyze(episodes, study);
    const pairs = primaryPairs(episodes);
    const later = primaryBootstrapInBackground(pairs, study, 0);
    expect(later).not.toBeNull();
    const elsewhere = analyze(episodes, study, { bootstrapElsewhere: true, primaryPairs: pairs });
    expect(elsewhere.bootstrap).toBeNull();
    expect(inPlace.bootstrap).not.toBeNull();
    const bootstrap = await later!.finish();
    expect(bootstrap).toEqual(inPlace.bootstrap);
    expect({ ...elsewhere, bootstrap }).toEqual(inPlace);
  });

  it("gives the same intervals, to the last bit, however the blocks fall between the threads", async () => {
    const { study, episodes } = await demoStudyAndEpisodes();
    const inPlace = analyze(episodes, study);
    const pairs = primaryPairs(episodes);
    // Finished at once: this thread draws most blocks. Finished after a wait: the worker has drawn them.
    for (const blocks of [1, 7, 2000])
      expect(await primaryBootstrapInBackground(pairs, study, 0, blocks)!.finish()).toEqual(inPlace.bootstrap);
    const waited = primaryBootstrapInBackground(pairs, study, 0, 7)!;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await waited.finish()).toEqual(inPlace.bootstrap);
  });

  it("draws on the main thread the blocks a worker claimed but did not draw, and all of them when no worker starts", async () => {
    const { study, episodes } = await demoStudyAndEpisodes();
    const inPlace = analyze(episodes, study);
    const pairs = primaryPairs(episodes);
    const stopping = primaryBootstrapInBackground(
      pairs,
      study,
      0,
      7,
      new URL("../fixtures/workers/claims-and-stops.mjs", import.meta.url),
    )!;
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the worker has claimed its two blocks and exited
    expect(await stopping.finish()).toEqual(inPlace.bootstrap);
    const missing = primaryBootstrapInBackground(pairs, study, 0, 7, new URL("./no-such-worker.mjs", import.meta.url))!;
    expect(await missing.finish()).toEqual(inPlace.bootstrap);
  });

  it("leaves a small study's bootstrap to analyze, and one above bootstrap.max_n to nobody", async () => {
    const { study, episodes } = await demoStudyAndEpisodes();
    expect(primaryBootstrapInBackground(primaryPairs(episodes), study)).toBeNull(); // the demo's 523 pairs: in place
    const capped = { ...study, bootstrap: { ...study.bootstrap, maxN: 100 } };
    expect(primaryBootstrapInBackground(primaryPairs(episodes), capped, 0)).toBeNull();
    expect(analyze(episodes, capped).bootstrap).toBeNull();
  });
});

describe("inBackground", () => {
  it("does the work in place when the worker cannot start (no such module)", async () => {
    const missing = new URL("./no-such-worker.mjs", import.meta.url);
    expect(await inBackground(missing, {}, () => 42)).toBe(42);
  });

  it("does the work in place when the worker cannot be given its data", async () => {
    const script = new URL("../../pipeline/phases/analyze/retention-worker.mjs", import.meta.url);
    expect(await inBackground(script, { workerData: { f: () => 0 } }, () => "here")).toBe("here");
  });
});
