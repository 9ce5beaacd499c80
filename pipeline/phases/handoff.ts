/**
 * The typed data that passes between the phases in JavaScript (tables.ts declares what passes in
 * DuckDB), declared here once: each phase makes what it hands on to these types, and another phase
 * reaches it only through this module, never by importing that phase's modules. This module imports
 * nothing from any phase (test/architecture.test.ts checks that, and that no import cycle exists).
 *
 *   read ──ReadOutput──▶ validate ──ValidationOutput──▶ derive ──EpisodeColumns──▶ analyze
 *   analyze ──Analysis, RetentionAnalysis──▶ render
 */
import type { InputFormat } from "../config/types.ts";
import type { ClusterUnit, Study } from "../config/study.ts";
import type { TableRole } from "../config/columns.ts";
import type { Problem } from "../problem.ts";
import type { CorrelationY } from "../results.ts";
import type { Bin } from "../../analyses/binned-means.ts";
import type { BootstrapInterval } from "../../analyses/bootstrap-correlation.ts";
import type { CorrelationEstimate } from "../../analyses/correlation-result.ts";
import type { KmStep } from "../../analyses/kaplan-meier.ts";
import type { LogRank } from "../../analyses/log-rank.ts";
import type { Proportion } from "../../analyses/wilson.ts";
import type { RandomEffects } from "../../analyses/random-effects.ts";
import type { SurvivalQuantile } from "../../analyses/survival-quantile.ts";
import type { ChangeCategory } from "../../analyses/reliable-change.ts";
import type { MixedCoefficient } from "../../analyses/random-intercept-model.ts";
import type { SizeClass } from "../../analyses/random-intercept-by-size.ts";
import type { RuptureOutcome } from "../../analyses/ruptures.ts";
import type { ShiftKind } from "../../analyses/sudden-gains.ts";

export type { DerivedEpisode, EpisodeColumns, LabelColumn } from "./episodes.ts";

export interface ReadFile {
  role: TableRole;
  path: string;
  sha256: string;
  rows: number;
  columns: string[];
  format: InputFormat;
  read_as: Record<string, string>;
  /** Columns dropped as the file was read (privacy.drop_columns); their values were never loaded into a table used later. */
  dropped_columns: string[];
  row_unit: "row" | "record";
}

export interface ReadOutput {
  files: ReadFile[];
  layout: Study["layout"];
  /** Fields of each relation typed from text in SQL: `<field>_text` holds the cell as read, for validate's messages. */
  textBacked: Record<TableRole, string[]>;
  /** Rows the reader could not read (too many or too few cells, an unclosed quote, bytes that are not text): errors, named by file and line, for validate to report with the rest. */
  unreadable: Problem[];
}

export interface Finding extends Problem {
  severity: Severity;
}

export interface RuleCount {
  code: string;
  severity: Severity;
  table: TableRole;
  column: string;
  n: number;
  reason?: string;
}

export interface ValidationOutput {
  counts: RuleCount[];
  findings: Finding[];
  /** Exclusions by reason, in order of precedence. */
  excluded: Record<TableRole, { code: string; reason: string; n: number }[]>;
}

export const CONFIDENCE_LEVEL = 0.95;

export interface ExactCorrelation {
  y: CorrelationY;
  method: "pearson" | "spearman" | "partial";
  n: number;
  /** null when n is too small or a variable is constant; `reason` says which. */
  result: CorrelationEstimate | null;
  reason?: string;
  /** Holm-adjusted p across the family of correlations (the four of early alliance with outcome and the partial). */
  p_holm: number | null;
}

export interface PowerAnalysis {
  /** Pairs in the primary analysis (early alliance × outcome change, Pearson). */
  n: number;
  alpha: number;
  power: number;
  smallest_detectable_r: number | null;
  benchmark: { short: string; reference: string; r: number };
  pairs_needed_for_benchmark: number;
}

export interface SiteAnalysis {
  per_site: { site: string; n: number; r: number | null; ci_low: number | null; ci_high: number | null }[];
  /** null with fewer than two sites having at least 4 pairs. */
  reml: RandomEffects | null;
  dl: RandomEffects | null;
}

export interface ExactTier {
  tier: string;
  episodes: number;
  closed: number;
  dropouts: number;
  /** null when no episode in the tier is closed. */
  rate: { rate: number; ci_low: number; ci_high: number } | null;
}

