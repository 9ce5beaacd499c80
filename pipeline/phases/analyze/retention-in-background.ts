/**
 * Retention analysed on a worker thread while the main thread runs the other analyses: in that
 * phase the machine's other cores are otherwise idle. The result is the same object analyzeRetention
 * returns. Small studies are analysed in place, since starting a worker (and its TypeScript loader)
 * costs more than it saves below BACKGROUND_MIN_EPISODES.
 */
import { Worker } from "node:worker_threads";
import type { Study } from "../../config/study.ts";
import { analyzeRetention, type RetentionAnalysis, type RetentionEpisode } from "./analyze-retention.ts";
import { columnBuffers, retentionColumns } from "./retention-columns.ts";

/**
 * Episodes from which retention goes to a worker thread. Starting one takes about 0.6 s; at 100,000
 * episodes that cost more than it saved (analyze 4.0 s against 3.4 s), at 1.31 million it saves about 3.4 s (analyze 8.2 s against 11.6 s).
 */
export const BACKGROUND_MIN_EPISODES = 500_000;

/**
 * Starts the retention analysis; await the promise after the other analyses. Should the worker fail
 * to start or stop without a result, retention is analysed in place: the same result, or the same error.
 * @example const retention = analyzeRetentionInBackground(episodes, study); const main = analyze(episodes, study); await retention
 */
export function analyzeRetentionInBackground(episodes: readonly RetentionEpisode[], study: Study, minEpisodes = BACKGROUND_MIN_EPISODES): Promise<RetentionAnalysis> {
  const inPlace = () => new Promise<RetentionAnalysis>((resolve) => resolve(analyzeRetention(episodes, study)));
  if (episodes.length < minEpisodes) return inPlace();
  let worker: Worker;
  try {
    const columns = retentionColumns(episodes);
    worker = new Worker(new URL("./retention-worker.mjs", import.meta.url), { workerData: { columns, study }, transferList: columnBuffers(columns) });
  } catch {
    return inPlace();
  }
  return new Promise((resolve, reject) => {
    // Only the first of the worker's events counts (it exits after sending its result); the in-place
    // analysis is started only if that first event is not the result.
    let settled = false;
    const settle = (result: () => Promise<RetentionAnalysis>) => {
      if (settled) return;
      settled = true;
      result().then(resolve, reject);
      void worker.terminate();
    };
    worker.once("message", (result: RetentionAnalysis) => settle(() => Promise.resolve(result)));
    worker.once("error", () => settle(inPlace));
    worker.once("exit", () => settle(inPlace));
  });
}
