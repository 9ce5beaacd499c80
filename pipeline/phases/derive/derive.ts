/**
 * Stage 3, derive: one row per episode under the rules of docs/data-contract.md, from the
 * records validate kept (sessions ordered by date):
 *   early_alliance   mean of the first three non-missing alliance ratings (fewer if fewer exist);
 *                    every mean is rounded to MEAN_DIGITS decimal places
 *   outcome_first/last, outcome_change = last − first, sign flipped when lower is better
 *                    (so positive = improvement); needs ≥ 2 outcome ratings
 *   days_in_treatment admission to discharge, or to the cutoff while active
 *   closed           discharged on or before the cutoff
 *   dropout          closed with a dropout reason; with the no-show rule (dropout_no_show_days = N), also any
 *                    episode whose last session was more than N days before its discharge (or the cutoff,
 *                    while active): it counts as closed by dropout on the day after its last session
 *   mean_alliance, last_alliance  mean of all, and the last, alliance ratings
 *   early_components for each subscale and other rater's score in the config, its early mean
 *                    (same window, over that score's own non-missing ratings), keyed as the component
 *   tier             from the chosen alliance score (tiers.by, default early_alliance): fixed cut points,
 *                    sample quantiles (R's type 7, DuckDB quantile_cont), or the data's tier column;
 *                    a score equal to a cut point belongs to the tier above; no tier without a rating
 * Artifact: internal/03-derived-episodes.csv (row-level: internal, never shared).
 */
import type { Study } from "../../config/study.ts";
import { type Db, queryRows, queryTyped, secondConnection, sqlString, type TypedKind } from "../../db.ts";
import { FLAG_FIELDS, LABEL_FIELDS, NUMBER_FIELDS, type DerivedEpisode, type EpisodeColumns } from "../episodes.ts";

export type { DerivedEpisode };
import { dropTablesOf, TABLES } from "../tables.ts";
import type { SessionCourse } from "../handoff.ts";
import { sessionCourse } from "./session-course.ts";

export const DERIVED_TABLE = "d_episodes";

/**
 * Means of ratings are rounded to this many decimal places. A sum of decimal scores carries
 * floating-point noise in its last bit that depends on the order of addition, so without rounding
 * two equal means (e.g. 30.0) could differ, breaking ties in ranks and putting a mean that equals a
 * tier cut point into the tier below.
 */
export const MEAN_DIGITS = 10;

/** SQL CASE that puts a score into its tier label. */
export function tierCase(column: string, cutPoints: number[], labels: string[]): string {
  const steps = cutPoints.map((cut, i) => `WHEN ${column} < ${cut} THEN ${sqlString(labels[i]!)}`).join(" ");
  return `CASE WHEN ${column} IS NULL THEN NULL ${steps} ELSE ${sqlString(labels[labels.length - 1]!)} END`;
}

export interface Derived {
  /** The episodes as columns (episodeObjects gives them as objects). */
  episodes: EpisodeColumns;
  /** The cut points used: the config's, or those computed from the sample quantiles; empty for a tier column. */
  tierCutPoints: number[];
  /** The alliance and outcome over the sessions, summed for the dynamics analyses; null when dynamics.enabled is false. */
  course: SessionCourse | null;
}

/**
 * Builds the derived table and reads it as episodes; with `artifact`, also writes the table there as
 * CSV (internal/03-derived-episodes.csv), on a second connection while the episodes are read.
 * It consumes validate's typed tables: they are dropped once the derived table is built, before the
 * episodes are read into memory (on ten million sessions they hold over two gigabytes).
 */
/**
 * The SQL that builds the derived episodes' table in one pass: the rules of the module's comment over
 * the kept episodes and validate's summary of their sessions; `tierNow` gives the tier in the same
 * pass (fixed cut points, a tier column), or null when quantiles assign it afterwards.
 */