export interface Analysis {
  episodes_analyzed: number;
  excluded_no_alliance: number;
  analysis_sets: { with_outcome_change: number; with_outcome_last: number; closed: number; active_at_cutoff: number };
  correlations: ExactCorrelation[];
  /** Partial correlation of early alliance with last outcome, controlling for the first outcome. */
  partial: ExactCorrelation;
  power: PowerAnalysis;
  /** Seeded bootstrap intervals (percentile, BCa) for early alliance × outcome change; null below 4 pairs or above bootstrap.max_n. */
  bootstrap: BootstrapInterval | null;
  /** Early alliance × outcome change per site, pooled by random-effects meta-analysis on Fisher z. */
  sites: SiteAnalysis;
  /** Early, mean and last alliance × change, last and residualized outcome; reliable change. */
  predictors: PredictorAnalysis;
  /** Therapist ICCs and the within/between-therapist mixed model. */
  therapists: TherapistAnalysis;
  /** Cluster-aware intervals of every correlation and tier dropout rate (inference.cluster). */
  clustering: ClusterAnalysis;
  dropout_by_tier: ExactTier[];
  fitted_line: { n: number; intercept: number; slope: number } | null;
  binned_scatter: Bin[];
  /** The alliance over the sessions; set by the research run (drivers/run-study.ts), absent elsewhere. */
  dynamics?: DynamicsAnalysis;
}

export interface TherapistAnalysis {
  icc: TherapistIcc[];
  model: WithinBetweenModel | null;
  /** Why the model was not fitted. */
  reason?: string;
}

export interface PredictorAnalysis {
  correlations: PredictorCorrelation[];
  /** lm(outcome_last ~ outcome_first) on episodes with a change score; null below 3. */
  residualized_fit: { n: number; intercept: number; slope: number } | null;
  /** null when the outcome measure has no reliability in the config, or fewer than 2 episodes. */
  reliable_change: ReliableChangeAnalysis | null;
  rater_agreement: RaterAgreement[];
}

export interface ClusterAnalysis {
  unit: ClusterUnit;
  /** Distinct clusters among the analysed episodes (0 when the unit is none). */
  clusters: number;
  /** Σm² / Σm over the clusters' episode counts m: the cluster size in Kish's design effect 1 + (m − 1)·ICC. */
  mean_cluster_size: number | null;
  /** The cluster bootstrap's B and seed, and whether it ran (at most bootstrap_max_clusters clusters). */
  bootstrap: { b: number; seed: number; max_clusters: number; run: boolean };
  correlations: ClusterCorrelation[];
  dropout_by_tier: ClusterTierRate[];
  /** Why there are no cluster-aware intervals (unit none, or fewer than MIN_CLUSTERS clusters). */
  reason?: string;
}

export const CAUSES = ["dropout", "completion", "other"] as const;

export type Cause = (typeof CAUSES)[number];

/** The tests across tiers, each of which may be not estimable. */
export type RetentionTest =
  "logrank" | "logrank_trend" | "logrank_robust" | "cochran_armitage" | "hazard_ratios" | "proportional_hazards";

export interface TierSurvival {
  tier: string;
  n: number;
  dropouts: number;
  censored_active: number;
  censored_completion: number;
  censored_other: number;
  steps: KmStep[];
  median: SurvivalQuantile;
  at_days: { day: number; surv: number; lower: number | null; upper: number | null; n_risk: number }[];
}

export interface RetentionAt {
  day: number;
  tier: string;
  /** Episodes whose first `day` days were observed before the cutoff. */
  eligible: number;
  retained: number;
  /** Left out because they were admitted fewer than `day` days before the cutoff. */
  short_followup: number;
  proportion: Proportion | null;
}

export interface CoxTerm {
  tier: string;
  coef: number;
  se: number;
  hr: number;
  lower: number;
  upper: number;
  p: number;
  /**
   * The cluster-robust (sandwich) se grouped by inference.cluster, as coxph(..., cluster =) reports it; the
   * CI and p use it with the small-sample factor √(G/(G − 1)) and t on G − 1 df (see analyses/cox-robust.ts, robustWald). Null for unit none.
   */
  robust: { se: number; lower: number; upper: number; p: number; df: number } | null;
}

export interface TierIncidence {
  tier: string;
  times: number[];
  incidence: Record<Cause, number[]>;
  /** Episodes at risk just before each time (for truncating the shared curve). */
  n_risk: number[];
  at_days: ({ day: number } & Record<Cause, number>)[];
}

