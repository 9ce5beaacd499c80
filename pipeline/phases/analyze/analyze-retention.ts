/**
 * Stage 4b, retention: time to dropout by alliance tier, with censoring done right. Pure.
 *   time  = days_in_treatment (admission to discharge, or to the cutoff while active)
 *   event = dropout (a closed episode with a dropout reason)
 * Censored: episodes still active at the cutoff, and discharges for any other reason
 * (completion, transfer, …), which end the time at risk of dropout without being dropout.
 * Competing risks: dropout, completion and other discharges as competing events (Aalen–Johansen).
 * Retention at day d: among episodes admitted at least d days before the cutoff (so day d was
 * observed), the share still in treatment or discharged as completed by day d.
 */
import { kaplanMeier, survivalAt, type KmStep } from "../../../analyses/kaplan-meier.ts";
import { lowerBound } from "../../../analyses/lower-bound.ts";
import { survivalQuantile, type SurvivalQuantile } from "../../../analyses/survival-quantile.ts";
import { logRank, logRankTrend, type LogRank } from "../../../analyses/log-rank.ts";
import { cochranArmitage } from "../../../analyses/cochran-armitage.ts";
import { coxEfron } from "../../../analyses/cox-efron.ts";
import { coxRobust, coxRobustScore, robustWald } from "../../../analyses/cox-robust.ts";
import { chiSquareTail } from "../../../analyses/chi-square-tail.ts";
import { MIN_CLUSTERS } from "../../../analyses/cluster-bootstrap.ts";
import { SingularMatrixError } from "../../../analyses/matrix-errors.ts";
import { coxZph } from "../../../analyses/cox-zph.ts";
import { cumulativeIncidence } from "../../../analyses/cumulative-incidence.ts";
import { wilson, type Proportion } from "../../../analyses/wilson.ts";
import type { Study } from "../../config/study.ts";
import { daysBetween } from "../../dates.ts";
import { groupCodes } from "../../../analyses/renumber.ts";
import type { DerivedEpisode } from "../handoff.ts";
import {
  CAUSES,
  type Cause,
  type RetentionTest,
  type TierSurvival,
  type RetentionAt,
  type CoxTerm,
  type TierIncidence,
  type RetentionAnalysis,
} from "../handoff.ts";
export { CAUSES };
export type { Cause, RetentionTest, TierSurvival, RetentionAt, CoxTerm, TierIncidence, RetentionAnalysis };

/** The fields of an episode that analyzeRetention reads. */
export type RetentionEpisode = Pick<
  DerivedEpisode,
  "tier" | "days_in_treatment" | "dropout" | "closed" | "discharge_reason" | "admit_date" | "dropout_by"
> &
  /** The clustering unit's fields (inference.cluster); without them the robust Cox and log-rank are not given. */
  Partial<Pick<DerivedEpisode, "therapist_id" | "site">>;

/** The analysed episodes by tier, each one's cause of ending and the days it was observed before the cutoff. */
function retentionData(episodes: readonly RetentionEpisode[], study: Study) {
  const analysed = episodes.filter((e) => e.tier !== null);
  const labels = study.tiers.labels;
  const days = study.retention.days;
  const completion = new Set(study.completionReasons);
  const causeOf = (e: RetentionEpisode): Cause | null =>
    !e.closed ? null : e.dropout ? "dropout" : completion.has(e.discharge_reason ?? "") ? "completion" : "other";

  // Each episode's place in its tier's list, its cause of ending and the days observed before the
  // cutoff, each found once (the tables below read them per tier and per day).
  const rowsOf = new Map(labels.map((tier) => [tier, [] as number[]]));
  analysed.forEach((e, i) => rowsOf.get(e.tier!)?.push(i));
  const byTier = new Map(labels.map((tier) => [tier, rowsOf.get(tier)!.map((i) => analysed[i]!)]));
  const inTier = (tier: string) => byTier.get(tier)!;
  const cause = analysed.map(causeOf);
  // Days each episode was observed before the cutoff: whether day d of its window is known.
  // (Admission dates repeat, so each is counted once.)
  const daysToCutoff = new Map<string, number>();
  const observedDays = Float64Array.from(analysed, (e) => {
    let d = daysToCutoff.get(e.admit_date);
    if (d === undefined) daysToCutoff.set(e.admit_date, (d = daysBetween(e.admit_date, study.cutoffDate)));
    return d;
  });

  return { analysed, labels, days, rowsOf, inTier, cause, observedDays };
}

