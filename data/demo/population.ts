/**
 * Population values of the demo model: the statistics the report estimates, computed on a
 * very large study drawn from the same model with the derivation rules of docs/data-contract.md.
 * Written in plain TypeScript, apart from the DuckDB pipeline, so it is an independent check.
 */
import { sampleCorrelation } from "simple-statistics";
import { coxEfron } from "../../analyses/cox-efron.ts";
import { daysBetween } from "../../pipeline/dates.ts";
import { interceptOnlyIcc } from "../../analyses/random-intercept-model.ts";
import { fitWithinBetween } from "../../pipeline/stages/analyze-therapists.ts";
import { DEMO_PARAMETERS, generateDemoStudy, type DemoStudy } from "./model.ts";

const DROPOUT = new Set(["dropped out", "left against advice"]);

export interface PopulationValues {
  episodes: number;
  r_early_alliance_outcome_change: number;
  r_early_alliance_outcome_last: number;
  dropout_rate_by_tier: Record<string, number>;
  share_by_tier: Record<string, number>;
  /** Cox hazard ratio of dropout (Efron ties) for each tier against the low tier. */
  hazard_ratio_vs_low: Record<string, number>;
  /**
   * The within/between-therapist model at the demo's caseload (about 20 episodes per therapist), from
   * a study with 300 times as many therapists: the between slope depends on caseload, because a
   * therapist's mean early alliance is estimated from their own clients.
   */
  therapists: { episodes: number; therapists: number; icc_early_alliance: number; alliance_within: number; alliance_between: number };
}

/** Early alliance, outcome change and dropout per episode under the contract's rules. */
export function deriveReference(study: DemoStudy, cutoff: string = DEMO_PARAMETERS.cutoffDate) {
  const byClient = new Map<string, typeof study.sessions>();
  for (const s of study.sessions) {
    if (s.SessionDate > cutoff) continue;
    const list = byClient.get(s.ClientID) ?? [];
    if (list.some((t) => t.SessionDate === s.SessionDate)) continue; // a second entry of the same day
    list.push(s);
    byClient.set(s.ClientID, list);
  }
  return study.episodes.map((e) => {
    const sessions = (byClient.get(e.ClientID) ?? []).slice().sort((a, b) => (a.SessionDate < b.SessionDate ? -1 : 1));
    const alliance = sessions.map((s) => s.SRS_Total).filter((x): x is number => x !== null).slice(0, 3);
    const outcomes = sessions.map((s) => s.ORS_Total).filter((x): x is number => x !== null);
    const early = alliance.length ? alliance.reduce((a, b) => a + b, 0) / alliance.length : null;
    const closed = e.DischargeDate !== "" && e.DischargeDate <= cutoff;
    return {
      days_in_treatment: daysBetween(e.AdmitDate, closed ? e.DischargeDate : cutoff),
      early_alliance: early,
      outcome_last: outcomes.length ? outcomes[outcomes.length - 1]! : null,
      outcome_change: outcomes.length >= 2 ? outcomes[outcomes.length - 1]! - outcomes[0]! : null,
      closed,
      dropout: closed && DROPOUT.has(e.DischargeReason),
      tier: early === null ? null : early < 30 ? "low" : early < 36 ? "moderate" : "high",
    };
  });
}

export function populationValues(n = 200_000, seed = 1): PopulationValues {
  const study = generateDemoStudy(n, seed);
  const rows = deriveReference(study);
  const pairs = (key: "outcome_change" | "outcome_last") => {
    const ok = rows.filter((r) => r.early_alliance !== null && r[key] !== null);
    return sampleCorrelation(ok.map((r) => r.early_alliance!), ok.map((r) => r[key]!));
  };
  const tiers = ["low", "moderate", "high"];
  const analysed = rows.filter((r) => r.tier !== null);
  return {
    episodes: n,
    therapists: therapistValues(n, seed),
    r_early_alliance_outcome_change: pairs("outcome_change"),
    r_early_alliance_outcome_last: pairs("outcome_last"),
    dropout_rate_by_tier: Object.fromEntries(
      tiers.map((t) => {
        const closed = analysed.filter((r) => r.tier === t && r.closed);
        return [t, closed.filter((r) => r.dropout).length / closed.length];
      }),
    ),
    share_by_tier: Object.fromEntries(tiers.map((t) => [t, analysed.filter((r) => r.tier === t).length / analysed.length])),
    hazard_ratio_vs_low: Object.fromEntries(
      coxEfron(analysed.map((r) => r.days_in_treatment), analysed.map((r) => r.dropout), analysed.map((r) => [r.tier === "moderate" ? 1 : 0, r.tier === "high" ? 1 : 0])).hr.map((hr, j) => [["moderate", "high"][j]!, hr]),
    ),
  };
}

/** The demo's therapist design scaled up: 300 × the therapists for 300 × the demo's episodes. */
function therapistValues(n: number, seed: number): PopulationValues["therapists"] {
  const scale = Math.round(n / DEMO_PARAMETERS.episodes);
  const p = { ...DEMO_PARAMETERS, therapistsPerSite: DEMO_PARAMETERS.therapistsPerSite.map((t) => t * scale) };
  const study = generateDemoStudy(n, seed + 1, p);
  const derived = deriveReference(study).map((r, i) => ({ ...r, therapist: study.episodes[i]!.Clinician }));
  const withAlliance = derived.filter((r) => r.early_alliance !== null);
  const icc = interceptOnlyIcc(withAlliance.map((r) => r.early_alliance!), withAlliance.map((r) => r.therapist)).icc;
  const rows = withAlliance.filter((r) => r.outcome_change !== null);
  const fit = fitWithinBetween(rows.map((r) => r.early_alliance!), rows.map((r) => r.outcome_last! - r.outcome_change!), rows.map((r) => r.outcome_last!), rows.map((r) => r.therapist));
  return { episodes: n, therapists: fit.groups, icc_early_alliance: icc, alliance_within: fit.coefficients[1]!.estimate, alliance_between: fit.coefficients[2]!.estimate };
}
