/**
 * The alliance over the sessions (docs/dynamics.md), from derive's session course and the episodes:
 *   - ruptures by tier at k = 1 and 2, as derive counted them;
 *   - outcome change with and without a repaired rupture: r (point-biserial) and the difference in
 *     means, each with its interval and its cluster jackknife interval (inference.cluster);
 *   - dropout on an open (unrepaired) rupture as a time-dependent covariate: Cox in counting-process
 *     form, Efron ties, robust SE clustered on inference.cluster (analyses/cox-counting.ts);
 *   - sudden gains and losses, their magnitudes and reversals, and the outcome and alliance around them;
 *   - the lagged within-client models (analyses/random-intercept-by-size.ts), forward and reverse.
 * Pure: no I/O.
 */
import { coxCounting, splitAtChanges, type FollowUp } from "../../../analyses/cox-counting.ts";
import { robustWald } from "../../../analyses/cox-robust.ts";
import {
  clusterJackknife,
  meanDifferenceBlock,
  MIN_CLUSTERS,
  pearsonBlock,
} from "../../../analyses/cluster-bootstrap.ts";
import { meanDifference } from "../../../analyses/difference-intervals.ts";
import { pearson } from "../../../analyses/pearson.ts";
import { randomInterceptBySize, type SizeClass } from "../../../analyses/random-intercept-by-size.ts";
import { openRuptureChanges } from "../../../analyses/ruptures.ts";
import { SingularMatrixError } from "../../../analyses/matrix-errors.ts";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import type { MixedCoefficient } from "../../../analyses/random-intercept-model.ts";
import type { Study } from "../../config/study.ts";
import {
  CONFIDENCE_LEVEL,
  type DynamicsAnalysis,
  type EpisodeColumns,
  type LaggedModel,
  RUPTURE_OUTCOMES,
  type SessionCourse,
  type ShiftSummary,
} from "../handoff.ts";

/** Offsets from session n (the last before a shift) at which the course around it is averaged. */
export const AROUND = [-2, -1, 0, 1, 2, 3];

/** The lagged models' coefficients, in the order of derive's sums. */
const LAGGED_NAMES = ["(Intercept)", "within", "between", "now", "session"];

export function analyzeDynamics(course: SessionCourse, episodes: EpisodeColumns, study: Study): DynamicsAnalysis {
  const index = new Map<number, number>();
  for (let i = 0; i < episodes.n; i++) index.set(episodes.src_row[i]!, i);
  const clusterOf = clusterCodes(episodes, study);
  return {
    rupture_sd: study.dynamics.ruptureSd,
    repair_sessions: study.dynamics.repairSessions,
    pooled_sd: course.pooled_sd,
    rated: course.rated,
    rupture_counts: course.rupture_counts,
    repair_outcome: repairOutcome(course, episodes, index, clusterOf),
    dropout: dropoutOnRupture(course, episodes, index, clusterOf),
    gain_cutoff: course.gain_cutoff,
    scored_episodes: course.scored_episodes,
    shifts: (["gain", "loss"] as const).map((kind) => shiftSummary(course, kind)),
    alliance_by_session: course.alliance_by_session.map((row) => {
      const half = row.sd !== null && row.n >= 2 ? tQuantile(0.975, row.n - 1) * (row.sd / Math.sqrt(row.n)) : null;
      return {
        ...row,
        ci_low: half === null ? null : row.mean - half,
        ci_high: half === null ? null : row.mean + half,
      };
    }),
    lagged: {
      forward: lagged(course.lagged.forward),
      reverse: lagged(course.lagged.reverse),
      detrended: course.lagged.detrended ? lagged(course.lagged.detrended) : null,
    },
  };
}

/** Each episode's cluster as 0 … G − 1 (inference.cluster), or null when the unit is none or too few. */
function clusterCodes(episodes: EpisodeColumns, study: Study): { codes: Int32Array; count: number } | null {
  const unit = study.inference.cluster;
  if (unit === "none") return null;
  const col = unit === "site" ? episodes.site : episodes.therapist_id;
  const codes = Int32Array.from(col.codes);
  const count = col.values.length;
  if (codes.some((c) => c < 0) || new Set(codes).size < MIN_CLUSTERS) return null;
  return { codes, count };
}