type RetentionData = ReturnType<typeof retentionData>;

/** Each tier's Kaplan–Meier curve, median, survival at the days, and how its episodes ended. */
function tierSurvivals({ labels, days, rowsOf, inTier, cause }: RetentionData, study: Study): TierSurvival[] {
  const tiers = labels.map((tier): TierSurvival => {
    const eps = inTier(tier);
    const rows = rowsOf.get(tier)!;
    const km = kaplanMeier(
      eps.map((e) => e.days_in_treatment),
      eps.map((e) => e.dropout),
      0.95,
      study.retention.confType,
    );
    return {
      tier,
      n: eps.length,
      dropouts: km.events,
      censored_active: eps.filter((e) => !e.closed).length,
      censored_completion: rows.filter((i) => cause[i] === "completion").length,
      censored_other: rows.filter((i) => cause[i] === "other").length,
      steps: km.steps,
      median: survivalQuantile(km),
      at_days: days.map((d) => ({ day: d, ...survivalAt(km, d) })),
    };
  });

  return tiers;
}

/** Retention at each day by tier, among the episodes observed that long (completion counts as retained). */
function retentionAtDays({ analysed, labels, days, rowsOf, cause, observedDays }: RetentionData): RetentionAt[] {
  return days.flatMap((day) =>
    labels.map((tier): RetentionAt => {
      const rows = rowsOf.get(tier)!;
      let eligible = 0;
      let retained = 0;
      for (const i of rows) {
        if (observedDays[i]! < day) continue;
        eligible++;
        if (analysed[i]!.days_in_treatment >= day || cause[i] === "completion") retained++;
      }
      return {
        day,
        tier,
        eligible,
        retained,
        short_followup: rows.length - eligible,
        proportion: eligible ? wilson(retained, eligible) : null,
      };
    }),
  );
}

/**
 * The tests across tiers (log-rank and its trend, Cochran–Armitage, the Cox model and its robust
 * score test, proportional hazards), each with the plain reason when it cannot be done, in that order.
 */
function testsAcrossTiers({ analysed, labels, inTier }: RetentionData, tiers: TierSurvival[], study: Study) {
  const present = labels.filter((t) => inTier(t).length > 0);
  const time = analysed.map((e) => e.days_in_treatment);
  const event = analysed.map((e) => e.dropout);
  const group = analysed.map((e) => e.tier!);
  const notEstimable: RetentionAnalysis["not_estimable"] = [];
  const because = (test: RetentionTest, reason: string) => {
    notEstimable.push({ test, reason });
    return null;
  };
  const dropouts = tiers.reduce((a, t) => a + t.dropouts, 0);
  // Why no test across tiers can be done at all, if none can.
  const none =
    present.length < 2
      ? `only ${present.length === 0 ? "no tier has" : `the ${present[0]} tier has`} episodes, so there are no tiers to compare`
      : dropouts === 0
        ? "no analysed episode dropped out, so there is no time to dropout to compare"
        : null;
  const full = present.length >= 2 ? logRank(time, event, group, present) : null;
  const lr =
    none !== null
      ? because("logrank", none)
      : full!.chisq === null
        ? because("logrank", "fewer than two tiers had episodes at risk when dropouts occurred")
        : full;
  const scores = present.map((t) => labels.indexOf(t) + 1);
  const trend =
    none !== null
      ? because("logrank_trend", none)
      : ((full && logRankTrend(full, scores)) ?? because("logrank_trend", "the trend's variance is zero"));
  const closed = present.map((t) => inTier(t).filter((e) => e.closed));
  const caX = closed.map((c) => c.filter((e) => e.dropout).length);
  const caN = closed.map((c) => c.length);
  const caWhyNot =
    present.length < 2
      ? "fewer than two tiers have episodes"
      : caN.some((n) => n === 0)
        ? `no episode of the ${present[caN.findIndex((n) => n === 0)]} tier was discharged by the cutoff`
        : !caX.some((x, i) => x > 0 && x < caN[i]!)
          ? dropouts === 0
            ? "no closed episode was a dropout"
            : "every closed episode was a dropout"
          : null;
  const cochran =
    caWhyNot === null
      ? { x: caX, n: caN, ...cochranArmitage(caX, caN, scores) }
      : because("cochran_armitage", caWhyNot);
  const clusters = clusterKeys(analysed, study);
  const design = tierDesign(analysed);
  const cox =
    none !== null
      ? because("hazard_ratios", none)
      : coxByTier(design, tiers, study.tiers.reference, time, event, clusters, because);
  const robustLogRank =
    clusters === null
      ? null
      : none !== null
        ? because("logrank_robust", none)
        : logRankRobust(design, present, time, event, clusters, because);
  if (cox && cox.zph === null) because("proportional_hazards", "its information matrix is singular");
  if (!cox) because("proportional_hazards", "there are no hazard ratios to test");

  return { lr, trend, cochran, cox, robustLogRank, notEstimable };
}

