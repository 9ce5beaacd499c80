/**
 * The statistics of `alliance meta`: random-effects pooling (REML and DerSimonian–Laird) of the
 * studies' correlations on Fisher's z, per-study CIs and weights, Egger's test, and subgroups.
 * Pure: no I/O. Same formulas as metafor::rma / regtest (analyses/random-effects.ts, egger-test.ts).
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { eggerTest, type EggerTest } from "../../analyses/egger-test.ts";
import { fisherZInterval } from "../../analyses/fisher-z-interval.ts";
import { randomEffects, type TauMethod } from "../../analyses/random-effects.ts";
import { formatP, noLeadingZero } from "../report/apa.ts";
import { pooledCorrelation } from "../results.ts";
import type { PublishedStudy } from "./read-studies.ts";
import type { MetaResults, PooledMeta } from "./meta-results.ts";

export function pool(studies: readonly PublishedStudy[], method: TauMethod): PooledMeta {
  const m = randomEffects(
    studies.map((s) => s.r),
    studies.map((s) => s.n),
    method,
  );
  const p = 2 * normalCdf(-Math.abs(m.z / m.se), 0, 1);
  return {
    ...pooledCorrelation(m),
    z: m.z,
    se: m.se,
    p,
    apa: `r = ${noLeadingZero(m.r)}, 95% CI [${noLeadingZero(m.r_ci[0])}, ${noLeadingZero(m.r_ci[1])}], ${formatP(p)}`,
  };
}

export function analyzeMeta(
  studies: readonly PublishedStudy[],
  by: string | null,
): Omit<MetaResults, "schema_version" | "title" | "provenance"> {
  const reml = pool(studies, "REML");
  const w = studies.map((s) => 1 / (1 / (s.n - 3) + reml.tau2));
  const sw = w.reduce((a, b) => a + b, 0);
  let egger: EggerTest | null = null;
  try {
    egger =
      studies.length >= 3
        ? eggerTest(
            studies.map((s) => Math.atanh(s.r)),
            studies.map((s) => 1 / (s.n - 3)),
          )
        : null;
  } catch {
    egger = null; // equal standard errors: asymmetry cannot be tested
  }
  return {
    studies: studies.map((s, i) => {
      const [ci_low, ci_high] = fisherZInterval(s.r, s.n - 3, 0.95);
      return {
        study: s.study,
        year: s.year,
        n: s.n,
        r: s.r,
        ci_low,
        ci_high,
        weight_reml: (100 * w[i]!) / sw,
        moderators: s.moderators,
      };
    }),
    k: studies.length,
    total_n: studies.reduce((a, s) => a + s.n, 0),
    reml,
    dl: pool(studies, "DL"),
    egger,
    subgroups: by === null ? null : subgroups(studies, by),
  };
}

function subgroups(studies: readonly PublishedStudy[], column: string): NonNullable<MetaResults["subgroups"]> {
  const levels = [...new Set(studies.map((s) => s.moderators[column] ?? ""))].sort();
  return {
    column,
    groups: levels.map((level) => {
      const inLevel = studies.filter((s) => (s.moderators[column] ?? "") === level);
      return {
        level,
        k: inLevel.length,
        total_n: inLevel.reduce((a, s) => a + s.n, 0),
        pooled: inLevel.length >= 2 ? pool(inLevel, "REML") : null,
        r: inLevel.length === 1 ? inLevel[0]!.r : null,
      };
    }),
  };
}
