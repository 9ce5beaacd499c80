/**
 * results.json: every number in the report, under documented names (docs/results.md).
 * These types are the source of schema/results.schema.json. Counts withheld by small-cell
 * suppression are null, with `suppressed: true` on their row.
 * Versioning: the major version changes when a name is removed or its meaning changes (2.0.0: the
 * counts of the participant flow and the input files' rows may be null, withheld so that no small
 * count can be worked out by subtraction), the minor version when names are added (2.1.0: `clustering`,
 * the robust Cox columns and the cluster-robust log-rank test).
 */
import type { MixedCoefficient } from "../analyses/random-intercept-model.ts";
import type { RandomEffects } from "../analyses/random-effects.ts";
import type { AllianceInstrument } from "./config/types.ts";

/** The alliance section as the run used it: the config's, with name and range filled in when scored from items. */
export interface AllianceSettings extends AllianceInstrument {
  instrument: string;
  min: number;
  max: number;
  /** When the alliance was scored from items: where the scoring key comes from. */
  scoring_source?: string;
}

export const RESULTS_SCHEMA_VERSION = "2.2.0";

export interface Results {
  schema_version: string;
  study: { name: string; title: string };
  provenance: Provenance;
  settings: Settings;
  flow: Flow;
  /** Pearson and Spearman correlations of early alliance with outcome change and last outcome. */
  correlations: CorrelationRow[];
  /** Partial correlation of early alliance with the last outcome, controlling for the first outcome (added in 1.2.0). */
  partial_correlation: CorrelationRow;
  /** Power and sensitivity of the primary correlation (added in 1.2.0). */
  power: PowerResults;
  /** Seeded bootstrap 95% CIs of early alliance × outcome change (added in 1.2.0); null below 4 pairs, above `bootstrap_max_n` pairs, or a small cell. */
  bootstrap: {
    y: "outcome_change";
    b: number;
    seed: number;
    undefined_replicates: number;
    percentile: { ci_low: number; ci_high: number };
    bca: { ci_low: number; ci_high: number };
  } | null;
  /** The primary correlation is bootstrapped on at most this many pairs (config bootstrap.max_n; added in 1.5.0). */
  bootstrap_max_n: number;
  /** Early alliance × outcome change by site, pooled by random-effects meta-analysis (added in 1.2.0). */
  sites: SiteResults;
  /** This study's primary correlation beside the published meta-analytic benchmarks (added in 1.3.0). */
  benchmarks: BenchmarkResults;
  /** Early, mean and last alliance against outcome change, last and residualized outcome; reliable change (added in 1.3.0). */
  predictors: PredictorResults;
  /** Therapist nesting: REML ICCs and the within/between-therapist mixed model (added in 1.3.0). */
  therapists: TherapistResults;
  /** Cluster-aware intervals of every correlation and tier dropout rate, design effects (added in 2.1.0). */
  clustering: ClusteringResults;
  dropout_by_tier: DropoutTierRow[];
  /** The fitted OLS line of outcome change on early alliance drawn on the scatter, or null when n is too small. */
  fitted_line: { n: number; intercept: number; slope: number } | null;
  /**
   * Equal-count bins of early alliance with the mean outcome change in each: the scatter's points.
   * Only bin means and counts are shared, never one episode's values.
   */
  binned_scatter: BinnedPoint[];
  /** Time to dropout by alliance tier (added in 1.1.0). */
  retention: RetentionResults;
  /** The alliance over the sessions (added in 2.2.0); null when the run did not look at the sessions' course. */
  dynamics: DynamicsResults | null;
  suppression: { min_cell_size: number; cells_suppressed: number };
}

export interface Provenance {
  package: string;
  package_version: string;
  /** ISO 8601 time the run started. */
  run_at: string;
  node_version: string;
  duckdb_version: string;
  /** Each input file, named without its folder, with its SHA-256 and its records (null when withheld, as the flow's count is). */
  inputs: { role: "episodes" | "sessions"; file: string; sha256: string; rows: number | null }[];
  config: { file: string; sha256: string };
  /**
   * What the release check verified before the outputs were published (they are published only when
   * it passes); whether some client ids are short plain numbers, which it cannot tell from counts
   * (added in 2.0.0).
   */
  release_check: { checks: string[]; plain_number_ids_not_checked: boolean };
}

