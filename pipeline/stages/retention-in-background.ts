/**
 * Retention analysed on a worker thread while the main thread runs the other analyses: in that
 * phase the machine's other cores are otherwise idle. The result is the same object analyzeRetention
 * returns. Small studies are analysed in place, since starting a worker (and its TypeScript loader)
 * costs more than it saves below BACKGROUND_MIN_EPISODES.
 */
import { Worker } from "node:worker_threads";
import type { Study } from "../config/study.ts";
import { analyzeRetention, type RetentionAnalysis } from "./analyze-retention.ts";
import { columnBuffers, retentionColumns, type RetentionEpisode } from "./retention-columns.ts";

/**
 * Episodes from which retention goes to a worker thread. Starting one takes about 0.6 s; at 100,000
 * episodes that cost more than it saved (analyze 4.0 s against 3.4 s), at 1.31 million it saves 3.5 s.
 */
export const BACKGROUND_MIN_EPISODES = 500_000;

/**
 * Starts the retention analysis; await the promise after the other analyses.
 * @example const retention = analyzeRetentionInBackground(episodes, study); const main = analyze(episodes, study); await retention
 */
export function analyzeRetentionInBackground(episodes: readonly RetentionEpisode[], study: Study, minEpisodes = BACKGROUND_MIN_EPISODES): Promise<RetentionAnalysis> {
  if (episodes.length < minEpisodes) return Promise.resolve(analyzeRetention(episodes, study));
  const columns = retentionColumns(episodes);
  const worker = new Worker(new URL("./retention-worker.mjs", import.meta.url), { workerData: { columns, study }, transferList: columnBuffers(columns) });
  return new Promise((resolve, reject) => {
    worker.once("message", (result: RetentionAnalysis) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the retention worker stopped (exit code ${code}) without a result`)));
  });
}