function derivedTableSql(study: Study, tierNow: string | null): string {
  const cutoff = `DATE ${sqlString(study.cutoffDate)}`;
  const orientation = study.outcome.higher_is_better ? 1 : -1;
  const keys = study.allianceComponents.map((c) => c.key);
  const dropoutList = study.dropoutReasons.map(sqlString).join(", ");
  // The no-show rule applies to episodes not already dropouts by their recorded reason.
  const noShow =
    study.noShowDays === null
      ? "FALSE"
      : `(a.last_session IS NOT NULL AND NOT (r.recorded_closed AND r.discharge_reason_text IN (${dropoutList}))
          AND date_diff('day', a.last_session, CASE WHEN r.recorded_closed THEN r.discharge_date ELSE ${cutoff} END) > ${study.noShowDays})`;
  // The summary of each episode's kept sessions (count, dates, the early window's ratings, …) is
  // validate's (v_session_agg): one pass over the sessions made it.
  const early = (k: string) => `round(list_avg(a.early_${k}), ${MEAN_DIGITS})`;
  const perEpisode = `SELECT ep, n_sessions, last_session, len(early_alliance) AS early_alliance_n, round(mean_alliance, ${MEAN_DIGITS}) AS mean_alliance,
      last_alliance, outcome_first, outcome_last, outcome_n, ${["alliance", ...keys].map((k) => `${early(k)} AS early_${k}`).join(", ")}
    FROM ${TABLES.sessionSummary.name} a`;
  return `
    CREATE OR REPLACE TABLE ${DERIVED_TABLE} AS
    SELECT * ${tierNow ? `REPLACE (${tierNow} AS tier)` : ""} FROM (
    WITH e AS (SELECT * FROM ${TABLES.typedEpisodes.name} WHERE excluded_code IS NULL),
    recorded AS (
      SELECT e.*, (e.discharge_date IS NOT NULL AND e.discharge_date <= ${cutoff}) AS recorded_closed
      FROM e),
    flagged AS (
      SELECT r.*, a.*,
             (r.recorded_closed AND r.discharge_reason_text IN (${dropoutList})) AS by_reason,
             ${noShow} AS by_no_show
      FROM recorded r LEFT JOIN (${perEpisode}) a ON a.ep = r.src_row),
    base AS (
      SELECT f.*, (f.recorded_closed OR f.by_no_show) AS closed,
             CASE WHEN f.by_no_show THEN f.last_session + INTERVAL 1 DAY
                  WHEN f.recorded_closed THEN f.discharge_date ELSE ${cutoff} END AS end_date
      FROM flagged f)
    SELECT b.src_row::INTEGER AS src_row,
           b.client_id_text AS client_id, b.site_text AS site, b.therapist_id_text AS therapist_id,
           strftime(b.admit_date, '%Y-%m-%d') AS admit_date,
           strftime(b.discharge_date, '%Y-%m-%d') AS discharge_date,
           b.discharge_reason_text AS discharge_reason,
           coalesce(b.n_sessions, 0)::INTEGER AS n_sessions,
           b.early_alliance,
           coalesce(b.early_alliance_n, 0)::INTEGER AS early_alliance_n,
           b.mean_alliance, b.last_alliance,
           b.tier_text,
           b.outcome_first, b.outcome_last,
           coalesce(b.outcome_n, 0)::INTEGER AS outcome_n,
           CASE WHEN b.outcome_n >= 2 THEN ${orientation} * (b.outcome_last - b.outcome_first) END AS outcome_change,
           date_diff('day', b.admit_date, b.end_date::DATE)::INTEGER AS days_in_treatment,
           b.closed,
           (b.by_reason OR b.by_no_show) AS dropout,
           CASE WHEN b.by_reason THEN 'reason' WHEN b.by_no_show THEN 'no_show' END AS dropout_by,
           NULL::VARCHAR AS tier${keys.map((k) => `, b.early_${k}`).join("")}
    FROM base b
    ) ORDER BY src_row`;
}