/** Outcome change with at least one repaired rupture against none, over the episodes with 3 or more ratings. */
function repairOutcome(
  course: SessionCourse,
  e: EpisodeColumns,
  index: Map<number, number>,
  clusters: { codes: Int32Array; count: number } | null,
): DynamicsAnalysis["repair_outcome"] {
  const rc = course.ruptures;
  const repaired = new Set<number>();
  for (let j = 0; j < rc.n; j++) if (RUPTURE_OUTCOMES[rc.outcome[j]!] === "repaired") repaired.add(rc.ep[j]!);
  const group: number[] = [];
  const y: number[] = [];
  const cluster: number[] = [];
  for (const ep of course.eligible) {
    const i = index.get(ep);
    if (i === undefined) continue;
    const change = e.outcome_change[i]!;
    if (change !== change) continue;
    group.push(repaired.has(ep) ? 1 : 0);
    y.push(change);
    cluster.push(clusters ? clusters.codes[i]! : 0);
  }
  const n1 = group.filter((g) => g === 1).length;
  const n0 = group.length - n1;
  if (n1 < 2 || n0 < 2)
    return { n: group.length, n_repaired: n1, n_none: n0, r: null, difference: null, cluster: null };
  const stats = (g: number) => {
    const v = y.filter((_, i) => group[i] === g);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return { mean, sd: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)), n: v.length };
  };
  const a = stats(1);
  const b = stats(0);
  let r = null;
  try {
    r = pearson(group, y, CONFIDENCE_LEVEL);
  } catch {
    r = null;
  }
  const cl = clusters
    ? {
        r: clusterJackknife(pearsonBlock(group, y, cluster, clusters.count), CONFIDENCE_LEVEL)?.ci ?? null,
        difference:
          clusterJackknife(meanDifferenceBlock(group, y, cluster, clusters.count), CONFIDENCE_LEVEL)?.ci ?? null,
      }
    : null;
  return {
    n: group.length,
    n_repaired: n1,
    n_none: n0,
    r,
    difference: { ...meanDifference(a, b, CONFIDENCE_LEVEL), mean_repaired: a.mean, mean_none: b.mean },
    cluster: cl,
  };
}

/** Dropout on an open rupture (time-dependent), over the episodes with 3 or more ratings and follow-up > 0. */
function dropoutOnRupture(
  course: SessionCourse,
  e: EpisodeColumns,
  index: Map<number, number>,
  clusters: { codes: Int32Array; count: number } | null,
): DynamicsAnalysis["dropout"] {
  // Each episode's ruptures as {day, repaired_day}; the columns run by episode.
  const rc = course.ruptures;
  const byEp = new Map<number, { day: number; repaired_day: number | null }[]>();
  for (let j = 0; j < rc.n; j++) {
    const list = byEp.get(rc.ep[j]!) ?? [];
    const repairedDay = rc.repaired_day[j]!;
    list.push({ day: rc.day[j]!, repaired_day: repairedDay === repairedDay ? repairedDay : null });
    if (list.length === 1) byEp.set(rc.ep[j]!, list);
  }
  const followUps: FollowUp[] = [];
  const cluster: number[] = [];
  let noTime = 0;
  for (const ep of course.eligible) {
    const i = index.get(ep);
    if (i === undefined) continue;
    const time = e.days_in_treatment[i]!;
    if (!(time > 0)) {
      noTime++;
      continue;
    }
    followUps.push({ time, event: e.dropout[i] === 1, changes: openRuptureChanges(byEp.get(ep) ?? []) });
    cluster.push(clusters ? clusters.codes[i]! : 0);
  }
  const base = { episodes: followUps.length, short_followup: noTime };
  const rec = splitAtChanges(followUps);
  const events = rec.event.filter(Boolean).length;
  const exposed = rec.value.some((v) => v === 1);
  if (events === 0 || !exposed) return { ...base, fit: null, reason: events === 0 ? "no dropouts" : "no open rupture" };
  try {
    const fit = coxCounting(
      rec.start,
      rec.stop,
      rec.event,
      rec.value.map((v) => [v]),
      clusters ? rec.episode.map((k) => cluster[k]!) : undefined,
    );
    if (!fit.converged) return { ...base, fit: null, reason: "the model did not converge" };
    // With clusters, the robust SE's small-sample correction as the retention's hazard ratios use it.
    const z = normalQuantile((1 + CONFIDENCE_LEVEL) / 2, 0, 1);
    const wald =
      fit.robust_se && fit.clusters
        ? robustWald(fit.coef[0]!, fit.robust_se[0]!, fit.clusters, CONFIDENCE_LEVEL)
        : {
            lower: Math.exp(fit.coef[0]! - z * fit.se[0]!),
            upper: Math.exp(fit.coef[0]! + z * fit.se[0]!),
            p: fit.p[0]!,
          };
    return {
      ...base,
      fit: {
        records: fit.records,
        events: fit.events,
        clusters: fit.clusters,
        coef: fit.coef[0]!,
        se: fit.se[0]!,
        robust_se: fit.robust_se?.[0] ?? null,
        hr: fit.hr[0]!,
        ci_low: wald.lower,
        ci_high: wald.upper,
        p: wald.p,
        score: fit.score,
        robust_score: fit.robust_score,
      },
      reason: null,
    };
  } catch (err) {
    if (err instanceof SingularMatrixError || err instanceof RangeError)
      return { ...base, fit: null, reason: "the model could not be fitted" };
    throw err;
  }
}

