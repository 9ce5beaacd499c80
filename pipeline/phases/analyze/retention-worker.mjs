// The worker thread of analyzeRetentionInBackground (retention-in-background.ts). Plain JavaScript: a
// worker starts without the TypeScript loader, so run from the sources it registers it (tsx) before
// importing the stage; compiled into dist/, the imports below are of the compiled .js files.
import { parentPort, workerData } from "node:worker_threads";

if (!import.meta.url.includes("/dist/pipeline/")) (await import("tsx/esm/api")).register();
const { analyzeRetention } = await import("./analyze-retention.ts");
const { episodesFromColumns } = await import("./retention-columns.ts");
parentPort?.postMessage(analyzeRetention(episodesFromColumns(workerData.columns), workerData.study));