export async function derive(db: Db, study: Study, artifact?: string): Promise<Derived> {
  const keys = study.allianceComponents.map((c) => c.key);
  // Derive reads only the episodes and the summary of their sessions: the sessions themselves (half a
  // gigabyte for ten million) go first, so that the episodes table is not built beside them.
  await dropTablesOf(db, "derive", [
    TABLES.typedEpisodes,
    TABLES.typedEpisodeRows,
    TABLES.sessionSummary,
    TABLES.course,
  ]);
  await dropTablesOf(db, "validate"); // what a quarterly batch kept through validate (keepEpisodes)
  // Fixed cut points and a tier column give the tier in the same pass; quantiles need the scores first (assignTiers).
  const tierNow = study.tiers.method === "quantiles" ? null : tierSql(study, study.tiers.cutPoints);
  await db.run(derivedTableSql(study, tierNow));
  const tierCutPoints = tierNow
    ? study.tiers.method === "column"
      ? []
      : study.tiers.cutPoints
    : await assignTiers(db, study);
  await dropTablesOf(db, "derive", [TABLES.course]);
  const course = study.dynamics.enabled ? await sessionCourse(db, study, DERIVED_TABLE) : null;
  await dropTablesOf(db, "derive");
  const writing = artifact === undefined ? null : writeDerivedCsv(db, artifact);
  writing?.catch(() => {}); // awaited below; this only keeps a failure from going unhandled meanwhile
  // The table is in src_row order (written so).
  const kinds: Record<string, TypedKind> = Object.fromEntries([
    ...NUMBER_FIELDS.map((f) => [f, "number"]),
    ...LABEL_FIELDS.map((f) => [f, DATE_FIELDS.has(f) ? "date" : "label"]),
    ...FLAG_FIELDS.map((f) => [f, "flag"]),
    ...keys.map((k) => [`early_${k}`, "number"]),
  ]);
  const c = await queryTyped(db, DERIVED_TABLE, kinds);
  const episodes = {
    n: (c["src_row"] as Float64Array).length,
    components: new Map(keys.map((k) => [k, c[`early_${k}`] as Float64Array])),
    ...Object.fromEntries([...NUMBER_FIELDS, ...LABEL_FIELDS, ...FLAG_FIELDS].map((f) => [f, c[f]])),
  } as EpisodeColumns;
  await writing;
  await db.run(`DROP TABLE ${DERIVED_TABLE}`);
  return { episodes, tierCutPoints, course };
}

/**
 * Date columns of the derived table (YYYY-MM-DD), read as day numbers: through a dictionary, the
 * client rebuilt the hundreds of dates of the dictionary for every chunk of 2,048 rows.
 */
const DATE_FIELDS = new Set<string>(["admit_date", "discharge_date"]);

/** SQL for an episode's tier: from the tier column, or the score by the cut points; none without a rating. */
function tierSql(study: Study, cuts: number[]): string {
  const { by, method, labels } = study.tiers;
  const expr = method === "column" ? "tier_text" : cuts.length ? tierCase(by, cuts, labels) : "NULL";
  return `CASE WHEN early_alliance IS NULL THEN NULL ELSE ${expr} END`;
}

/** Sets `tier` from sample quantiles of the tier score (tiers.quantiles); returns the cut points computed. */
async function assignTiers(db: Db, study: Study): Promise<number[]> {
  const { by } = study.tiers;
  const k = study.tiers.quantiles!;
  const probs = Array.from({ length: k - 1 }, (_, i) => (i + 1) / k);
  const [row] = await queryRows<{ q: number[] | null }>(
    db,
    `SELECT quantile_cont(${by}, [${probs.join(", ")}]) AS q FROM ${DERIVED_TABLE} WHERE early_alliance IS NOT NULL`,
  );
  const cuts = row?.q ?? [];
  // A new table rather than UPDATE: DuckDB rewrites a table faster than it updates every row of it.
  await db.run(
    `CREATE OR REPLACE TABLE ${DERIVED_TABLE} AS SELECT * REPLACE (${tierSql(study, cuts)} AS tier) FROM ${DERIVED_TABLE} ORDER BY src_row`,
  );
  return cuts;
}

/**
 * Writes the derived table as CSV (row-level; for the internal folder only), on a connection of its
 * own so that the first connection can read the episodes meanwhile.
 */
async function writeDerivedCsv(db: Db, path: string): Promise<void> {
  const second = await secondConnection(db);
  try {
    // In src_row order: the table's own order (derive writes it so, and insertion order is kept).
    await second.run(
      `COPY (SELECT * EXCLUDE (src_row) FROM ${DERIVED_TABLE}) TO ${sqlString(path)} (HEADER, DELIMITER ',')`,
    );
  } finally {
    second.closeSync();
  }
}
