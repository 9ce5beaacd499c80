/**
 * The primary bootstrap's replicates in blocks shared between threads (bootstrap-in-background.ts):
 * each thread claims the next block from a shared counter and draws its replicates into their place
 * in one shared array. A module of its own, so that the worker loads this and the analyses, not the
 * analyze phase.
 */
import { bootstrapReplicates } from "../../../analyses/bootstrap-correlation.ts";

/** The shared state of a bootstrap's blocks: its replicates, the next block to claim, and each block's state (0 to draw, CLAIMED, DRAWN). */
export interface SharedBlocks {
  replicates: Float64Array;
  next: Int32Array;
  state: Int32Array;
}

export const CLAIMED = 1;
export const DRAWN = 2;

/**
 * Claims blocks from the shared counter and draws each, until none is left (the worker's loop, and
 * the main thread's once its analyses are done).
 * @example drawBlocks(x, y, 1, 2000, shared) // every block no thread had claimed is drawn
 */
export function drawBlocks(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  seed: number,
  b: number,
  shared: SharedBlocks,
): void {
  const count = shared.state.length;
  for (let k = Atomics.add(shared.next, 0, 1); k < count; k = Atomics.add(shared.next, 0, 1)) {
    Atomics.store(shared.state, k, CLAIMED);
    drawBlock(x, y, seed, b, count, k, shared.replicates);
    Atomics.store(shared.state, k, DRAWN);
  }
}

/** Block k of `count`: its replicates into their place. */
export function drawBlock(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  seed: number,
  b: number,
  count: number,
  k: number,
  replicates: Float64Array,
): void {
  const from = Math.round((k * b) / count);
  const to = Math.round(((k + 1) * b) / count);
  replicates.set(bootstrapReplicates(x, y, seed, from, to), from);
}
