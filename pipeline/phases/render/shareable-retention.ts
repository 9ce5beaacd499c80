/**
 * The retention block of results.json, from the exact retention analysis, with the report's
 * disclosure rules: a count the disclosure model withholds (pipeline/privacy/disclosure.ts) is null,
 * with anything computed from it; a tier of fewer than min_cell_size episodes shows no curve, median,
 * hazard ratio or incidence; and curves are cut where fewer than min_cell_size episodes remain at
 * risk, so no step of a shared curve stands for fewer people than a shared count may. (A curve's
 * steps are ratios: they give away no count without a guess at how many dropped out at each.)
 */
import { apaChiSquare, apaHazardRatio } from "../../report/apa.ts";
import type { RetentionResults } from "../../results.ts";
import { CAUSES, type RetentionAnalysis } from "../handoff.ts";

/** Days at which the number at risk is shown beneath the Kaplan–Meier chart. */
export const RISK_TABLE_STEP = 30;

/** How the block sees the mask: a count at a path, or null when withheld. */
export interface Counter {
  minCell: number;
  count(n: number, path: string): number | null;
  hidden(path: string): boolean;
}

/** Each tier's Kaplan–Meier curve, median and survival at the days, withheld where few remain at risk. */
function kaplanMeierRows(r: RetentionAnalysis, tierHidden: (tier: string) => boolean, min: number) {
  return r.tiers.map((t) => {
    const hidden = tierHidden(t.tier);
    // A quantile read off the curve where fewer than `min` remain at risk rests on a small cell.
    const thin = (v: number | null) => v !== null && (t.steps.find((s) => s.time >= v)?.n_risk ?? 0) < min;
    const withheld = [t.median.estimate, t.median.lower, t.median.upper].some(thin);
    const keep = (v: number | null) => (hidden || thin(v) ? null : v);
    return {
      tier: t.tier,
      median: { estimate: keep(t.median.estimate), ci_low: keep(t.median.lower), ci_high: keep(t.median.upper) },
      median_withheld: withheld,
      at_days: t.at_days.map((a) =>
        hidden || a.n_risk < min
          ? { day: a.day, surv: null, ci_low: null, ci_high: null }
          : { day: a.day, surv: a.surv, ci_low: a.lower, ci_high: a.upper },
      ),
      curve: hidden
        ? []
        : t.steps
            .filter((s) => s.n_risk >= min)
            .map((s) => ({ time: s.time, surv: s.surv, ci_low: s.lower, ci_high: s.upper })),
      suppressed: hidden,
    };
  });
}

/** Retention at each day by tier, each count withheld as the cells' counter says. */
function retentionAtRows(r: RetentionAnalysis, cells: Counter) {
  return r.retention.map((x, i) => {
    const at = (k: string) => `retention.retention_at[${i}].${k}`;
    const [eligible, retained, short] = [
      cells.count(x.eligible, at("eligible")),
      cells.count(x.retained, at("retained")),
      cells.count(x.short_followup, at("short_followup")),
    ];
    const hidden = eligible === null || retained === null;
    const p = hidden ? null : x.proportion;
    return {
      day: x.day,
      tier: x.tier,
      eligible,
      retained,
      rate: p?.rate ?? null,
      ci_low: p?.ci_low ?? null,
      ci_high: p?.ci_high ?? null,
      short_followup: short,
      suppressed: hidden,
    };
  });
}

/** The Cox hazard ratios against the reference tier, with their robust counterparts; withheld beside a small tier. */
function hazardRows(r: RetentionAnalysis, tierHidden: (tier: string) => boolean) {
  return (r.cox?.terms ?? []).map((h) => {
    const hidden = tierHidden(h.tier) || tierHidden(r.reference);
    return hidden
      ? {
          tier: h.tier,
          reference: r.reference,
          hr: null,
          ci_low: null,
          ci_high: null,
          p: null,
          apa: "suppressed (small cell)",
          robust: null,
          suppressed: true,
        }
      : {
          tier: h.tier,
          reference: r.reference,
          hr: h.hr,
          ci_low: h.lower,
          ci_high: h.upper,
          p: h.p,
          apa: apaHazardRatio(h.hr, h.lower, h.upper, h.p),
          robust: h.robust && {
            se: h.robust.se,
            df: h.robust.df,
            ci_low: h.robust.lower,
            ci_high: h.robust.upper,
            p: h.robust.p,
            apa: apaHazardRatio(h.hr, h.robust.lower, h.robust.upper, h.robust.p),
          },
          suppressed: false,
        };
  });
}