export interface RetentionAnalysis {
  conf_type: "log-log" | "log";
  days: number[];
  reference: string;
  /** Dropouts made by the no-show rule among analysed episodes; null when the rule is off. */
  no_show: { days: number; dropouts: number } | null;
  tiers: TierSurvival[];
  retention: RetentionAt[];
  logrank: ({ chisq: number; df: number; p: number } & Pick<LogRank, "observed" | "expected">) | null;
  logrank_trend: { chisq: number; df: 1; p: number } | null;
  /** The cluster-robust counterpart of the log-rank test: coxph's robust score test of the tier model (Lin & Wei 1989); null for unit none or when not estimable. */
  logrank_robust: { chisq: number; df: number; p: number; clusters: number } | null;
  cochran_armitage: { x: number[]; n: number[]; chisq: number; df: 1; p: number } | null;
  /** Hazard ratios against the reference, and the global test of proportional hazards (cox.zph). */
  cox: { terms: CoxTerm[]; loglik: [number, number]; zph: { chisq: number; df: number; p: number } | null } | null;
  incidence: TierIncidence[];
  /** Each test across tiers that could not be done, with the plain reason. */
  not_estimable: { test: RetentionTest; reason: string }[];
}

export interface ClusterCorrelation {
  family: ClusterFamily;
  x: string;
  y: string;
  method: "pearson" | "spearman" | "partial";
  n: number;
  /** Clusters with at least one of the correlation's episodes. */
  clusters: number;
  estimate: number | null;
  /** The cluster jackknife interval; null (with `reason`) when not estimable. */
  ci: [number, number] | null;
  /** Cluster jackknife standard error of Fisher z. */
  se_z: number | null;
  design_effect: number | null;
  /** n / design effect, at most n. */
  effective_n: number | null;
  bootstrap: { percentile: [number, number]; bca: [number, number]; undefined_replicates: number } | null;
  reason?: string;
}

export interface ClusterTierRate {
  tier: string;
  closed: number;
  dropouts: number;
  clusters: number;
  rate: number | null;
  /** Wilson's interval on the effective n; null when no episode of the tier is closed. */
  ci: [number, number] | null;
  design_effect: number | null;
  effective_n: number | null;
}

export interface PredictorCorrelation {
  x: Predictor;
  y: OutcomeVariable;
  n: number;
  result: CorrelationEstimate | null;
  reason?: string;
  p_holm: number | null;
  bootstrap: BootstrapInterval | null;
}

/** Agreement of another rater's early alliance with the alliance column's, on episodes with both. */
export interface RaterAgreement {
  rater: string;
  n: number;
  result: CorrelationEstimate | null;
}

export interface ReliableChangeAnalysis {
  reliability: number;
  clinical_cutoff: number | null;
  sd_pre: number;
  threshold_points: number;
  overall: { n: number; counts: Record<ChangeCategory, number> };
  by_tier: { tier: string; n: number; counts: Record<ChangeCategory, number> }[];
}

export interface TherapistIcc {
  variable: IccVariable;
  n: number;
  therapists: number;
  icc: number | null;
  var_therapist: number | null;
  var_residual: number | null;
  singular: boolean;
  reason?: string;
}

export interface WithinBetweenModel {
  /** Episodes in the model: early alliance and at least two outcome ratings. */
  n: number;
  therapists: number;
  /** (Intercept), alliance_within, alliance_between, outcome_first. */
  coefficients: MixedCoefficient[];
  /** alliance_between − alliance_within. */
  contextual: MixedCoefficient;
  var_therapist: number;
  var_residual: number;
  reml_criterion: number;
  singular: boolean;
}

export type Severity = "error" | "warning" | "note";

export type ClusterFamily = "primary" | "partial" | "secondary" | "rater_agreement";

export const PREDICTORS = ["early_alliance", "mean_alliance", "last_alliance"] as const;

export const OUTCOMES = ["outcome_change", "outcome_last", "outcome_residualized"] as const;

/** One of PREDICTORS, or `early_<key>` for an alliance component (e.g. early_subscale_bond, early_rater_therapist). */
export type Predictor = (typeof PREDICTORS)[number] | `early_${string}`;

export type OutcomeVariable = (typeof OUTCOMES)[number];

export type IccVariable = "early_alliance" | "outcome_change" | "outcome_last";

/**
 * The ruptures (at the study's k) as derive finds them in the sessions (analyses/ruptures.ts' rule),
 * one entry per rupture in each column, by episode and session: typed columns, since a million
 * episodes have about as many ruptures.
 */
export interface RuptureColumns {
  n: number;
  /** The episode (its src_row). */
  ep: Float64Array;
  /** t among the episode's rated sessions (1-based), and its day since admission. */
  at: Float64Array;
  day: Float64Array;
  drop: Float64Array;
  /** The day of the session that repaired it; NaN when none did. */
  repaired_day: Float64Array;
  /** Its outcome, as an index into RUPTURE_OUTCOMES. */
  outcome: Uint8Array;
}

/** The outcomes of a rupture, in the order RuptureColumns.outcome numbers them. */
export const RUPTURE_OUTCOMES: readonly RuptureOutcome[] = ["repaired", "unrepaired", "ended"];

