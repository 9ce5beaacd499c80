/**
 * The primary correlation's bootstrap on a worker thread while the main thread runs the other
 * analyses: at 100,000 episodes it is B × n = 150 million draws, half the phase. The result is what
 * primaryBootstrap gives in place (in-background.ts), to the last bit: the same code on the same pairs.
 */
import type { Study } from "../../config/study.ts";
import type { BootstrapInterval } from "../../../analyses/bootstrap-correlation.ts";
import { bootstrapsPrimary, CONFIDENCE_LEVEL, primaryBootstrap } from "./analyze.ts";
import { inBackground } from "./in-background.ts";

/**
 * Pairs from which the bootstrap goes to a worker thread: starting one takes about 0.25 s, and a
 * bootstrap of 20,000 pairs (B = 2,000) about 0.3 s.
 */
export const BOOTSTRAP_BACKGROUND_MIN_PAIRS = 20_000;

/**
 * Starts the primary bootstrap of `pairs` (primaryPairs(episodes)) on a worker thread and returns its
 * result to come; null when it is better done in place (too few pairs) or not done at all: then
 * analyze does it, or leaves it out.
 * @example const pairs = primaryPairs(episodes); const boot = primaryBootstrapInBackground(pairs, study); const a = analyze(episodes, study, { bootstrapElsewhere: boot !== null, primaryPairs: pairs }); if (boot) a.bootstrap = await boot
 */
export function primaryBootstrapInBackground(pairs: { x: number[]; y: number[] }, study: Study, minPairs = BOOTSTRAP_BACKGROUND_MIN_PAIRS): Promise<BootstrapInterval | null> | null {
  if (pairs.x.length < minPairs || !bootstrapsPrimary(pairs.x.length, study)) return null;
  const x = Float64Array.from(pairs.x);
  const y = Float64Array.from(pairs.y);
  const workerData = { x, y, b: study.bootstrap.b, seed: study.bootstrap.seed, level: CONFIDENCE_LEVEL };
  return inBackground(new URL("./bootstrap-worker.mjs", import.meta.url), { workerData, transferList: [x.buffer, y.buffer] }, () => ({ result: primaryBootstrap(pairs, study) })).then((m) => m.result);
}
