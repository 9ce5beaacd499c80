/**
 * The validated study: what the rest of the pipeline trusts. Built once from the config
 * file by loadStudy(); paths are absolute and defaults are filled in.
 */
import type { AllianceInstrument, ColumnMapping, InputFormat, OutcomeMeasure, RaterPerspective } from "./types.ts";
import type { ItemScoringRule } from "../instruments/score-sql.ts";
import { scoreRange } from "../instruments/definitions.ts";

/** The unit whose episodes are not independent, or none. */
export type ClusterUnit = "therapist" | "site" | "none";

export interface Study {
  name: string;
  title: string;
  /** Absolute path of the config file. */
  configPath: string;
  /** Absolute paths of the episodes and sessions data; the same file for the long and wide layouts. */
  files: { episodes: string; sessions: string };
  /** How each table is read, and the layout they come in. */
  sources: { episodes: InputSource; sessions: InputSource };
  layout: "tables" | "long" | "wide";
  columns: ColumnMapping;
  alliance: ResolvedAlliance;
  /** Item-level scoring of the alliance; null when the data hold the total. */
  itemScoring: (ItemScoringRule & { columns: string[] }) | null;
  values: ValueRules;
  /** Columns dropped as files are read, and columns vouched for as not identifiers. */
  dropColumns: string[];
  notIdentifiers: string[];
  outcome: OutcomeMeasure;
  dropoutReasons: string[];
  completionReasons: string[];
  /** Other known discharge reasons; null when the config does not close the list. */
  otherReasons: string[] | null;
  /** No-show rule: days without a session after which an open episode counts as dropout; null = off. */
  noShowDays: number | null;
  /** YYYY-MM-DD */
  cutoffDate: string;
  tiers: TierRule;
  retention: { days: number[]; confType: "log-log" | "log" };
  /** Ruptures (k, R), the sudden-gain cut-off given (null: from the RCI, or none), and the detrended variant. */
  dynamics: {
    enabled: boolean;
    ruptureSd: number;
    repairSessions: number;
    suddenGainCutoff: number | null;
    detrend: boolean;
  };
  bootstrap: { b: number; seed: number; secondaryMaxN: number; maxN: number };
  /** Cluster-aware inference: the clustering unit, and the most clusters the cluster bootstrap runs on. */
  inference: { cluster: ClusterUnit; bootstrapMaxClusters: number };
  /** Ratings averaged for early alliance. */
  earlyWindow: number;
  /** Whose rating the alliance column is. */
  allianceRater: RaterPerspective;
  /** Subscales and other raters' scores of the alliance, analysed beside the total; empty when the config lists none. */
  allianceComponents: AllianceComponent[];
  /** Jacobson–Truax settings; null when the outcome measure declares no reliability. */
  reliableChange: { reliability: number; clinicalCutoff: number | null } | null;
  minCellSize: number;
  reporting: Reporting;
}

/** The alliance section with its name and range filled in (from the item definition when scored from items). */
export type ResolvedAlliance = AllianceInstrument & { instrument: string; min: number; max: number };

/** One input file and how to read it; null options are detected from the file. */
export interface InputSource {
  path: string;
  format: InputFormat | null;
  sheet: string | null;
  delimiter: string | null;
  encoding: "utf-8" | "latin-1" | null;
}

/** How values are written in the data (config `values`), defaults filled in. */
export interface ValueRules {
  /** Codes read as missing (besides the empty cell). */
  missing: string[];
  dateFormat: "iso" | "us" | "day_first";
  excelSerialDates: boolean;
  decimalMark: "." | ",";
}

/** Quarterly-report settings, with defaults filled in and paths absolute. */
export interface Reporting {
  fiscalYearStartMonth: number;
  trendPeriods: number;
  branding: { programName: string | null; footer: string | null; logo: string | null; templates: string | null };
}

/**
 * A subscale or another rater's alliance score. `key` names it everywhere downstream: the canonical
 * sessions field and derived column (`early_<key>`), results.json and the report.
 * @example { key: "subscale_bond", kind: "subscale", name: "bond", label: "Bond", column: "WAI_Bond", min: 1, max: 5, configKey: "alliance.subscales[0]" }
 */
export interface AllianceComponent {
  key: string;
  /** Where the config declares it, for messages: e.g. alliance.subscales[0]. */
  configKey: string;
  kind: "subscale" | "rater";
  /** Subscale name, or the rater perspective. */
  name: string;
  label: string;
  /** The sessions-file column, or null for a subscale scored from the alliance items. */
  column: string | null;
  min: number;
  max: number;
}

/**
 * Components from the config's alliance section, in its order: subscales scored from items, subscales
 * read from columns, then other raters.
 */
export function allianceComponents(a: AllianceInstrument, scoring: Study["itemScoring"]): AllianceComponent[] {
  const fromItems = scoring
    ? Object.entries(scoring.def.subscales).map(([name, items]): AllianceComponent => {
        return {
          key: `subscale_${name}`,
          configKey: "alliance.items",
          kind: "subscale",
          name,
          label: `${name[0]!.toUpperCase()}${name.slice(1)} (items ${items.join(", ")})`,
          column: null,
          ...scoreRange(scoring.def, items.length, scoring.mode),
        };
      })
    : [];
  return [
    ...fromItems,
    ...(a.subscales ?? []).map((s, i): AllianceComponent => ({
      key: `subscale_${s.name}`,
      configKey: `alliance.subscales[${i}]`,
      kind: "subscale",
      name: s.name,
      label: s.label ?? s.name,
      column: s.column,
      min: s.min,
      max: s.max,
    })),
    ...(a.other_raters ?? []).map((r, i): AllianceComponent => ({
      key: `rater_${r.rater}`,
      configKey: `alliance.other_raters[${i}]`,
      kind: "rater",
      name: r.rater,
      label: `${r.rater[0]!.toUpperCase()}${r.rater.slice(1)}-rated`,
      column: r.column,
      min: r.min,
      max: r.max,
    })),
  ];
}

export type TierScore = "early_alliance" | "mean_alliance" | "last_alliance";

/** How episodes get their tier (validated: the method's own key is present and consistent). */
export interface TierRule {
  by: TierScore;
  method: "cut_points" | "quantiles" | "column";
  /** Fixed cut points (method cut_points); empty otherwise, until derive computes quantile cuts. */
  cutPoints: number[];
  /** Number of groups (method quantiles). */
  quantiles: number | null;
  /** Episodes-file column with the tier label (method column). */
  column: string | null;
  labels: string[];
  reference: string;
}
