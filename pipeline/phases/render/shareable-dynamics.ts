/**
 * The `dynamics` block of results.json from the exact dynamics analysis: every count through the
 * cells' counter (withheld when small, or when another small one could be worked out from it), and
 * every rate, mean or estimate that rests on a withheld count withheld with it. The counts and their
 * identities are declared for the disclosure model in pipeline/privacy/disclosure.ts (dynamicsCells).
 */
import type { Study } from "../../config/study.ts";
import { apaChiSquare, apaCoefficient, apaCorrelation } from "../../report/apa.ts";
import type { DynamicsResults, LaggedRow } from "../../results.ts";
import { CONFIDENCE_LEVEL, type DynamicsAnalysis, type LaggedModel } from "../handoff.ts";
import type { Counter } from "./shareable-retention.ts";

type Count = (n: number, path: string) => number | null;

export function shareableDynamics(d: DynamicsAnalysis, study: Study, cells: Counter): DynamicsResults {
  const count: Count = (n, path) => cells.count(n, `dynamics.${path}`);
  const rated = {
    none: count(d.rated.none, "rated.none"),
    few: count(d.rated.few, "rated.few"),
    enough: count(d.rated.enough, "rated.enough"),
  };
  const ruptures = ruptureRows(d, count);
  const repair_outcome = repairOutcomeRow(d, count);
  const dropout = dropoutRow(d, count);
  const kinds = shiftRows(d, count);
  const scored = count(d.scored_episodes, "sudden.scored_episodes");
  return {
    settings: {
      rupture_sd: d.rupture_sd,
      repair_sessions: d.repair_sessions,
      pooled_sd: d.pooled_sd,
      gain_cutoff: d.gain_cutoff?.value ?? null,
      gain_cutoff_source: d.gain_cutoff?.source ?? null,
      detrend: study.dynamics.detrend,
    },
    rated,
    ruptures,
    repair_outcome,
    dropout,
    sudden: {
      scored_episodes: scored,
      kinds: d.gain_cutoff ? kinds : [],
      reason: d.gain_cutoff
        ? null
        : "no cut-off: give dynamics.sudden_gain_cutoff, or outcome.reliability for the Reliable Change Index",
    },
    alliance_by_session: d.alliance_by_session.map((row, i) => {
      const n = count(row.n, `alliance_by_session[${i}].n`);
      return {
        tier: row.tier,
        session: row.session,
        n,
        mean: n === null ? null : row.mean,
        ci_low: n === null ? null : row.ci_low,
        ci_high: n === null ? null : row.ci_high,
      };
    }),
    within: {
      forward: laggedRow(d.lagged.forward, "within.forward", count),
      reverse: laggedRow(d.lagged.reverse, "within.reverse", count),
      detrended: d.lagged.detrended ? laggedRow(d.lagged.detrended, "within.detrended", count) : null,
    },
  };
}

/** Ruptures by k and tier; a tier's share withheld with either of its counts. */
function ruptureRows(d: DynamicsAnalysis, count: Count): DynamicsResults["ruptures"] {
  return d.rupture_counts.map((r, i) => {
    const at = (k: string) => count((r as unknown as Record<string, number>)[k]!, `ruptures[${i}].${k}`);
    const [episodes, withRupture] = [at("episodes"), at("with_rupture")];
    return {
      k: r.k,
      tier: r.tier,
      episodes,
      with_rupture: withRupture,
      share: episodes === null || withRupture === null || episodes === 0 ? null : withRupture / episodes,
      ruptures: at("ruptures"),
      repaired: at("repaired"),
      unrepaired: at("unrepaired"),
      ended: at("ended"),
    };
  });
}

