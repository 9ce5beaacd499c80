/**
 * The validated study: what the rest of the pipeline trusts. Built once from the config
 * file by loadStudy(); paths are absolute and defaults are filled in.
 */
import type { AllianceInstrument, ColumnMapping, OutcomeMeasure } from "./types.ts";

export const DEFAULT_MIN_CELL_SIZE = 11;
export const DEFAULT_COMPLETION_REASONS = ["completed"];
export const DEFAULT_RETENTION_DAYS = [30, 60, 90];

export interface Study {
  name: string;
  title: string;
  /** Absolute path of the config file. */
  configPath: string;
  files: { episodes: string; sessions: string };
  columns: ColumnMapping;
  alliance: AllianceInstrument;
  outcome: OutcomeMeasure;
  dropoutReasons: string[];
  completionReasons: string[];
  /** YYYY-MM-DD */
  cutoffDate: string;
  tiers: { cutPoints: number[]; labels: string[]; reference: string };
  retention: { days: number[]; confType: "log-log" | "log" };
  minCellSize: number;
}
