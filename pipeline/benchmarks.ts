/** The published alliance–outcome benchmarks shipped in data/benchmarks/alliance-outcome.json. */
import data from "../data/benchmarks/alliance-outcome.json" with { type: "json" };

export interface Benchmark {
  id: string;
  reference: string;
  short: string;
  r: number;
  /** null where the source gives no interval. */
  ci_low: number | null;
  ci_high: number | null;
  k: number;
  /** Patients, as the source words it; null where not confirmed. */
  n: string | null;
  /** Where the numbers were checked. */
  checked: string;
}

export const BENCHMARKS: Benchmark[] = data.benchmarks;

/** The benchmark power is computed for: the largest, most recent synthesis. */
export const PRIMARY_BENCHMARK: Benchmark = BENCHMARKS.find((b) => b.id === "fluckiger2018")!;