export interface Settings {
  /** As in the config (early_window when the config gives it; the window used is early_alliance_window). */
  alliance: AllianceSettings;
  /** As in the config; reliability and clinical_cutoff only when the config gives them. */
  outcome: {
    measure: string;
    min: number;
    max: number;
    higher_is_better: boolean;
    reliability?: number;
    clinical_cutoff?: number;
  };
  dropout_reasons: string[];
  completion_reasons: string[];
  cutoff_date: string;
  early_alliance_window: number;
  /** How tiers were formed: the score, the method, and for quantiles the number of groups or for a column its name. */
  tier_rule: {
    by: "early_alliance" | "mean_alliance" | "last_alliance";
    method: "cut_points" | "quantiles" | "column";
    quantiles: number | null;
    column: string | null;
  };
  /** Each tier's score range (the cut points used, computed ones included); null bounds for tiers from a column. */
  tiers: { label: string; from: number | null; below: number | null }[];
  confidence_level: number;
}

export interface ExclusionRow {
  code: string;
  reason: string;
  n: number | null;
  suppressed: boolean;
}

export interface Flow {
  /** null when withheld: a small study's total, or one that would give away a withheld count. */
  episodes_ingested: number | null;
  /** Episodes left out, by reason, in the order the rules apply. */
  excluded: ExclusionRow[];
  episodes_analyzed: number | null;
  sessions: { ingested: number | null; excluded: ExclusionRow[]; used: number | null };
  /** Sizes of the analysis sets among analysed episodes. */
  analysis_sets: {
    with_outcome_change: number | null;
    with_outcome_last: number | null;
    closed: number | null;
    active_at_cutoff: number | null;
  };
}

export type CorrelationY = "outcome_change" | "outcome_last";

export interface CorrelationRow {
  x: "early_alliance";
  y: CorrelationY;
  method: "pearson" | "spearman" | "partial";
  /** For the partial correlation: the variable held constant. */
  control?: "outcome_first";
  n: number | null;
  estimate: number | null;
  /** Fisher-z interval for Pearson; null for Spearman. */
  ci_low: number | null;
  ci_high: number | null;
  df: number | null;
  t: number | null;
  p: number | null;
  /** Holm-adjusted p across the five correlations (four in `correlations` and the partial; added in 1.2.0). */
  p_holm: number | null;
  /** APA-style text, e.g. "r(498) = .28, 95% CI [.20, .36], p < .001". */
  apa: string;
  suppressed: boolean;
}

/**
 * Intervals that allow for episodes nested in therapists (or sites; config inference.cluster). The
 * cluster-aware interval is the cluster jackknife's: Fisher z ± t(G − 1) × its leave-one-cluster-out
 * standard error; beside it the seeded cluster bootstrap's percentile and BCa intervals (resampling
 * whole clusters) when there are at most `bootstrap.max_clusters` clusters. docs/clustering.md.
 */
export interface ClusteringResults {
  unit: "therapist" | "site" | "none";
  /** Clusters among the analysed episodes; null for unit none. */
  clusters: number | null;
  /** Σm²/Σm over the clusters' episode counts m: the m of Kish's design effect 1 + (m − 1)·ICC. */
  mean_cluster_size: number | null;
  /** For unit therapist: the therapist ICC of each variable and the design effect of a mean it implies, 1 + (m − 1)·ICC. */
  icc_design_effects: {
    variable: "early_alliance" | "outcome_change" | "outcome_last";
    icc: number | null;
    design_effect: number | null;
  }[];
  /** B and seed of the cluster bootstrap (those of `bootstrap`), its cluster limit, and whether it ran. */
  bootstrap: { b: number; seed: number; max_clusters: number; run: boolean };
  correlations: ClusterCorrelationRow[];
  dropout_by_tier: ClusterTierRow[];
  /** Why there are no cluster-aware intervals (unit none, or fewer than 3 clusters); null when there are. */
  reason: string | null;
}

