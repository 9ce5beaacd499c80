/**
 * The exact (unsuppressed) figures of one group of episodes (the program, or one site) in one
 * reporting period. Each figure has its cohort:
 *   admitted   admitted in the period: admissions, mean early alliance, share in the lowest tier,
 *              retention at 30/60/90 days (Kaplan–Meier, censored at the cutoff, so the latest
 *              periods' later days are not yet observable)
 *   active     in treatment on at least one day of the period: clients active; of those followed
 *              over their sessions (3 or more ratings), those with a rupture in the period that
 *              was not (yet) repaired (docs/dynamics.md)
 *   discharged episodes that ended in the period (a recorded discharge, or a no-show dropout):
 *              the dropout rate among discharges, and the alliance–outcome correlation (their
 *              outcome change is complete)
 * Row-level input; internal only. shareable-quarterly.ts suppresses before anything is shared.
 */
import { mean, sampleStandardDeviation } from "simple-statistics";
import { kaplanMeier, survivalAt } from "../../analyses/kaplan-meier.ts";
import { pearson } from "../../analyses/pearson.ts";
import { addDays } from "../dates.ts";
import type { DerivedEpisode } from "../phases/handoff.ts";
import { inPeriod, type Period } from "./periods.ts";

export interface PeriodCounts {
  admissions: number;
  /** Admissions with an early-alliance rating. */
  rated: number;
  lowest_tier: number;
  discharges: number;
  dropouts: number;
  active: number;
  /** Active clients whose alliance is followed over the sessions (3 or more ratings). */
  followed: number;
  /** Of those, clients with a rupture in the period not (yet) repaired: unrepaired, or no later session to repair it. */
  unrepaired: number;
}

/**
 * The session course a quarterly batch needs of each episode (by src_row): whether it has 3 or more
 * alliance ratings, and the dates of its ruptures that were not repaired.
 */
export interface RuptureFlags {
  eligible: Set<number>;
  notRepaired: Map<number, string[]>;
}

export interface RetentionFigure {
  day: number;
  /** Admitted episodes whose day `day` lies on or before the cutoff. */
  observed: number;
  n_risk: number;
  surv: number | null;
  /** Greenwood SE of S (not of −log S). */
  se: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

export interface PeriodFigures {
  period: Period;
  counts: PeriodCounts;
  early_alliance: { mean: number; sd: number; n: number } | null;
  retention: RetentionFigure[];
  correlation: { r: number; n: number; ci_low: number; ci_high: number } | null;
}

/** The day an episode ended (discharge, or the no-show dropout day), or null while it is open. */
export function endDate(e: DerivedEpisode): string | null {
  return e.closed ? addDays(e.admit_date, e.days_in_treatment) : null;
}

export function periodFigures(
  episodes: readonly DerivedEpisode[],
  period: Period,
  lowestTier: string,
  days: readonly number[],
  cutoff: string,
  confType: "log-log" | "log",
  ruptures: RuptureFlags = { eligible: new Set(), notRepaired: new Map() },
): PeriodFigures {
  const admitted = episodes.filter((e) => inPeriod(e.admit_date, period));
  const discharged = episodes.filter((e) => inPeriod(endDate(e), period));
  const active = episodes.filter((e) => e.admit_date <= period.end && (endDate(e) ?? "9999-12-31") >= period.start);
  const rated = admitted.filter((e) => e.early_alliance !== null);
  const followed = active.filter((e) => ruptures.eligible.has(e.src_row));
  const alliance = rated.map((e) => e.early_alliance!);
  const counts: PeriodCounts = {
    admissions: admitted.length,
    rated: rated.length,
    lowest_tier: rated.filter((e) => e.tier === lowestTier).length,
    discharges: discharged.length,
    dropouts: discharged.filter((e) => e.dropout).length,
    active: active.length,
    followed: followed.length,
    unrepaired: followed.filter((e) => ruptures.notRepaired.get(e.src_row)?.some((d) => inPeriod(d, period))).length,
  };
  const km = admitted.length
    ? kaplanMeier(
        admitted.map((e) => e.days_in_treatment),
        admitted.map((e) => e.dropout),
        0.95,
        confType,
      )
    : null;
  const retention = days.map((day): RetentionFigure => {
    const observed = admitted.filter((e) => addDays(e.admit_date, day) <= cutoff).length;
    if (!km || observed === 0) return { day, observed, n_risk: 0, surv: null, se: null, ci_low: null, ci_high: null };
    const s = survivalAt(km, day);
    return { day, observed, n_risk: s.n_risk, surv: s.surv, se: s.surv * s.std_err, ci_low: s.lower, ci_high: s.upper };
  });
  const pairs = discharged.filter((e) => e.early_alliance !== null && e.outcome_change !== null);
  let correlation: PeriodFigures["correlation"] = null;
  if (pairs.length >= 4) {
    try {
      const c = pearson(
        pairs.map((e) => e.early_alliance!),
        pairs.map((e) => e.outcome_change!),
      );
      if (Number.isFinite(c.estimate) && c.ci_low !== null && c.ci_high !== null)
        correlation = { r: c.estimate, n: pairs.length, ci_low: c.ci_low, ci_high: c.ci_high };
    } catch {
      correlation = null; // a constant variable: no correlation to report
    }
  }
  return {
    period,
    counts,
    early_alliance:
      alliance.length >= 2 ? { mean: mean(alliance), sd: sampleStandardDeviation(alliance), n: alliance.length } : null,
    retention,
    correlation,
  };
}