/** Ruptures counted at one k, by tier (null: no tier), over the episodes with 3 or more ratings. */
export interface RuptureCount {
  k: number;
  tier: string | null;
  episodes: number;
  with_rupture: number;
  ruptures: number;
  repaired: number;
  unrepaired: number;
  ended: number;
}

/** A sudden gain or loss (analyses/sudden-gains.ts' rule), with the scores around it. */
export interface ShiftRecord {
  ep: number;
  kind: ShiftKind;
  /** Session n (1-based among the episode's sessions), the last before the shift. */
  at: number;
  magnitude: number;
  reversal: boolean;
  /** The outcome and the alliance at sessions n−2 … n+3 (null where missing or outside the episode). */
  outcome_around: (number | null)[];
  alliance_around: (number | null)[];
}

/** What derive hands on of the session-by-session course: found in DuckDB, summed to what the analyses need. */
export interface SessionCourse {
  /** The pooled within-episode SD of the alliance (null without an episode of 3 or more ratings). */
  pooled_sd: number | null;
  /** Episodes by how many alliance ratings they have: none, 1–2 (left out of ruptures), 3 or more. */
  rated: { none: number; few: number; enough: number };
  rupture_counts: RuptureCount[];
  ruptures: RuptureColumns;
  /** The sudden-gain cut-off and where it came from; null when neither the config nor a reliability gives one. */
  gain_cutoff: { value: number; source: "config" | "reliable_change"; sd?: number } | null;
  /** Episodes with 4 or more outcome scores: those in which a sudden gain can be found. */
  scored_episodes: number;
  shifts: ShiftRecord[];
  /** The mean alliance by session number (1 … 20) and tier. */
  alliance_by_session: { tier: string; session: number; n: number; mean: number; sd: number | null }[];
  /** The episodes (src_row) with 3 or more alliance ratings: those in which ruptures are looked for. */
  eligible: Float64Array;
  /** The lagged models' sums by episode size (analyses/random-intercept-by-size.ts). */
  lagged: { forward: SizeClass[]; reverse: SizeClass[]; detrended: SizeClass[] | null };
}

/** Sudden gains or losses summed: counts, magnitudes, reversals and the mean scores around them. */
export interface ShiftSummary {
  kind: ShiftKind;
  shifts: number;
  episodes: number;
  reversals: number;
  magnitude_mean: number | null;
  magnitude_sd: number | null;
  /** Offsets −2 … +3 from session n: how many shifts have a score there, and their mean. */
  around: {
    offset: number;
    outcome_n: number;
    outcome_mean: number | null;
    alliance_n: number;
    alliance_mean: number | null;
  }[];
}

/** One lagged within-client model: its within and between coefficients, or why it was not fitted. */
export interface LaggedModel {
  /** Session pairs and episodes. */
  n: number;
  groups: number;
  within: MixedCoefficient | null;
  between: MixedCoefficient | null;
  coefficients: MixedCoefficient[];
  var_group: number | null;
  var_residual: number | null;
  singular: boolean;
  reason: string | null;
}

/** The alliance over the sessions, exact and unsuppressed (analyze/analyze-dynamics.ts). */
export interface DynamicsAnalysis {
  rupture_sd: number;
  repair_sessions: number;
  pooled_sd: number | null;
  rated: SessionCourse["rated"];
  rupture_counts: RuptureCount[];
  repair_outcome: {
    n: number;
    n_repaired: number;
    n_none: number;
    r: CorrelationEstimate | null;
    difference: { estimate: number; ci_low: number; ci_high: number; mean_repaired: number; mean_none: number } | null;
    /** Cluster jackknife intervals (inference.cluster), null without clusters. */
    cluster: { r: [number, number] | null; difference: [number, number] | null } | null;
  };
  dropout: {
    episodes: number;
    /** Left out: no follow-up time (discharged on the day of admission). */
    short_followup: number;
    fit: {
      records: number;
      events: number;
      clusters: number | null;
      coef: number;
      se: number;
      robust_se: number | null;
      hr: number;
      ci_low: number;
      ci_high: number;
      p: number;
      score: { chisq: number; df: number; p: number };
      robust_score: { chisq: number; df: number; p: number } | null;
    } | null;
    reason: string | null;
  };
  gain_cutoff: SessionCourse["gain_cutoff"];
  scored_episodes: number;
  shifts: ShiftSummary[];
  alliance_by_session: (SessionCourse["alliance_by_session"][number] & {
    ci_low: number | null;
    ci_high: number | null;
  })[];
  lagged: { forward: LaggedModel; reverse: LaggedModel; detrended: LaggedModel | null };
}
