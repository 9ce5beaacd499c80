/**
 * Retention analysed on a worker thread while the main thread runs the other analyses: in that
 * phase the machine's other cores are otherwise idle. The result is the same object analyzeRetention
 * returns (in-background.ts). Small studies are analysed in place, since starting a worker costs more
 * than it saves below BACKGROUND_MIN_EPISODES.
 */
import type { Study } from "../../config/study.ts";
import { analyzeRetention, type RetentionAnalysis, type RetentionEpisode } from "./analyze-retention.ts";
import { columnBuffers, retentionColumns, retentionColumnsOf } from "./retention-columns.ts";
import type { EpisodeColumns } from "../handoff.ts";
import { episodeObjects } from "../episodes.ts";
import { inBackground } from "./in-background.ts";

/**
 * Episodes from which retention goes to a worker thread. Starting one from the compiled code takes
 * about 0.25 s, and packing the episodes for it more; at 100,000 episodes that cost more than it
 * saved (analyze 2.8–4.4 s in five runs, against 2.8–2.9 s in place), at 1.31 million it saves about 3.4 s
 * (analyze 8.2 s against 11.6 s).
 */
export const BACKGROUND_MIN_EPISODES = 500_000;

/**
 * Starts the retention analysis; await the promise after the other analyses. Should the worker fail
 * to start or stop without a result, retention is analysed in place: the same result, or the same error.
 * @example const retention = analyzeRetentionInBackground(episodes, study); const main = analyze(episodes, study); await retention
 */
export function analyzeRetentionInBackground(
  episodes: EpisodeColumns | readonly RetentionEpisode[],
  study: Study,
  minEpisodes = BACKGROUND_MIN_EPISODES,
): Promise<RetentionAnalysis> {
  const objects = Array.isArray(episodes) ? (episodes as readonly RetentionEpisode[]) : null;
  const columns = objects ? null : (episodes as EpisodeColumns);
  const inPlace = () => analyzeRetention(objects ?? episodeObjects(columns!), study);
  if ((objects?.length ?? columns!.n) < minEpisodes)
    return new Promise<RetentionAnalysis>((resolve) => resolve(inPlace()));
  const packed = objects ? retentionColumns(objects) : retentionColumnsOf(columns!);
  return inBackground(
    new URL("./retention-worker.mjs", import.meta.url),
    { workerData: { columns: packed, study }, transferList: columnBuffers(packed) },
    inPlace,
  );
}
