/**
 * meta-results.json, written by `alliance meta`: every number of the meta-analysis report under
 * documented names (docs/meta.md). Correlations are pooled on Fisher's z and back-transformed.
 */
import type { EggerTest } from "../../analyses/egger-test.ts";
import type { PooledCorrelation } from "../results.ts";

export const META_RESULTS_SCHEMA_VERSION = "1.1.0";

export interface MetaResults {
  schema_version: string;
  title: string;
  /** release_check: what was verified before the outputs were published (added in 1.1.0). */
  provenance: {
    package: string;
    package_version: string;
    run_at: string;
    node_version: string;
    input: { file: string; sha256: string; studies: number };
    release_check: { checks: string[] };
  };
  /** Each study with its Fisher-z 95% CI and its share of the REML weight (%). */
  studies: {
    study: string;
    year: number | null;
    n: number;
    r: number;
    ci_low: number;
    ci_high: number;
    weight_reml: number;
    moderators: Record<string, string>;
  }[];
  k: number;
  /** Σn over the studies (participants may overlap between studies). */
  total_n: number;
  /** Pooled r with its z test of r = 0. */
  reml: PooledMeta;
  dl: PooledMeta;
  /** Egger's regression test (metafor::regtest(model = "lm")); null below 3 studies or when all n are equal. */
  egger: EggerTest | null;
  /** Pooled REML estimates within each level of the --by column, or null without --by. */
  subgroups: {
    column: string;
    groups: { level: string; k: number; total_n: number; pooled: PooledMeta | null; r: number | null }[];
  } | null;
}

export interface PooledMeta extends PooledCorrelation {
  z: number;
  se: number;
  /** Two-sided p of the z test that the pooled correlation is 0. */
  p: number;
  /** e.g. "r = .15, 95% CI [.09, .21], p < .001" */
  apa: string;
}