/** Outcome change with and without a repaired rupture; the estimates withheld with any of its counts. */
function repairOutcomeRow(d: DynamicsAnalysis, count: Count): DynamicsResults["repair_outcome"] {
  const ro = d.repair_outcome;
  const [n, nRepaired, nNone] = [
    count(ro.n, "repair_outcome.n"),
    count(ro.n_repaired, "repair_outcome.n_repaired"),
    count(ro.n_none, "repair_outcome.n_none"),
  ];
  const shown = n !== null && nRepaired !== null && nNone !== null;
  return {
    n,
    n_repaired: nRepaired,
    n_none: nNone,
    mean_repaired: shown && ro.difference ? ro.difference.mean_repaired : null,
    mean_none: shown && ro.difference ? ro.difference.mean_none : null,
    difference:
      shown && ro.difference
        ? {
            estimate: ro.difference.estimate,
            ci_low: ro.difference.ci_low,
            ci_high: ro.difference.ci_high,
            cluster_ci: ro.cluster?.difference ?? null,
          }
        : null,
    r:
      shown && ro.r
        ? {
            estimate: ro.r.estimate,
            ci_low: ro.r.ci_low,
            ci_high: ro.r.ci_high,
            p: ro.r.p,
            cluster_ci: ro.cluster?.r ?? null,
            apa: apaCorrelation({ method: "pearson", ...ro.r }, CONFIDENCE_LEVEL),
          }
        : null,
    reason: !shown
      ? "suppressed (small cell)"
      : ro.difference
        ? null
        : "fewer than 2 episodes with, or without, a repaired rupture",
  };
}

/** Dropout on an open rupture; the fit withheld with its episodes or events. */
function dropoutRow(d: DynamicsAnalysis, count: Count): DynamicsResults["dropout"] {
  const f = d.dropout.fit;
  const episodes = count(d.dropout.episodes, "dropout.episodes");
  const events = f ? count(f.events, "dropout.events") : null;
  const fitShown = f !== null && episodes !== null && events !== null;
  const chi = (t: { chisq: number; df: number; p: number } | null) =>
    t && fitShown ? { ...t, apa: apaChiSquare(t.chisq, t.df, episodes, t.p) } : null;
  return {
    episodes,
    events,
    records: fitShown ? f.records : null,
    clusters: fitShown ? f.clusters : null,
    hr: fitShown ? f.hr : null,
    ci_low: fitShown ? f.ci_low : null,
    ci_high: fitShown ? f.ci_high : null,
    coef: fitShown ? f.coef : null,
    se: fitShown ? f.se : null,
    robust_se: fitShown ? f.robust_se : null,
    p: fitShown ? f.p : null,
    score: chi(f?.score ?? null),
    robust_score: chi(f?.robust_score ?? null),
    reason: f === null ? d.dropout.reason : fitShown ? null : "suppressed (small cell)",
  };
}

/** Sudden gains and losses; magnitudes withheld with their count, the means around them with theirs. */
function shiftRows(d: DynamicsAnalysis, count: Count): DynamicsResults["sudden"]["kinds"] {
  return d.shifts.map((s, i) => {
    const at = (k: string, v: number) => count(v, `sudden.kinds[${i}].${k}`);
    const shifts = at("shifts", s.shifts);
    const people = at("episodes", s.episodes);
    return {
      kind: s.kind,
      shifts,
      episodes: people,
      reversals: at("reversals", s.reversals),
      magnitude_mean: shifts === null ? null : s.magnitude_mean,
      magnitude_sd: shifts === null ? null : s.magnitude_sd,
      around: s.around.map((a, j) => {
        const on = count(a.outcome_n, `sudden.kinds[${i}].around[${j}].outcome_n`);
        const an = count(a.alliance_n, `sudden.kinds[${i}].around[${j}].alliance_n`);
        return {
          offset: a.offset,
          outcome_n: on,
          outcome_mean: on === null ? null : a.outcome_mean,
          alliance_n: an,
          alliance_mean: an === null ? null : a.alliance_mean,
        };
      }),
    };
  });
}

function laggedRow(m: LaggedModel, path: string, count: Count): LaggedRow {
  const episodes = count(m.groups, `${path}.episodes`);
  const n = count(m.n, `${path}.n`);
  const shown = episodes !== null && n !== null && m.within !== null;
  const row = (c: NonNullable<LaggedModel["within"]>) => ({ ...c, apa: apaCoefficient(c, CONFIDENCE_LEVEL) });
  return {
    n,
    episodes,
    within: shown ? row(m.within!) : null,
    between: shown && m.between ? row(m.between) : null,
    coefficients: shown ? m.coefficients.map(row) : [],
    var_episode: shown ? m.var_group : null,
    var_residual: shown ? m.var_residual : null,
    reason: m.reason ?? (shown ? null : "suppressed (small cell)"),
  };
}
