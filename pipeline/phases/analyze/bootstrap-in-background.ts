/**
 * The primary correlation's bootstrap on a worker thread while the main thread runs the other
 * analyses: at 100,000 episodes it is B × n = 150 million draws, more than the rest of the phase.
 * The replicates are cut into blocks (any range of them can be computed on its own:
 * bootstrapReplicates) that the worker claims one at a time from a shared counter; once the main
 * thread's own analyses are done it claims the blocks left too (finish), rather than wait idle while
 * the worker draws them all. Each block's replicates go to their place in one shared array, so the
 * result is what primaryBootstrap gives in place, to the last bit, whichever thread drew which block.
 * Should the worker fail to start, or stop before it has drawn a block it claimed, the main thread
 * draws what is missing.
 */
import { Worker } from "node:worker_threads";
import type { Study } from "../../config/study.ts";
import {
  bootstrapInterval,
  bootstrapReplicates,
  type BootstrapInterval,
} from "../../../analyses/bootstrap-correlation.ts";
import { correlationCoefficient } from "../../../analyses/pearson.ts";
import { bootstrapsPrimary, CONFIDENCE_LEVEL } from "./analyze.ts";
import { drawBlock, drawBlocks, DRAWN, type SharedBlocks } from "./bootstrap-blocks.ts";

/**
 * Pairs from which the bootstrap goes to a worker thread: starting one takes about 0.25 s, and a
 * bootstrap of 20,000 pairs (B = 2,000) about 0.3 s.
 */
export const BOOTSTRAP_BACKGROUND_MIN_PAIRS = 20_000;

/** Blocks the replicates are cut into: at B = 2,000 and 74,000 pairs, about 45 ms of draws each. */
export const BOOTSTRAP_BLOCKS = 40;

/** A bootstrap under way on a worker thread. */
export interface BackgroundBootstrap {
  /** Draws the blocks no thread has claimed yet on this thread, then waits for the worker's: the intervals, or null when a variable is constant. */
  finish(): Promise<BootstrapInterval | null>;
}

/**
 * Starts the primary bootstrap of `pairs` (primaryPairs(episodes)) on a worker thread; null when it is
 * better done in place (too few pairs) or not done at all: then analyze does it, or leaves it out.
 * @example const pairs = primaryPairs(episodes); const boot = primaryBootstrapInBackground(pairs, study); const a = analyze(episodes, study, { bootstrapElsewhere: boot !== null, primaryPairs: pairs }); if (boot) a.bootstrap = await boot.finish()
 */
export function primaryBootstrapInBackground(
  pairs: { x: number[]; y: number[] },
  study: Study,
  minPairs = BOOTSTRAP_BACKGROUND_MIN_PAIRS,
  blocks = BOOTSTRAP_BLOCKS,
  /** The worker's module (a test gives one that fails, or stops after claiming a block). */
  script = new URL("./bootstrap-worker.mjs", import.meta.url),
): BackgroundBootstrap | null {
  const n = pairs.x.length;
  if (n < minPairs || !bootstrapsPrimary(n, study)) return null;
  const { b, seed } = study.bootstrap;
  try {
    correlationCoefficient(pairs.x, pairs.y);
  } catch {
    return { finish: () => Promise.resolve(null) }; // a constant variable: no correlation to resample
  }
  const count = Math.max(1, Math.min(blocks, b));
  const shared: SharedBlocks = {
    replicates: new Float64Array(new SharedArrayBuffer(8 * b)),
    next: new Int32Array(new SharedArrayBuffer(4)),
    state: new Int32Array(new SharedArrayBuffer(4 * count)),
  };
  const worker = startWorker(script, {
    x: Float64Array.from(pairs.x),
    y: Float64Array.from(pairs.y),
    seed,
    b,
    ...shared,
  });
  const allDrawn = () => shared.state.every((_, k) => Atomics.load(shared.state, k) === DRAWN);
  return {
    async finish() {
      drawBlocks(pairs.x, pairs.y, seed, b, shared);
      // The worker may be drawing its last block; if it has none, it is not waited for.
      if (!allDrawn()) await worker.stopped;
      worker.stop();
      // Blocks the worker claimed but did not draw (it stopped): drawn here.
      for (let k = 0; k < count; k++)
        if (Atomics.load(shared.state, k) !== DRAWN) drawBlock(pairs.x, pairs.y, seed, b, count, k, shared.replicates);
      return bootstrapInterval(pairs.x, pairs.y, [shared.replicates], b, seed, CONFIDENCE_LEVEL);
    },
  };
}

/** Starts the worker: `stopped` resolves once it has drawn its blocks, failed or exited; stop() ends it. */
function startWorker(
  script: URL,
  workerData: { x: Float64Array; y: Float64Array; seed: number; b: number } & SharedBlocks,
): { stopped: Promise<void>; stop(): void } {
  let worker: Worker;
  try {
    worker = new Worker(script, {
      workerData,
      transferList: [workerData.x.buffer as ArrayBuffer, workerData.y.buffer as ArrayBuffer],
    });
  } catch {
    return { stopped: Promise.resolve(), stop: () => {} };
  }
  const stopped = new Promise<void>((resolve) => {
    worker.once("message", () => resolve());
    worker.once("error", () => resolve());
    worker.once("exit", () => resolve());
  });
  return { stopped, stop: () => void worker.terminate() };
}
