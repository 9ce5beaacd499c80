/**
 * The shape of a synthetic study: everything about it that real exports vary and the demo does not.
 * The property-based test of the whole pipeline draws shapes across this space (0–2,000 episodes,
 * degenerate dropout and discharge, missing ratings, readmissions, tiers empty or full, cutoffs
 * before, inside and after the data, European and Latin-1 exports); the benchmark takes one from its
 * command line (a million episodes, 50,000 therapists, shuffled sessions). write-study.ts turns a
 * shape into files and a config, the same shape and seed always giving the same bytes.
 */

export interface ExportFormat {
  delimiter: "," | ";" | "\t";
  /** Scores written 33,5 rather than 33.5 (values.decimal_mark: ","). */
  decimalComma: boolean;
  /** A UTF-8 byte-order mark at the start of each file. */
  bom: boolean;
  /** Lines end \r\n. */
  crlf: boolean;
  /** Written in Latin-1 rather than UTF-8 (site names carry accents). */
  latin1: boolean;
}

export interface StudyShape {
  seed: number;
  episodes: number;
  /** Sites wanted (each has at least one therapist, so at most `therapists` sites are used). */
  sites: number;
  /** "skewed": site sizes fall off geometrically, so a site of 5 clients sits next to one of thousands. */
  siteSizes: "even" | "skewed";
  therapists: number;
  /** Mean sessions of a discharged episode (weekly); open episodes have as many as their weeks allow. */
  sessionsPerEpisode: number;
  /** Share of episodes that are a later episode of an earlier client (admitted after that one's discharge). */
  readmissionShare: number;
  /** Sessions in date order, as most exports write them, or shuffled. */
  order: "sorted" | "shuffled";
  /** Extra 0–40 score columns in the sessions file, each analysed as an alliance subscale. */
  extraScores: number;
  /** Share of episodes discharged by the export date (the rest are still open). */
  dischargedShare: number;
  /** Share of discharges that are dropouts (before the alliance's pull on it). */
  dropoutShare: number;
  /** Share of sessions whose alliance rating is missing. */
  missingRatings: number;
  /** Every rating of the first site is missing. */
  siteWithoutRatings: boolean;
  /** Mean alliance on the 0–40 scale: 25 puts nearly everyone in the low tier, 39 in the high one. */
  allianceMean: number;
  /** SD of the therapists' effect on alliance and outcome (clients nested in therapists). */
  therapistSd: number;
  /** Share of sessions entered twice (same client and day). */
  duplicateShare: number;
  /** Where the config's cutoff falls: before every admission, within the admissions, or after every session. */
  cutoff: "before" | "inside" | "after";
  format: ExportFormat;
}

export const PLAIN_FORMAT: ExportFormat = {
  delimiter: ",",
  decimalComma: false,
  bom: false,
  crlf: false,
  latin1: false,
};

/** A demo-like shape: the defaults every other shape changes. */
export const DEFAULT_SHAPE: StudyShape = {
  seed: 1,
  episodes: 600,
  sites: 4,
  siteSizes: "even",
  therapists: 30,
  sessionsPerEpisode: 10,
  readmissionShare: 0.05,
  order: "sorted",
  extraScores: 0,
  dischargedShare: 0.85,
  dropoutShare: 0.35,
  missingRatings: 0.06,
  siteWithoutRatings: false,
  allianceMean: 33,
  therapistSd: 2,
  duplicateShare: 0.01,
  cutoff: "inside",
  format: PLAIN_FORMAT,
};

/** Admissions fall in these two years; the export holds sessions up to EXPORT_DATE. */
export const ADMIT_FROM = "2024-01-01";
export const ADMIT_TO = "2025-12-31";
export const EXPORT_DATE = "2026-06-30";

/** The config's cutoff_date for each choice. */
export const CUTOFFS: Record<StudyShape["cutoff"], string> = {
  before: "2023-06-30",
  inside: "2025-06-30",
  after: "2026-12-31",
};

export const SITE_NAMES = [
  "Northside",
  "Riverside",
  "Eastgate",
  "Hillcrest",
  "Lakeview",
  "Südstadt",
  "Montréal Est",
  "Old Town",
];