/** Each tier's cumulative incidence of each cause, withheld where few remain at risk. */
function incidenceRows(r: RetentionAnalysis, tierHidden: (tier: string) => boolean, min: number) {
  return r.incidence.flatMap((inc) => {
    const hidden = tierHidden(inc.tier);
    return CAUSES.map((cause) => ({
      tier: inc.tier,
      cause,
      at_days: inc.at_days.map((a) => ({ day: a.day, incidence: hidden ? null : a[cause] })),
      curve: hidden
        ? []
        : inc.times.flatMap((time, j) =>
            inc.n_risk[j]! >= min ? [{ time, incidence: inc.incidence[cause][j]! }] : [],
          ),
      suppressed: hidden,
    }));
  });
}

export function shareableRetention(r: RetentionAnalysis, cells: Counter): RetentionResults {
  const min = cells.minCell;
  const lastTime = Math.max(0, ...r.tiers.flatMap((t) => t.steps.map((s) => s.time)));
  const riskDays = Array.from({ length: Math.floor(lastTime / RISK_TABLE_STEP) + 1 }, (_, i) => i * RISK_TABLE_STEP);
  const total = r.tiers.reduce((a, t) => a + t.n, 0);
  const chi = (t: { chisq: number; df: number; p: number } | null, n: number | null) =>
    t && { chisq: t.chisq, df: t.df, p: t.p, apa: apaChiSquare(t.chisq, t.df, n, t.p) };
  const analysedN = cells.hidden("flow.episodes_analyzed") ? null : total;
  const closedN = cells.hidden("flow.analysis_sets.closed")
    ? null
    : (r.cochran_armitage?.n.reduce((a, b) => a + b, 0) ?? 0);
  const tierHidden = (tier: string) => (r.tiers.find((t) => t.tier === tier)?.n ?? 0) < min;

  return {
    conf_type: r.conf_type,
    days: r.days,
    reference: r.reference,
    no_show: r.no_show && {
      days: r.no_show.days,
      dropouts: cells.count(r.no_show.dropouts, "retention.no_show.dropouts"),
    },
    censoring: r.tiers.map((t, i) => {
      const at = (k: string) => `retention.censoring[${i}].${k}`;
      const row = {
        tier: t.tier,
        episodes: cells.count(t.n, at("episodes")),
        dropouts: cells.count(t.dropouts, at("dropouts")),
        censored_active: cells.count(t.censored_active, at("censored_active")),
        censored_completion: cells.count(t.censored_completion, at("censored_completion")),
        censored_other: cells.count(t.censored_other, at("censored_other")),
      };
      return { ...row, suppressed: Object.values(row).includes(null) };
    }),
    kaplan_meier: kaplanMeierRows(r, tierHidden, min),
    risk_table: r.tiers.flatMap((t, k) =>
      riskDays.map((day, j) => ({
        tier: t.tier,
        day,
        n_risk: cells.count(
          t.steps.find((s) => s.time >= day)?.n_risk ?? 0,
          `retention.risk_table[${k * riskDays.length + j}].n_risk`,
        ),
      })),
    ),
    retention_at: retentionAtRows(r, cells),
    logrank: chi(r.logrank, analysedN),
    logrank_trend: chi(r.logrank_trend, analysedN),
    logrank_robust: r.logrank_robust && { ...chi(r.logrank_robust, analysedN)!, clusters: r.logrank_robust.clusters },
    cochran_armitage: chi(r.cochran_armitage, closedN),
    hazard_ratios: hazardRows(r, tierHidden),
    proportional_hazards: chi(r.cox?.zph ?? null, analysedN),
    not_estimable: r.not_estimable.map((x) => ({ ...x })),
    cumulative_incidence: incidenceRows(r, tierHidden, min),
  };
}
