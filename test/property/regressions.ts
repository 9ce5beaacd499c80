/**
 * Studies on which the pipeline once failed, as fast-check shrank them (each a change to the demo-like
 * DEFAULT_SHAPE of data/generator/shape.ts). pipeline.property.test.ts runs every one first.
 */
import type { StudyShape } from "../../data/generator/shape.ts";

/** The smallest study fast-check shrank to, with one thing changed. */
const tiny: Partial<StudyShape> = {
  seed: 1,
  episodes: 2,
  sites: 2,
  therapists: 25,
  sessionsPerEpisode: 2,
  readmissionShare: 0,
  dischargedShare: 0,
  dropoutShare: 0,
  missingRatings: 0,
  allianceMean: 33,
  therapistSd: 2,
  duplicateShare: 0,
  cutoff: "inside",
};

export const REGRESSIONS: Record<string, Partial<StudyShape>> = {
  // "LU matrix is singular" from the log-rank test: no dropout, so no variance to invert.
  "nobody discharged yet (no dropout): the log-rank test crashed": tiny,
  "everyone discharged, no dropout: the log-rank test crashed": {
    ...tiny,
    episodes: 200,
    dischargedShare: 1,
    dropoutShare: 0,
  },
  // Every episode admitted after the cutoff: a report of 0 analysed episodes was written, exit 0.
  "every episode after the cutoff: an empty report": { ...tiny, episodes: 1, cutoff: "before" },
  // One episode: its total was shown (1), and the residualized change's pairs were declared equal to
  // the pairs with a change score although no residualized fit exists below 3 episodes.
  "one episode: its count shown, and a wrong identity": { ...tiny, episodes: 1, therapists: 2, cutoff: "inside" },
  // Twelve episodes all in the low tier, all dropouts: the closed count followed from the dropouts shown.
  "every closed episode a dropout: closed recoverable through the censoring table": {
    ...tiny,
    episodes: 12,
    sites: 5,
    therapists: 26,
    sessionsPerEpisode: 10,
    dischargedShare: 0.85,
    dropoutShare: 1,
    allianceMean: 20,
    therapistSd: 0,
    cutoff: "after",
  },
};
