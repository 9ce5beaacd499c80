/**
 * Population values of the demo model: the statistics the report estimates, computed on a
 * very large study drawn from the same model with the derivation rules of docs/data-contract.md.
 * Written in plain TypeScript, apart from the DuckDB pipeline, so it is an independent check.
 */
import { sampleCorrelation } from "simple-statistics";
import { coxEfron } from "../../analyses/cox-efron.ts";
import { daysBetween } from "../../pipeline/dates.ts";
import { interceptOnlyIcc } from "../../analyses/random-intercept-model.ts";
import { fitWithinBetween } from "../../pipeline/phases/analyze/analyze-therapists.ts";
import { DEMO_PARAMETERS, generateDemoStudy, type DemoStudy } from "./model.ts";

const DROPOUT = new Set(["dropped out", "left against advice"]);

/** The demo's subscale (SRS item) and therapist-rated columns, as study.yaml names them. */
export const COMPONENTS = {
  bond: "SRS_Relationship",
  goals: "SRS_Goals",
  task: "SRS_Approach",
  overall: "SRS_Overall",
  therapist: "SRS_Therapist",
} as const;
export type Component = keyof typeof COMPONENTS;

export interface PopulationValues {
  episodes: number;
  r_early_alliance_outcome_change: number;
  r_early_alliance_outcome_last: number;
  /** r of each component's early score (SRS items; therapist-rated alliance) with outcome change. */
  r_component_outcome_change: Record<Component, number>;
  /** r of therapist-rated with client-rated early alliance. */
  r_therapist_client_agreement: number;
  dropout_rate_by_tier: Record<string, number>;
  share_by_tier: Record<string, number>;
  /** Cox hazard ratio of dropout (Efron ties) for each tier against the low tier. */
  hazard_ratio_vs_low: Record<string, number>;
  /**
   * The within/between-therapist model at the demo's caseload (about 20 episodes per therapist), from
   * a study with 300 times as many therapists: the between slope depends on caseload, because a
   * therapist's mean early alliance is estimated from their own clients.
   */
  therapists: {
    episodes: number;
    therapists: number;
    icc_early_alliance: number;
    alliance_within: number;
    alliance_between: number;
  };
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
    const firstThree = (column: keyof (typeof sessions)[number]) =>
      sessions
        .map((s) => s[column] as number | null)
        .filter((x): x is number => x !== null)
        .slice(0, 3);
    const mean = (xs: number[]) =>
      xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1e10) / 1e10 : null; // as derive's MEAN_DIGITS
    const alliance = firstThree("SRS_Total");
    const outcomes = sessions.map((s) => s.ORS_Total).filter((x): x is number => x !== null);
    const early = mean(alliance);
    const closed = e.DischargeDate !== "" && e.DischargeDate <= cutoff;
    return {
      days_in_treatment: daysBetween(e.AdmitDate, closed ? e.DischargeDate : cutoff),
      early_alliance: early,
      early_components: Object.fromEntries(
        Object.entries(COMPONENTS).map(([name, column]) => [name, mean(firstThree(column))]),
      ) as Record<Component, number | null>,
      outcome_last: outcomes.length ? outcomes[outcomes.length - 1]! : null,
      outcome_change: outcomes.length >= 2 ? outcomes[outcomes.length - 1]! - outcomes[0]! : null,
      closed,
      dropout: closed && DROPOUT.has(e.DischargeReason),
      tier: early === null ? null : early < 30 ? "low" : early < 36 ? "moderate" : "high",
    };
  });
}

/**
 * Every value from one large study with 300 × the demo's therapists and episodes (about 20 episodes
 * per therapist, as in the demo), so that no value depends on the effects of 30 particular therapists.
 */
export function populationValues(n = 600_000, seed = 1): PopulationValues {
  const scale = Math.round(n / DEMO_PARAMETERS.episodes);
  const p = { ...DEMO_PARAMETERS, therapistsPerSite: DEMO_PARAMETERS.therapistsPerSite.map((t) => t * scale) };
  const study = generateDemoStudy(n, seed, p);
  const rows = deriveReference(study).map((r, i) => ({ ...r, therapist: study.episodes[i]!.Clinician }));
  const pairs = (key: "outcome_change" | "outcome_last") => {
    const ok = rows.filter((r) => r.early_alliance !== null && r[key] !== null);
    return sampleCorrelation(
      ok.map((r) => r.early_alliance!),
      ok.map((r) => r[key]!),
    );
  };
  const component = (name: Component, against: (r: (typeof rows)[number]) => number | null) => {
    const ok = rows.filter((r) => r.early_components[name] !== null && against(r) !== null);
    return sampleCorrelation(
      ok.map((r) => r.early_components[name]!),
      ok.map((r) => against(r)!),
    );
  };
  const tiers = ["low", "moderate", "high"];
  const analysed = rows.filter((r) => r.tier !== null);
  return {
    episodes: n,
    therapists: therapistValues(rows),
    r_early_alliance_outcome_change: pairs("outcome_change"),
    r_early_alliance_outcome_last: pairs("outcome_last"),
    r_component_outcome_change: Object.fromEntries(
      (Object.keys(COMPONENTS) as Component[]).map((c) => [c, component(c, (r) => r.outcome_change)]),
    ) as Record<Component, number>,
    r_therapist_client_agreement: component("therapist", (r) => r.early_alliance),
    dropout_rate_by_tier: Object.fromEntries(
      tiers.map((t) => {
        const closed = analysed.filter((r) => r.tier === t && r.closed);
        return [t, closed.filter((r) => r.dropout).length / closed.length];
      }),
    ),
    share_by_tier: Object.fromEntries(
      tiers.map((t) => [t, analysed.filter((r) => r.tier === t).length / analysed.length]),
    ),
    hazard_ratio_vs_low: Object.fromEntries(
      coxEfron(
        analysed.map((r) => r.days_in_treatment),
        analysed.map((r) => r.dropout),
        analysed.map((r) => [r.tier === "moderate" ? 1 : 0, r.tier === "high" ? 1 : 0]),
      ).hr.map((hr, j) => [["moderate", "high"][j]!, hr]),
    ),
  };
}

/** The ICC and the within/between-therapist model on the scaled-up study (the between slope depends on caseload). */
function therapistValues(
  derived: (ReturnType<typeof deriveReference>[number] & { therapist: string })[],
): PopulationValues["therapists"] {
  const withAlliance = derived.filter((r) => r.early_alliance !== null);
  const icc = interceptOnlyIcc(
    withAlliance.map((r) => r.early_alliance!),
    withAlliance.map((r) => r.therapist),
  ).icc;
  const rows = withAlliance.filter((r) => r.outcome_change !== null);
  const fit = fitWithinBetween(
    rows.map((r) => r.early_alliance!),
    rows.map((r) => r.outcome_last! - r.outcome_change!),
    rows.map((r) => r.outcome_last!),
    rows.map((r) => r.therapist),
  );
  return {
    episodes: derived.length,
    therapists: fit.groups,
    icc_early_alliance: icc,
    alliance_within: fit.coefficients[1]!.estimate,
    alliance_between: fit.coefficients[2]!.estimate,
  };
}