export interface ClusterCorrelationRow {
  /** primary: `correlations`; partial: `partial_correlation`; secondary: `predictors.correlations`; rater_agreement: `predictors.rater_agreement`. */
  family: "primary" | "partial" | "secondary" | "rater_agreement";
  x: string;
  y: string;
  method: "pearson" | "spearman" | "partial";
  /** Episodes in the correlation: the n of the row it belongs to (withheld with it). */
  n: number | null;
  /** Clusters with at least one of the correlation's episodes. */
  clusters: number;
  estimate: number | null;
  /** The cluster-aware (cluster jackknife) interval. */
  ci_low: number | null;
  ci_high: number | null;
  /** Cluster against independent-case jackknife variance of Fisher z; below 1 when the clusters do not widen the interval. */
  design_effect: number | null;
  /** n / design effect, at most n. */
  effective_n: number | null;
  /** The cluster bootstrap's intervals; null when it did not run. */
  bootstrap: {
    percentile: { ci_low: number; ci_high: number };
    bca: { ci_low: number; ci_high: number };
    undefined_replicates: number;
  } | null;
  /** e.g. "r = .27, 95% CI [.22, .33], design effect 1.42 (30 therapists)". */
  apa: string;
  /** As the row it belongs to. */
  suppressed: boolean;
}

export interface ClusterTierRow {
  tier: string;
  rate: number | null;
  /** Wilson's interval on the effective n. */
  ci_low: number | null;
  ci_high: number | null;
  design_effect: number | null;
  effective_n: number | null;
  /** As the tier's row of `dropout_by_tier`. */
  suppressed: boolean;
}

export interface DropoutTierRow {
  tier: string;
  /** Analysed episodes in the tier. */
  episodes: number | null;
  /** Closed (discharged by the cutoff): the denominator. */
  closed: number | null;
  dropouts: number | null;
  rate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  suppressed: boolean;
}

export interface BinnedPoint {
  n: number;
  early_alliance_mean: number;
  outcome_change_mean: number;
  ci_low: number;
  ci_high: number;
}

export interface RetentionResults {
  /** Kaplan–Meier interval transform: "log-log" or "log". */
  conf_type: "log-log" | "log";
  days: number[];
  /** The tier hazard ratios compare against. */
  reference: string;
  /** The no-show rule, when on: its days, and how many analysed episodes it made dropouts. */
  no_show: { days: number; dropouts: number | null } | null;
  /** How each tier's episodes enter the time-to-dropout analysis. */
  censoring: CensoringRow[];
  kaplan_meier: KmTier[];
  /** Number at risk by tier at the risk-table days; small counts withheld. */
  risk_table: { tier: string; day: number; n_risk: number | null }[];
  retention_at: RetentionRow[];
  logrank: ChiSquareTest | null;
  logrank_trend: ChiSquareTest | null;
  /** The log-rank test allowing for clusters: coxph's robust score test of the tier model (added in 2.1.0); null for unit none. */
  logrank_robust: (ChiSquareTest & { clusters: number }) | null;
  cochran_armitage: ChiSquareTest | null;
  hazard_ratios: HazardRatioRow[];
  /** Global test of proportional hazards for the Cox model by tier (R cox.zph, KM transform). */
  proportional_hazards: ChiSquareTest | null;
  /** Aalen–Johansen cumulative incidence of dropout, completion and other discharge. */
  cumulative_incidence: IncidenceRow[];
  /** Each test across tiers that could not be done (its field above is null or empty), with the plain reason (added in 2.0.0). */
  not_estimable: {
    test:
      "logrank" | "logrank_trend" | "logrank_robust" | "cochran_armitage" | "hazard_ratios" | "proportional_hazards";
    reason: string;
  }[];
}

export interface CensoringRow {
  tier: string;
  episodes: number | null;
  dropouts: number | null;
  censored_active: number | null;
  censored_completion: number | null;
  censored_other: number | null;
  suppressed: boolean;
}

export interface KmTier {
  tier: string;
  /**
   * Median days to dropout and its CI (R's rule). null when not reached, and also when reached
   * only where fewer than min_cell_size episodes were at risk (then `median_withheld` is true).
   */
  median: { estimate: number | null; ci_low: number | null; ci_high: number | null };
  median_withheld: boolean;
  at_days: { day: number; surv: number | null; ci_low: number | null; ci_high: number | null }[];
  /** The curve's steps while at least min_cell_size episodes are at risk; later steps are not shared. */
  curve: { time: number; surv: number; ci_low: number | null; ci_high: number | null }[];
  suppressed: boolean;
}

