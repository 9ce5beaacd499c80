// The worker thread of analyzeRetentionInBackground (retention-in-background.ts). Plain JavaScript: a
// worker starts without the TypeScript loader, so it registers it (tsx) before importing the stage.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { analyzeRetention } = await import("./analyze-retention.ts");
const { episodesFromColumns } = await import("./retention-columns.ts");
parentPort?.postMessage(analyzeRetention(episodesFromColumns(workerData.columns), workerData.study));
