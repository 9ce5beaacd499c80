/**
 * results.json of a quarterly report (`alliance report`): every number of one report (the program,
 * or one site) for one reporting period, after small-cell suppression. Documented in
 * docs/quarterly.md. Withheld values are null with `withheld: true`; figures not yet observable
 * at the cutoff are null with status "not_yet_observable".
 */
import type { Provenance } from "../results.ts";

export const QUARTERLY_SCHEMA_VERSION = "1.0.0";

export type Cohort = "admitted" | "active" | "discharged";

export type FigureKey =
  | "admissions"
  | "active"
  | "early_alliance"
  | "lowest_tier"
  | "dropout"
  | "unrepaired"
  | `retention_${number}`
  | "correlation";

export interface FigureValue {
  key: FigureKey;
  label: string;
  cohort: Cohort;
  /** The figure (a count, mean, share or correlation); null when withheld, not yet observable or not estimable. */
  value: number | null;
  ci_low: number | null;
  ci_high: number | null;
  /** The count it rests on (admissions, discharges, episodes with a rating, pairs). */
  n: number | null;
  /** For shares: the numerator shown beside the rate. */
  numerator?: number | null;
  status: "shown" | "withheld" | "not_yet_observable" | "not_estimable";
}

export interface TrendPeriod {
  period: string;
  title: string;
  start: string;
  end: string;
  figures: FigureValue[];
}

export interface Change {
  key: FigureKey;
  label: string;
  against: "previous" | "year_earlier";
  /** The period compared with. */
  period: string;
  current: number | null;
  earlier: number | null;
  difference: number | null;
  ci_low: number | null;
  ci_high: number | null;
  /** True when the interval excludes zero; null without an interval. */
  supported: boolean | null;
  method: string;
}

export interface PChartResults {
  /** Center line: dropouts ÷ discharges over the periods shown (withheld periods left out of it). */
  center: number | null;
  points: {
    period: string;
    discharges: number | null;
    dropouts: number | null;
    rate: number | null;
    lower: number | null;
    upper: number | null;
    withheld: boolean;
  }[];
  signals: { rule: string; text: string; periods: string[] }[];
  rules: string[];
}

export interface FunnelResults {
  /** The months the sites are compared over (the 12 months to the period's end). */
  window: { start: string; end: string };
  /** The program's dropout rate over the window: the funnel's centre. */
  target: number | null;
  points: {
    group: string;
    discharges: number | null;
    dropouts: number | null;
    rate: number | null;
    outside: "99.8%" | "95%" | null;
    withheld: boolean;
  }[];
  limits: { n: number; lower95: number; upper95: number; lower998: number; upper998: number }[];
}

export interface Revision {
  period: string;
  key: FigureKey;
  label: string;
  published: number | null;
  now: number | null;
}

export interface QuarterlyResults {
  schema_version: string;
  kind: "quarterly";
  study: { name: string; title: string };
  /** The program name printed on the report (branding.program_name, else the study title). */
  program: string;
  /** Which report of the batch: the program, or one value of a grouping column. */
  group: { by: string | null; value: string | null; label: string };
  period: { label: string; title: string; kind: string; start: string; end: string };
  cutoff_date: string;
  /** The cohort of each figure and why. */
  cohorts: { key: FigureKey; label: string; short: string; cohort: Cohort }[];
  /** The last N periods, oldest first; the last is the report's period. */
  trends: TrendPeriod[];
  changes: Change[];
  p_chart: PChartResults;
  funnel: FunnelResults | null;
  /** A site report's program figures for the same period (same suppression). */
  program_comparison: FigureValue[] | null;
  data_quality: {
    excluded_episodes: { reason: string; n: number | null }[];
    excluded_sessions: { reason: string; n: number | null }[];
    /** Admissions in the period without any alliance rating. */
    admissions_without_rating: number | null;
    /** Groups left out of this batch because their records failed validation. */
    groups_left_out: { group: string; errors: number }[];
  };
  /** Figures that differ from the previously published results.json (--previous). */
  revisions: Revision[];
  suppression: { min_cell_size: number; cells_suppressed: number };
  provenance: Provenance;
}
