// The worker thread of primaryBootstrapInBackground (bootstrap-in-background.ts). Plain JavaScript: a
// worker starts without the TypeScript loader, so run from the sources it registers it (tsx) before
// importing; compiled into dist/, the import below is of the compiled .js file. It posts what
// primaryBootstrap would give: the intervals, or null when a variable is constant.
import { parentPort, workerData } from "node:worker_threads";

if (!import.meta.url.includes("/dist/pipeline/")) (await import("tsx/esm/api")).register();
const { bootstrapCorrelation } = await import("../../../analyses/bootstrap-correlation.ts");
const { x, y, b, seed, level } = workerData;
let result = null;
try {
  result = bootstrapCorrelation(Array.from(x), Array.from(y), b, seed, level);
} catch {
  result = null; // a constant variable: no correlation to resample
}
parentPort?.postMessage({ result });