function shiftSummary(course: SessionCourse, kind: "gain" | "loss"): ShiftSummary {
  const shifts = course.shifts.filter((s) => s.kind === kind);
  const magnitudes = shifts.map((s) => s.magnitude);
  const mean = magnitudes.length ? magnitudes.reduce((a, b) => a + b, 0) / magnitudes.length : null;
  const sd =
    magnitudes.length >= 2
      ? Math.sqrt(magnitudes.reduce((a, b) => a + (b - mean!) ** 2, 0) / (magnitudes.length - 1))
      : null;
  const around = AROUND.map((offset, j) => {
    const o = shifts.map((s) => s.outcome_around[j]).filter((v): v is number => v !== null && v !== undefined);
    const a = shifts.map((s) => s.alliance_around[j]).filter((v): v is number => v !== null && v !== undefined);
    const avg = (v: number[]) => (v.length ? v.reduce((x, y) => x + y, 0) / v.length : null);
    return { offset, outcome_n: o.length, outcome_mean: avg(o), alliance_n: a.length, alliance_mean: avg(a) };
  });
  return {
    kind,
    shifts: shifts.length,
    episodes: new Set(shifts.map((s) => s.ep)).size,
    reversals: shifts.filter((s) => s.reversal).length,
    magnitude_mean: mean,
    magnitude_sd: sd,
    around,
  };
}

/**
 * A fitted number to 10 significant digits: the models' sums come from DuckDB's parallel addition,
 * whose last bits vary with the order of the rows; rounded, the same data give the same report.
 * @example significant(0.12345678901234) // => 0.123456789
 */
const significant = (x: number) => (Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(10)) : x);

function roundCoefficient(c: MixedCoefficient): MixedCoefficient {
  const r = significant;
  return {
    ...c,
    estimate: r(c.estimate),
    se: r(c.se),
    df: r(c.df),
    t: r(c.t),
    p: r(c.p),
    ci_low: r(c.ci_low),
    ci_high: r(c.ci_high),
  };
}

function lagged(classes: SizeClass[]): LaggedModel {
  const n = classes.reduce((s, c) => s + c.m * c.groups, 0);
  const groups = classes.reduce((s, c) => s + c.groups, 0);
  try {
    const fit = randomInterceptBySize(classes, LAGGED_NAMES, CONFIDENCE_LEVEL);
    return {
      n,
      groups,
      within: roundCoefficient(fit.coefficients[1]!),
      between: roundCoefficient(fit.coefficients[2]!),
      coefficients: fit.coefficients.map(roundCoefficient),
      var_group: significant(fit.var_group),
      var_residual: significant(fit.var_residual),
      singular: fit.singular,
      reason: null,
    };
  } catch (err) {
    if (!(err instanceof RangeError || err instanceof SingularMatrixError)) throw err;
    return {
      n,
      groups,
      within: null,
      between: null,
      coefficients: [],
      var_group: null,
      var_residual: null,
      singular: false,
      reason: "too few session pairs to fit",
    };
  }
}