export interface RetentionRow {
  day: number;
  tier: string;
  /** Episodes admitted at least `day` days before the cutoff. */
  eligible: number | null;
  /** Of those, still in treatment or completed at day `day`. */
  retained: number | null;
  rate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  /** Left out because day `day` was not yet observed at the cutoff. */
  short_followup: number | null;
  suppressed: boolean;
}

export interface ChiSquareTest {
  chisq: number;
  df: number;
  p: number;
  /** e.g. "χ²(2, N = 574) = 35.80, p < .001" */
  apa: string;
}

export interface HazardRatioRow {
  tier: string;
  reference: string;
  hr: number | null;
  ci_low: number | null;
  ci_high: number | null;
  p: number | null;
  apa: string;
  /**
   * The cluster-robust (sandwich) se of log HR grouped by the clustering unit, as coxph(..., cluster =) reports it;
   * its CI and p use se·√(G/(G − 1)) and t on `df` = G − 1 (added in 2.1.0). null for unit none.
   */
  robust: { se: number; df: number; ci_low: number; ci_high: number; p: number; apa: string } | null;
  suppressed: boolean;
}

export interface IncidenceRow {
  tier: string;
  cause: "dropout" | "completion" | "other";
  at_days: { day: number; incidence: number | null }[];
  /** The curve while at least min_cell_size episodes are at risk. */
  curve: { time: number; incidence: number }[];
  suppressed: boolean;
}

export interface PowerResults {
  /** Pairs in the primary analysis (early alliance × outcome change, Pearson). */
  n: number | null;
  alpha: number;
  power: number;
  /** The smallest |r| this n detects with the given power, two-sided (pwr::pwr.r.test's approximation). */
  smallest_detectable_r: number | null;
  benchmark: { short: string; reference: string; r: number };
  /** Pairs needed to detect the benchmark r with the given power, rounded up. */
  pairs_needed_for_benchmark: number;
}

export interface SiteResults {
  per_site: {
    site: string;
    n: number | null;
    r: number | null;
    ci_low: number | null;
    ci_high: number | null;
    suppressed: boolean;
  }[];
  reml: PooledCorrelation | null;
  dl: PooledCorrelation | null;
}

/** A random-effects pooled correlation (Fisher z; metafor::rma), back-transformed to r. */
export interface PooledCorrelation {
  method: "REML" | "DL";
  k: number;
  r: number;
  ci_low: number;
  ci_high: number;
  pi_low: number;
  pi_high: number;
  tau2: number;
  i2: number;
  q: number;
  q_df: number;
  q_p: number;
}

/**
 * A random-effects fit as its results.json record: the back-transformed estimate and intervals.
 * Example: pooledCorrelation(randomEffects([0.2, 0.3], [50, 80], "REML")).k → 2
 */
export function pooledCorrelation(m: RandomEffects): PooledCorrelation {
  return {
    method: m.method,
    k: m.k,
    r: m.r,
    ci_low: m.r_ci[0],
    ci_high: m.r_ci[1],
    pi_low: m.r_pi[0],
    pi_high: m.r_pi[1],
    tau2: m.tau2,
    i2: m.i2,
    q: m.q,
    q_df: m.q_df,
    q_p: m.q_p,
  };
}

/** How much lies between therapists, and whose alliance predicts outcome (lme4 REML, lmerTest Satterthwaite). */
export interface TherapistResults {
  /** ICC of each variable by therapist: σ²_therapist / (σ²_therapist + σ²_residual) of lmer(v ~ 1 + (1 | therapist)). */
  icc: TherapistIccRow[];
  /** outcome_last ~ alliance_within + alliance_between + outcome_first + (1 | therapist); null when not estimable or suppressed. */
  model: WithinBetweenResults | null;
  /** Why the model is null. */
  reason: string | null;
}

