/**
 * The typed data that passes between the phases in JavaScript (tables.ts declares what passes in
 * DuckDB). Each phase defines what it hands on; another phase reaches it only through this module,
 * never by importing that phase's modules:
 *
 *   read ──IngestOutput──▶ validate ──ValidationOutput──▶ derive ──EpisodeColumns──▶ analyze
 *   analyze ──Analysis, RetentionAnalysis──▶ render
 */
export type { IngestedFile, IngestOutput } from "./read/read.ts";
export type { Finding, ValidationOutput } from "./validate/validate.ts";
export type { DerivedEpisode } from "./derive/derive.ts";
export type { EpisodeColumns, LabelColumn } from "./derive/episode-columns.ts";
/** The episodes as objects from their columns, and back (for callers that hold objects: tests, the quarterly reports); a text field as codes. */
export { episodeColumns, episodeObjects, labelColumn } from "./derive/episode-columns.ts";
export type { Analysis, ExactCorrelation } from "./analyze/analyze.ts";
export type { RetentionAnalysis } from "./analyze/analyze-retention.ts";
/** Causes of an episode's end (competing risks), in the order the report shows them. */
export { CAUSES } from "./analyze/analyze-retention.ts";
/** The confidence level of every interval the analyses give. */
export { CONFIDENCE_LEVEL } from "./analyze/analyze.ts";
