// The worker thread of primaryBootstrapInBackground (bootstrap-in-background.ts). Plain JavaScript: a
// worker starts without the TypeScript loader, so run from the sources it registers it (tsx) before
// importing; compiled into dist/, the import below is of the compiled .js file. It claims blocks of
// the primary bootstrap's replicates from the shared counter and draws each into the shared array,
// as the main thread does once its own analyses are done, then says so.
import { parentPort, workerData } from "node:worker_threads";

if (!import.meta.url.includes("/dist/pipeline/")) (await import("tsx/esm/api")).register();
const { drawBlocks } = await import("./bootstrap-blocks.ts");
const { x, y, seed, b, replicates, next, state } = workerData;
drawBlocks(x, y, seed, b, { replicates, next, state });
parentPort?.postMessage("drawn");
