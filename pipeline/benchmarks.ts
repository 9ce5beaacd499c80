/** The published alliance–outcome benchmarks shipped in data/benchmarks/alliance-outcome.json. */
import data from "../data/benchmarks/alliance-outcome.json" with { type: "json" };

export interface Benchmark {
  id: string;
  reference: string;
  short: string;
  r: number;
  ci_low: number;
  ci_high: number;
  k: number;
  n: string;
}

export const BENCHMARKS: Benchmark[] = data.benchmarks;

/** The benchmark power is computed for: the largest, most recent synthesis. */
export const PRIMARY_BENCHMARK: Benchmark = BENCHMARKS.find((b) => b.id === "fluckiger2018")!;
