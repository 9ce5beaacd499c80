/**
 * Work handed to a worker thread while the main thread runs the other analyses (in the analyze
 * phase the machine's other core is otherwise idle), with the same result as doing it in place:
 * should the worker fail to start, or stop without a result, the work is done in place instead.
 */
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts `script` (a worker module next to the caller) with `options` and resolves with the first
 * message it posts; `inPlace` gives the result when the worker gives none.
 * @example const done = inBackground(new URL("./retention-worker.mjs", import.meta.url), { workerData }, () => compute()); … ; await done
 */
export function inBackground<T>(script: URL, options: WorkerOptions, inPlace: () => T): Promise<T> {
  const here = () => new Promise<T>((resolve) => resolve(inPlace()));
  let worker: Worker;
  try {
    worker = new Worker(script, options);
  } catch {
    return here();
  }
  return new Promise((resolve, reject) => {
    // Only the first of the worker's events counts (it exits after sending its result); the in-place
    // work is started only if that first event is not the result.
    let settled = false;
    const settle = (result: () => Promise<T>) => {
      if (settled) return;
      settled = true;
      result().then(resolve, reject);
      void worker.terminate();
    };
    worker.once("message", (result: T) => settle(() => Promise.resolve(result)));
    worker.once("error", () => settle(here));
    worker.once("exit", () => settle(here));
  });
}