export function analyzeRetention(episodes: readonly RetentionEpisode[], study: Study): RetentionAnalysis {
  const data = retentionData(episodes, study);
  const { analysed, labels, days, rowsOf, inTier, cause } = data;
  const tiers = tierSurvivals(data, study);
  const retention = retentionAtDays(data);
  const { lr, trend, cochran, cox, robustLogRank, notEstimable } = testsAcrossTiers(data, tiers, study);
  return {
    conf_type: study.retention.confType,
    days,
    reference: study.tiers.reference,
    no_show:
      study.noShowDays === null
        ? null
        : { days: study.noShowDays, dropouts: analysed.filter((e) => e.dropout_by === "no_show").length },
    tiers,
    retention,
    logrank: lr && { chisq: lr.chisq!, df: lr.df!, p: lr.p!, observed: lr.observed, expected: lr.expected },
    logrank_trend: trend,
    logrank_robust: robustLogRank,
    cochran_armitage: cochran,
    cox,
    incidence: labels.map((tier) =>
      tierIncidence(
        tier,
        inTier(tier),
        rowsOf.get(tier)!.map((i) => cause[i]!),
        days,
      ),
    ),
    not_estimable: notEstimable,
  };
}

/** Hazard ratios of each tier against the reference (Efron ties), and their proportional-hazards test; null with a reason when not estimable. */
function coxByTier(
  design: TierDesign,
  tiers: TierSurvival[],
  reference: string,
  time: number[],
  event: boolean[],
  clusters: Int32Array | null,
  because: (test: RetentionTest, reason: string) => null,
): RetentionAnalysis["cox"] {
  const others = tiers.map((t) => t.tier).filter((t) => t !== reference);
  const eventsIn = (t: string) => tiers.find((x) => x.tier === t)!.dropouts;
  const missing = [reference, ...others].filter((t) => eventsIn(t) === 0);
  if (missing.length)
    return because(
      "hazard_ratios",
      `no episode of the ${missing.join(" or the ")} tier${missing.length > 1 ? "s" : ""} dropped out, so a hazard ratio against it is 0 or infinite`,
    );
  const x = design(others);
  let fit: ReturnType<typeof coxEfron>;
  try {
    fit = coxEfron(time, event, x);
  } catch (e) {
    if (e instanceof SingularMatrixError) return because("hazard_ratios", "the model's information matrix is singular");
    throw e;
  }
  // As coxph's warning that a coefficient may be infinite: the likelihood keeps rising along it.
  if (
    !fit.converged ||
    fit.se.some((s) => !Number.isFinite(s)) ||
    fit.coef.some((b) => Math.abs(b) > MAX_LOG_HAZARD_RATIO)
  ) {
    return because(
      "hazard_ratios",
      "the model did not converge to finite hazard ratios (a tier's dropouts all come before, or after, every other tier's)",
    );
  }
  let zph: { chisq: number; df: number; p: number } | null;
  try {
    zph = coxZph(time, event, x, fit.coef);
  } catch (e) {
    if (!(e instanceof SingularMatrixError)) throw e;
    zph = null;
  }
  const robust = clusters && coxRobust(time, event, x, clusters, fit.coef, fit.variance);
  const robustTerm = (j: number) => {
    const se = robust?.se[j];
    if (!robust || se === undefined || !Number.isFinite(se)) return null;
    return { se, ...robustWald(fit.coef[j]!, se, robust.clusters) };
  };
  return {
    terms: others.map((tier, j) => ({
      tier,
      coef: fit.coef[j]!,
      se: fit.se[j]!,
      hr: fit.hr[j]!,
      lower: fit.lower[j]!,
      upper: fit.upper[j]!,
      p: fit.p[j]!,
      robust: robustTerm(j),
    })),
    loglik: fit.loglik,
    zph,
  };
}

