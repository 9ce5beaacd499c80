/**
 * Retention on a worker thread (analyzeRetentionInBackground) gives exactly what analyzeRetention
 * gives in place. The expected value is analyzeRetention's own result on the demo study's episodes.
 */
import { describe, expect, it, vi } from "vitest";
import { analyzeRetention } from "../../pipeline/phases/analyze/analyze-retention.ts";

// The main thread's analyzeRetention, watched: the worker thread loads its own copy, unwatched.
vi.mock("../../pipeline/phases/analyze/analyze-retention.ts", async (original) => {
  const actual = await original<typeof import("../../pipeline/phases/analyze/analyze-retention.ts")>();
  return { ...actual, analyzeRetention: vi.fn(actual.analyzeRetention) };
});
import { analyzeRetentionInBackground } from "../../pipeline/phases/analyze/retention-in-background.ts";
import { episodesFromColumns, retentionColumns } from "../../pipeline/phases/analyze/retention-columns.ts";
import { demoStudyAndEpisodes } from "../helpers/run-stages.ts";

describe("retention on a worker thread", () => {
  it("packs and unpacks the fields retention reads without change", async () => {
    const { episodes } = await demoStudyAndEpisodes();
    const fields = (e: (typeof episodes)[number]) => ({
      tier: e.tier,
      days_in_treatment: e.days_in_treatment,
      dropout: e.dropout,
      closed: e.closed,
      discharge_reason: e.discharge_reason,
      admit_date: e.admit_date,
      dropout_by: e.dropout_by,
      therapist_id: e.therapist_id,
      site: e.site,
    });
    expect(episodesFromColumns(retentionColumns(episodes))).toEqual(episodes.map(fields));
  });

  it("gives the same result as analyzeRetention in place", async () => {
    const { episodes, study } = await demoStudyAndEpisodes();
    const inPlace = analyzeRetention(episodes, study);
    const inWorker = await analyzeRetentionInBackground(episodes, study, 0);
    expect(inWorker).toEqual(inPlace);
  });

  it("does not also analyse in place when the worker gives its result", async () => {
    const { episodes, study } = await demoStudyAndEpisodes();
    vi.mocked(analyzeRetention).mockClear();
    await analyzeRetentionInBackground(episodes, study, 0);
    // The worker exits after its result: that exit must not start the in-place analysis.
    await new Promise((r) => setTimeout(r, 200));
    expect(analyzeRetention).not.toHaveBeenCalled();
  });

  it("analyses in place, with the same result, when the worker cannot be given the study", async () => {
    const { episodes, study } = await demoStudyAndEpisodes();
    // A function cannot be sent to a worker thread: starting it fails.
    const unsendable = { ...study, extra: () => 0 } as unknown as typeof study;
    expect(await analyzeRetentionInBackground(episodes, unsendable, 0)).toEqual(analyzeRetention(episodes, study));
  });
});