export interface TherapistIccRow {
  variable: "early_alliance" | "outcome_change" | "outcome_last";
  n: number | null;
  therapists: number;
  icc: number | null;
  var_therapist: number | null;
  var_residual: number | null;
  /** σ²_therapist estimated at 0 (lme4's boundary fit). */
  singular: boolean;
  suppressed: boolean;
}

export interface WithinBetweenResults {
  n: number;
  therapists: number;
  /** Terms "(Intercept)", "alliance_within" (early alliance − therapist mean), "alliance_between" (therapist mean), "outcome_first". */
  coefficients: MixedCoefficientRow[];
  /** alliance_between − alliance_within: does the between-therapist slope differ from the within one? */
  contextual: MixedCoefficientRow;
  var_therapist: number;
  var_residual: number;
  reml_criterion: number;
  singular: boolean;
}

/** A coefficient of the mixed model (analyses/random-intercept-model.ts) with its APA text. */
export interface MixedCoefficientRow extends MixedCoefficient {
  /** e.g. "b = 0.61, SE = 0.08, t(509.9) = 7.72, p < .001, 95% CI [0.45, 0.76]" */
  apa: string;
}

export interface BenchmarkResults {
  /** Early alliance × outcome change (Pearson), or null when suppressed or not estimable. */
  this_study: { r: number; ci_low: number; ci_high: number; n: number } | null;
  /** From data/benchmarks/alliance-outcome.json; each with where its numbers were checked. */
  published: {
    id: string;
    short: string;
    reference: string;
    r: number;
    ci_low: number | null;
    ci_high: number | null;
    k: number;
    n: string | null;
    checked: string;
  }[];
}

export interface PredictorResults {
  /** Rows on more episodes than this have no bootstrap CIs (config bootstrap.secondary_max_n). */
  bootstrap_max_n: number;
  /** Whose rating the alliance column is (config alliance.rater). */
  alliance_rater: "client" | "therapist" | "observer";
  /** Subscales and other raters' scores analysed beside the total, in config order; empty when the config lists none. */
  components: { key: string; kind: "subscale" | "rater"; name: string; label: string }[];
  /**
   * Pearson r of each predictor with each outcome: early, mean and last alliance, then the early score
   * of each component, each against the three outcomes. Holm across all rows (a secondary, exploratory family).
   */
  correlations: PredictorCorrelationRow[];
  /** Pearson r of each other rater's early alliance with the alliance column's, on episodes with both. */
  rater_agreement: {
    rater: string;
    n: number | null;
    estimate: number | null;
    ci_low: number | null;
    ci_high: number | null;
    df: number | null;
    p: number | null;
    apa: string;
  }[];
  /** lm(outcome_last ~ outcome_first) whose residuals are the residualized change; null when not fitted or a small cell. */
  residualized_fit: { n: number; intercept: number; slope: number } | null;
  /** Jacobson–Truax categories; null when the config gives no outcome reliability. */
  reliable_change: ReliableChangeResults | null;
}

export interface PredictorCorrelationRow {
  /** early_alliance, mean_alliance, last_alliance, or early_<component key> (e.g. early_subscale_bond, early_rater_therapist). */
  x: string;
  y: "outcome_change" | "outcome_last" | "outcome_residualized";
  n: number | null;
  estimate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  df: number | null;
  p: number | null;
  p_holm: number | null;
  /** Seeded bootstrap CIs (B and seed as in `bootstrap`); null above `predictors.bootstrap_max_n` episodes. */
  boot_percentile: { ci_low: number; ci_high: number } | null;
  boot_bca: { ci_low: number; ci_high: number } | null;
  apa: string;
  suppressed: boolean;
}

export interface ReliableChangeResults {
  reliability: number;
  clinical_cutoff: number | null;
  /** SD of the first outcome score (n − 1) over episodes with a change score. */
  sd_pre: number;
  /** Smallest change in points that counts as reliable: 1.96·√2·SD·√(1 − reliability). */
  threshold_points: number;
  /** Counts withheld below the minimum cell size are null. */
  rows: {
    tier: string | null;
    n: number | null;
    recovered: number | null;
    improved: number | null;
    unchanged: number | null;
    deteriorated: number | null;
  }[];
}