/**
 * Each analysed episode's cluster (inference.cluster), or null when the unit is none, an episode lacks
 * the field, or there are fewer than MIN_CLUSTERS clusters (too few for a sandwich variance).
 */
function clusterKeys(analysed: RetentionEpisode[], study: Study): Int32Array | null {
  const unit = study.inference.cluster;
  if (unit === "none") return null;
  const keys = analysed.map((e) => (unit === "therapist" ? e.therapist_id : e.site));
  if (keys.some((k) => k === undefined)) return null;
  // Numbered once here: the robust Cox fit and score test then read numbers, not a million names each.
  const { codes, count } = groupCodes(keys as string[]);
  return count >= MIN_CLUSTERS ? codes : null;
}

/** The robust score test of the tier model at β = 0: the log-rank test that allows for clusters. */
function logRankRobust(
  design: TierDesign,
  present: string[],
  time: number[],
  event: boolean[],
  clusters: Int32Array,
  because: (test: RetentionTest, reason: string) => null,
): RetentionAnalysis["logrank_robust"] {
  const others = present.slice(1);
  const x = design(others);
  try {
    const { chisq, df, clusters: g } = coxRobustScore(time, event, x, clusters);
    return { chisq, df, p: chiSquareTail(chisq, df), clusters: g };
  } catch (e) {
    if (e instanceof SingularMatrixError)
      return because("logrank_robust", "the clusters' score sums are collinear (too few clusters with dropouts)");
    throw e;
  }
}

/** The tier model's design for the tiers given: one indicator column per tier, a row per episode. */
type TierDesign = (tiers: string[]) => number[][];

/**
 * The designs of one analysis's episodes. The hazard ratios and the robust log-rank test usually
 * take the same tiers: they then share one design, and the Cox fit's sorted records (riskData keeps
 * them per design array) serve both.
 */
function tierDesign(analysed: readonly RetentionEpisode[]): TierDesign {
  const made = new Map<string, number[][]>();
  return (tiers) => {
    const key = tiers.join("\u0000");
    let x = made.get(key);
    if (!x) made.set(key, (x = analysed.map((e) => tiers.map((t) => (e.tier === t ? 1 : 0)))));
    return x;
  };
}

/** |log HR| beyond which a fitted coefficient is taken as infinite (HR above 3 million). */
const MAX_LOG_HAZARD_RATIO = 15;

/** The cumulative incidence of each cause in one tier; `causes` are its episodes' causes of ending (null while active). */
function tierIncidence(tier: string, eps: RetentionEpisode[], causes: (Cause | null)[], days: number[]): TierIncidence {
  const time = eps.map((e) => e.days_in_treatment);
  const cif = cumulativeIncidence(time, causes, CAUSES);
  const sorted = Float64Array.from(time).sort();
  const nRisk = cif.times.map((t) => sorted.length - lowerBound(sorted, t));
  const incidence = Object.fromEntries(CAUSES.map((c, k) => [c, cif.incidence[k]!])) as Record<Cause, number[]>;
  return {
    tier,
    times: cif.times,
    incidence,
    n_risk: nRisk,
    at_days: days.map((day) => ({ day, ...(cif.at(day) as Record<Cause, number>) })),
  };
}