/**
 * The alliance over the sessions (added in 2.2.0; docs/dynamics.md): ruptures and repairs, dropout
 * on an unrepaired rupture, sudden gains and losses, the mean alliance by session and the lagged
 * within-client models. Counts below the minimum cell size are null, and what rests on them.
 */
export interface DynamicsResults {
  settings: {
    /** k of the rupture rule that the outcome and dropout analyses use (dynamics.rupture_sd). */
    rupture_sd: number;
    /** R: rated sessions within which a return to the earlier level repairs a rupture. */
    repair_sessions: number;
    /** The pooled within-episode SD of the alliance; an episode's s is the larger of it and its own SD. */
    pooled_sd: number | null;
    /** The sudden-gain cut-off in outcome points, and its source; null when none could be set. */
    gain_cutoff: number | null;
    gain_cutoff_source: "config" | "reliable_change" | null;
    detrend: boolean;
  };
  /** Analysed episodes by their alliance ratings: none, 1–2 (left out of the rupture analyses), 3 or more. */
  rated: { none: number | null; few: number | null; enough: number | null };
  /** Ruptures at k = 1 and k = 2 (and the config's k), by tier. */
  ruptures: RuptureRow[];
  /** Outcome change with at least one repaired rupture against none (the config's k). */
  repair_outcome: {
    n: number | null;
    n_repaired: number | null;
    n_none: number | null;
    mean_repaired: number | null;
    mean_none: number | null;
    /** Difference in mean outcome change (repaired − none), Welch's interval, and its cluster jackknife interval. */
    difference: { estimate: number; ci_low: number; ci_high: number; cluster_ci: [number, number] | null } | null;
    /** Point-biserial r, Fisher-z interval, and its cluster jackknife interval. */
    r: {
      estimate: number;
      ci_low: number | null;
      ci_high: number | null;
      p: number;
      cluster_ci: [number, number] | null;
      apa: string;
    } | null;
    reason: string | null;
  };
  /** Dropout on an open (unrepaired) rupture, a time-dependent covariate: Cox, counting process, Efron ties. */
  dropout: {
    episodes: number | null;
    events: number | null;
    records: number | null;
    clusters: number | null;
    hr: number | null;
    ci_low: number | null;
    ci_high: number | null;
    coef: number | null;
    se: number | null;
    robust_se: number | null;
    p: number | null;
    score: ChiSquareTest | null;
    robust_score: ChiSquareTest | null;
    reason: string | null;
  };
  sudden: {
    /** Episodes with 4 or more outcome scores. */
    scored_episodes: number | null;
    kinds: ShiftRow[];
    reason: string | null;
  };
  /** The mean alliance at each session number (1 … 20) by tier, with a t interval. */
  alliance_by_session: {
    tier: string;
    session: number;
    n: number | null;
    mean: number | null;
    ci_low: number | null;
    ci_high: number | null;
  }[];
  within: { forward: LaggedRow; reverse: LaggedRow; detrended: LaggedRow | null };
}

export interface RuptureRow {
  k: number;
  tier: string | null;
  episodes: number | null;
  with_rupture: number | null;
  /** with_rupture / episodes. */
  share: number | null;
  ruptures: number | null;
  repaired: number | null;
  unrepaired: number | null;
  /** Ended before a repair could be seen. */
  ended: number | null;
}

export interface ShiftRow {
  kind: "gain" | "loss";
  shifts: number | null;
  episodes: number | null;
  reversals: number | null;
  magnitude_mean: number | null;
  magnitude_sd: number | null;
  /** The mean outcome and alliance at sessions n−2 … n+3 around the shift. */
  around: {
    offset: number;
    outcome_n: number | null;
    outcome_mean: number | null;
    alliance_n: number | null;
    alliance_mean: number | null;
  }[];
}

export interface LaggedRow {
  /** Session pairs and episodes in the model. */
  n: number | null;
  episodes: number | null;
  within: MixedCoefficientRow | null;
  between: MixedCoefficientRow | null;
  /** Every term: (Intercept), within, between, now (the outcome, or alliance, at t), session. */
  coefficients: MixedCoefficientRow[];
  var_episode: number | null;
  var_residual: number | null;
  reason: string | null;
}
