/**
 * Phase 2, validate: applies every rule of the catalogue to the typed relations read handed on, and
 * either stops with every error named by file, row and column, or counts the records that warnings
 * exclude, each with its reason, so derive can leave them out and the report can count them.
 *
 * Episodes (a million at most) are checked in a table of their own (t_episodes). Sessions (ten
 * million) are checked as they are read: one aggregate pass over the sessions, each joined to the
 * episode it belongs to (by episode id, or as the client's episode whose time it falls in), counts
 * every rule and summarises the sessions each episode keeps (v_session_agg, for derive). A second
 * session on the same client and day is found without sorting ten million rows: each episode's
 * kept days are marked in a 64-bit map (day mod 64); an episode whose map has fewer bits than days is
 * recounted exactly, from its own sessions in file order, the first row of a day kept. Failing rows
 * are listed (a further pass) only where a rule failed and the listing is wanted.
 * Artifact: 02-validation.json.
 */
import { basename } from "node:path";
import type { Study } from "../../config/study.ts";
import { columnMapping, linksByKey, slotColumn, type TableRole } from "../../config/columns.ts";
import { type Db, queryRows, sqlString } from "../../db.ts";
import { fail, ok, type Problem, type Result } from "../../problem.ts";
import { SILENT, type Progress } from "../../progress.ts";
import { subscaleSql, totalSql } from "../../instruments/score-sql.ts";
import { dropTablesOf, TABLES } from "../tables.ts";
import {
  cellsOf,
  componentScoreRules,
  itemScoreRules,
  RULES,
  ruleValue,
  warningRules,
  type Cells,
  type Rule,
  type Severity,
} from "./validation-rules.ts";
import { type Finding, type RuleCount, type ValidationOutput } from "../handoff.ts";
export type { Finding, RuleCount, ValidationOutput };

/** Failing rows listed per rule; the count is always complete. */
export const MAX_LISTED_PER_RULE = 200;

/** What validate needs of read's output: which fields were typed from text in SQL (their text kept as `<field>_text`), and the rows the reader could not read. */
export interface ReadFacts {
  textBacked: Record<TableRole, string[]>;
  /** Errors as they are, reported with validate's own. */
  unreadable: Problem[];
}

/** Text fields of each relation (kept as `<field>_text`, as the rules name them). */
const TEXT_FIELDS: Record<TableRole, string[]> = {
  episodes: ["client_id", "site", "therapist_id", "discharge_reason", "tier"],
  sessions: ["client_id", "therapist_id"],
};

const cellsFor = (read: ReadFacts, role: TableRole): Cells => cellsOf([...TEXT_FIELDS[role], ...read.textBacked[role]]);

/** The rules that apply to a study: the catalogue, then range checks of its items and components. */
export const studyRules = (study: Study): Rule[] => [...RULES, ...itemScoreRules(study), ...componentScoreRules(study)];

/** Rules counted and listed apart from the one pass (they compare a session with others). */
const APART = new Set(["W_SESSION_DUPLICATE", "N_THERAPIST_CHANGED"]);

export interface ValidateOptions {
  /** Failing rows listed per rule (the count is always complete). */
  maxListed?: number;
  /** List the rows of warnings and notes too (alliance validate, kept working files); errors are always listed. */
  listAll?: boolean;
  progress?: Progress;
  /**
   * Keep the episodes as read (r_episodes) until derive: a quarterly batch deletes a failing site's
   * records from them and validates again. Otherwise validate drops them once it has typed them
   * (t_episodes holds every column): at a million episodes they were 120 MB at the run's peak.
   */
  keepEpisodes?: boolean;
}

/**
 * Applies every rule. Errors stop the run (the result lists each); otherwise warnings exclude their
 * records and the output carries their counts (and, when asked, their rows).
 */
export async function validate(
  db: Db,
  study: Study,
  read: ReadFacts,
  options: ValidateOptions = {},
): Promise<Result<ValidationOutput>> {
  const { counts, findings, excluded } = await checkRules(db, study, read, options);
  const errors = findings.filter((f) => f.severity === "error");
  if (errors.length) return fail(...errors);
  return ok({ counts, findings, excluded });
}

/** Every rule's count and its listed findings, without stopping at errors (for `alliance validate`). */
export async function checkRules(
  db: Db,
  study: Study,
  read: ReadFacts,
  options: ValidateOptions = {},
): Promise<ValidationOutput> {
  const { maxListed = MAX_LISTED_PER_RULE, listAll = false, progress = SILENT } = options;
  progress.begin("validate", () => Number(db.progress.rows_processed));
  const cells = { episodes: cellsFor(read, "episodes"), sessions: cellsFor(read, "sessions") };
  await buildEpisodes(db, study, read, cells.episodes);
  await buildLinks(db, study);
  if (!options.keepEpisodes) await dropTablesOf(db, "validate");
  const rules = studyRules(study);
  const n = new Map<Rule, number>();
  // Episodes: one scan of their table.
  const episodeRules = rules.filter((r) => r.table === "episodes");
  const [erow] = await queryRows<Record<string, number>>(
    db,
    `SELECT ${episodeRules.map((r, i) => `count(*) FILTER (WHERE ${r.when(study, cells.episodes)})::INTEGER AS r${i}`).join(", ")} FROM ${TABLES.typedEpisodes.name}`,
  );
  episodeRules.forEach((r, i) => n.set(r, erow![`r${i}`]!));
  const wanted = (r: Rule) => (n.get(r) ?? 0) > 0 && (listAll || r.severity === "error");
  // The episodes' findings are listed before the sessions' pass, the run's peak of memory: the
  // columns only their rules read are then dropped.
  const episodeFindings = await listFindings(db, study, read, episodeRules.filter(wanted), "episodes", maxListed);
  await db.run(RULES_ONLY.map((c) => `ALTER TABLE ${TABLES.typedEpisodeRows.name} DROP COLUMN ${c}`).join("; "));
  // Sessions: one pass, then the exact recount of episodes with a day twice.
  const sessionRules = rules.filter((r) => r.table === "sessions");
  const sessions = await summariseSessions(db, study, read, sessionRules, cells.sessions);
  for (const [r, k] of sessions.counts) n.set(r, k);

  const counts: RuleCount[] = [];
  const findings: Finding[] = read.unreadable.map((p) => ({ ...p, severity: "error" as const }));
  for (const rule of rules) {
    const k = n.get(rule) ?? 0;
    if (k === 0) continue;
    counts.push({
      code: rule.code,
      severity: rule.severity,
      table: rule.table,
      column: userColumn(study, rule, null),
      n: k,
      ...(rule.reason ? { reason: rule.reason } : {}),
    });
  }
  const listed = sessionRules.filter(wanted);
  findings.push(...episodeFindings);
  findings.push(
    ...(await listFindings(
      db,
      study,
      read,
      listed.filter((r) => r.table === "sessions" && !APART.has(r.code)),
      "sessions",
      maxListed,
    )),
  );
  for (const r of listed.filter((x) => APART.has(x.code)))
    findings.push(...(await listApart(db, study, read, r, maxListed)));
  const excluded = {
    episodes: warningRules("episodes")
      .map((r) => ({ code: r.code, reason: r.reason!, n: n.get(r) ?? 0 }))
      .filter((x) => x.n > 0),
    sessions: warningRules("sessions")
      .map((r) => ({ code: r.code, reason: r.reason!, n: sessions.excluded.get(r.code) ?? 0 }))
      .filter((x) => x.n > 0),
  };
  progress.end("validate", `${counts.reduce((a, c) => a + c.n, 0).toLocaleString("en-US")} findings`);
  return { counts, findings, excluded };
}

/**
 * t_episodes: the episodes as the rules read them, with what finding a client's repeated or
 * overlapping episodes needs (the first row of each client and id, and each episode's previous
 * one), and the warning that excludes an episode, if any (excluded_code).
 */
async function buildEpisodes(db: Db, study: Study, read: ReadFacts, cells: Cells): Promise<void> {
  // Episodes of one client are told apart by their id, else by their admission date.
  const episodeIdentity =
    study.layout === "tables" && study.columns.episodes.episode_id === undefined ? "admit_date" : "episode_key";
  const backed = read.textBacked.episodes.map((f) => `, ${f}_text`).join("");
  const empty = await emptyEpisodeColumns(db, study);
  await db.run(`
    CREATE OR REPLACE TABLE ${TABLES.typedEpisodeRows.name} AS
    SELECT *${empty.length ? ` EXCLUDE (${empty.map(([c]) => c).join(", ")})` : ""}, ${excludedCode(study, cells)} AS excluded_code FROM (
    WITH e AS (
      SELECT src_row, src_slot, client_id AS client_id_text, site AS site_text, therapist_id AS therapist_id_text,
             discharge_reason AS discharge_reason_text, ${study.tiers.column !== null ? "tier" : "NULL::VARCHAR"} AS tier_text,
             episode_key, conflict_row, admit_date, discharge_date${backed}
      FROM ${TABLES.episodes.name}),
    -- The first row of each client and id (a hash aggregate, not a window over every episode).
    firsts AS (
      SELECT client_id_text, ${episodeIdentity} AS identity, min(src_row) AS first_row FROM e GROUP BY ALL),
    -- Each episode's previous one by admission: only clients with several rows have one, so only they
    -- are sorted (rows without a client id are one group, as in a window's partition).
    several AS (SELECT client_id_text FROM e GROUP BY 1 HAVING count(*) > 1),
    previous AS (
      SELECT src_row, lag(discharge_date) OVER w AS previous_discharge, lag(src_row) OVER w AS previous_row
      FROM e WHERE client_id_text IS NULL OR client_id_text IN (SELECT client_id_text FROM several)
      WINDOW w AS (PARTITION BY client_id_text ORDER BY admit_date, src_row))
    SELECT e.*, e.src_row <> f.first_row AS id_repeated, f.first_row, p.previous_discharge, p.previous_row
    FROM e
    JOIN firsts f ON f.client_id_text IS NOT DISTINCT FROM e.client_id_text AND f.identity IS NOT DISTINCT FROM e.${episodeIdentity}
    LEFT JOIN previous p ON p.src_row = e.src_row)`);
  await db.run(
    `CREATE OR REPLACE VIEW ${TABLES.typedEpisodes.name} AS SELECT *${empty.map(([c, type]) => `, NULL::${type} AS ${c}`).join("")} FROM ${TABLES.typedEpisodeRows.name}`,
  );
}

/**
 * Columns of t_episodes that only the episodes' rules read (a client's repeated or overlapping
 * episodes): dropped once they are counted and listed. At a million episodes they were 20 MB.
 */
const RULES_ONLY = ["id_repeated", "first_row", "previous_discharge", "previous_row"];

/** Columns of t_episodes that may be null on every record, with their types. */
const MAYBE_EMPTY: [column: string, type: string][] = [
  ["src_slot", "INTEGER"],
  ["episode_key", "VARCHAR"],
  ["conflict_row", "INTEGER"],
  ["tier_text", "VARCHAR"],
];

/**
 * The columns of t_episodes that are null on every record: the slot outside the wide layout, the
 * conflicting row in a CSV, the episode id without its column, the tier without a tier column.
 * Stored, they took 40 MB of a million episodes, beside validate's largest query; the view adds them.
 */
async function emptyEpisodeColumns(db: Db, study: Study): Promise<[string, string][]> {
  const source = (c: string) => (c === "tier_text" ? (study.tiers.column !== null ? "tier" : null) : c);
  const counted = MAYBE_EMPTY.filter(([c]) => source(c) !== null);
  const [row] = await queryRows<Record<string, number>>(
    db,
    `SELECT ${counted.map(([c]) => `count(${source(c)})::INTEGER AS ${c}`).join(", ")} FROM ${TABLES.episodes.name}`,
  );
  return MAYBE_EMPTY.filter(([c]) => source(c) === null || row![c] === 0);
}

/**
 * v_links: the episode each session belongs to. By key: the client's episode with that id. By date:
 * the client's episode whose time the session falls in, from its admission to the next one's
 * (a client's first episode from the beginning of time: a session before every admission is the
 * first episode's, and a client with one episode has all its sessions in it, even when its admission
 * date is missing or unreadable, so that an error in it is tied to the episode's site).
 */
async function buildLinks(db: Db, study: Study): Promise<void> {
  const e = `(SELECT * FROM ${TABLES.typedEpisodes.name} WHERE NOT id_repeated)`;
  // The episode's therapist only when the sessions name one too (the rule that compares them).
  const fields = `src_row AS ep, client_id_text AS client_id, admit_date, discharge_date${study.columns.sessions.therapist_id !== undefined ? ", therapist_id_text AS episode_therapist" : ""}`;
  if (linksByKey(study)) {
    await db.run(`CREATE OR REPLACE TEMP TABLE ${TABLES.links.name} AS SELECT ${fields}, episode_key FROM ${e}`);
    return;
  }
  await db.run(`
    CREATE OR REPLACE TEMP TABLE ${TABLES.links.name} AS
    SELECT ${fields},
           CASE WHEN lag(src_row) OVER w IS NULL THEN DATE '0001-01-01' ELSE admit_date END AS from_date,
           coalesce(lead(admit_date) OVER w, DATE '9999-12-31') AS to_date
    FROM ${e}
    WINDOW w AS (PARTITION BY client_id_text ORDER BY admit_date NULLS LAST, src_row)`);
}

/** How sessions join the episode links (v_links) they belong to. */
function linkJoin(study: Study): string {
  return linksByKey(study)
    ? `LEFT JOIN ${TABLES.links.name} l ON l.client_id = s.client_id AND l.episode_key = s.episode_key`
    : `LEFT JOIN ${TABLES.links.name} l ON l.client_id = s.client_id AND s.session_date >= l.from_date AND s.session_date < l.to_date`;
}

/**
 * Each session's row and the row of the episode validate linked it to (for the quarterly batch, which
 * sets aside the sites whose records fail). Valid after validate has run.
 */
export const sessionEpisodeRows = (study: Study): string =>
  `(SELECT s.src_row, l.ep AS episode_row FROM ${TABLES.sessions.name} s ${linkJoin(study)})`;

/**
 * The sessions joined to their episodes and scored (alliance from items, subscales), as the rules
 * read them: a relation to select from, valid after validate has run.
 */
export function linkedSessions(study: Study, read: ReadFacts, sessionsWhere = ""): string {
  const items = study.itemScoring;
  const fromItems = study.allianceComponents.filter((c) => c.column === null);
  const subscales = items ? subscaleSql(items) : {};
  const score = items ? `${totalSql(items)} AS alliance, ` : "";
  const join = linkJoin(study);
  const therapist = study.columns.sessions.therapist_id !== undefined ? "s.therapist_id" : "NULL::VARCHAR";
  const replaced = [
    "client_id",
    ...(items && study.columns.sessions.alliance !== undefined ? ["alliance"] : []),
    ...(study.columns.sessions.therapist_id !== undefined ? ["therapist_id"] : []),
  ];
  return `(SELECT s.* EXCLUDE (${replaced.join(", ")}),
      s.client_id AS client_id_text, ${therapist} AS therapist_id_text, ${score}
      ${fromItems.map((c) => `${subscales[c.name]} AS ${c.key}, `).join("")}
      l.ep AS episode_row, l.admit_date AS episode_admit, l.discharge_date AS episode_discharge, ${study.columns.sessions.therapist_id !== undefined ? "l.episode_therapist" : "NULL::VARCHAR AS episode_therapist"}
    FROM ${TABLES.sessions.name} s ${join}${sessionsWhere ? ` WHERE ${sessionsWhere}` : ""})`;
}

/** The sessions among which a day is there twice: an episode's, or (linked to none) a client's. */
const DUPLICATE_GROUP = "episode_row, CASE WHEN episode_row IS NULL THEN client_id_text END, session_date";

/** SQL: a rule's condition as TRUE or FALSE (a comparison with a missing date is NULL: the rule does not apply). */
const holds = (when: string): string => `coalesce((${when}), FALSE)`;

/**
 * The passes over the sessions: one for every session rule's count (but the two counted apart) and
 * the exclusions by their first warning; one for the summary of each episode's kept sessions
 * (v_session_agg); then the exact recount of the episodes with a day twice. Returns the counts by
 * rule, and the sessions each warning is the first warning of, by its code.
 */
/** What the sessions' pass counts and aggregates: each rule as a flag, and the per-episode summary's SQL. */
function sessionPlan(study: Study, read: ReadFacts, rules: Rule[], cells: Cells) {
  const counted = rules.filter((r) => !APART.has(r.code));
  const warnings = warningRules("sessions").filter((r) => !APART.has(r.code));
  const dup = warningRules("sessions").find((r) => r.code === "W_SESSION_DUPLICATE")!;
  const changed = rules.find((r) => r.code === "N_THERAPIST_CHANGED");
  const tracksTherapist = study.columns.sessions.therapist_id !== undefined;
  const scores = ["alliance", ...study.allianceComponents.map((c) => c.key)];
  const window = study.earlyWindow;
  // The day mod 64 (`& 63` is the remainder in [0, 64) for days before 2000 too).
  const dayBit = "1::UBIGINT << ((session_date - DATE '2000-01-01') & 63)";
  const aggregates = (k: string) => [
    `count(*) FILTER (WHERE ${k}) AS n_kept`,
    `max(session_date) FILTER (WHERE ${k}) AS last_session`,
    `avg(alliance) FILTER (WHERE ${k}) AS mean_alliance`,
    `arg_max(alliance, session_date) FILTER (WHERE ${k} AND alliance IS NOT NULL) AS last_alliance`,
    `arg_min(outcome, session_date) FILTER (WHERE ${k} AND outcome IS NOT NULL) AS outcome_first`,
    `arg_max(outcome, session_date) FILTER (WHERE ${k} AND outcome IS NOT NULL) AS outcome_last`,
    `count(outcome) FILTER (WHERE ${k}) AS outcome_n`,
    ...scores.map(
      (sc) => `arg_min(${sc}, session_date, ${window}) FILTER (WHERE ${k} AND ${sc} IS NOT NULL) AS early_${sc}`,
    ),
  ];
  // Each rule's condition is computed once per session, as a flag (c<i>, a warning's among them)
  // that the aggregates count; a session is kept when no warning's flag is set.
  const conditions = counted.map((r) => r.when(study, cells));
  const flag = (r: Rule) => `c${counted.indexOf(r)}`;
  const kept = warnings.length ? `NOT (${warnings.map(flag).join(" OR ")})` : "TRUE";
  const flagged = (sessionsWhere = "") =>
    `(SELECT *, ${conditions.map((c, i) => `${holds(c)} AS c${i}`).join(", ")}, ${kept} AS kept FROM ${linkedSessions(study, read, sessionsWhere)})`;
  const ruleCols = [
    ...conditions.map((c, i) => (c === "FALSE" ? `0::BIGINT AS r${i}` : `count(*) FILTER (WHERE c${i}) AS r${i}`)),
    ...warnings.map(
      (r, i) =>
        `count(*) FILTER (WHERE ${flag(r)}${i ? ` AND NOT (${warnings.slice(0, i).map(flag).join(" OR ")})` : ""}) AS x${i}`,
    ),
  ];
  return { counted, warnings, dup, changed, tracksTherapist, scores, dayBit, aggregates, flagged, ruleCols };
}

type SessionPlan = ReturnType<typeof sessionPlan>;

/**
 * The summary of each episode's kept sessions (v_session_agg): from the pass, or, for the episodes
 * that may have a day twice, recounted from their sessions in file order.
 */
async function writeSessionSummary(db: Db, { scores, aggregates, flagged }: SessionPlan, twice: number): Promise<void> {
  const summary = [
    "n_kept AS n_sessions",
    "last_session",
    "mean_alliance",
    "last_alliance",
    "outcome_first",
    "outcome_last",
    "outcome_n",
    ...scores.map((sc) => `early_${sc}`),
  ];
  if (twice > 0) {
    // Only the sessions of those episodes' clients are joined again (all, when some are linked to none).
    const [{ unlinked }] = (await queryRows<{ unlinked: boolean }>(
      db,
      "SELECT bool_or(ep IS NULL) AS unlinked FROM v_twice",
    )) as [{ unlinked: boolean }];
    await db.run(`
      CREATE OR REPLACE TEMP TABLE v_recount AS
      SELECT episode_row AS ep, ${aggregates("kept AND NOT duplicate").join(", ")},
             count(*) FILTER (WHERE duplicate) AS duplicates, count(*) FILTER (WHERE duplicate AND kept) AS duplicates_kept
      FROM (SELECT *, session_date IS NOT NULL AND row_number() OVER (PARTITION BY ${DUPLICATE_GROUP} ORDER BY src_row, src_slot) > 1 AS duplicate
            FROM ${flagged(unlinked ? "" : `s.client_id IN (SELECT l.client_id FROM ${TABLES.links.name} l JOIN v_twice t ON t.ep = l.ep)`)} WHERE episode_row IN (SELECT ep FROM v_twice) OR episode_row IS NULL)
      GROUP BY episode_row`);
  }
  await db.run(`
    CREATE OR REPLACE TABLE ${TABLES.sessionSummary.name} AS
    SELECT ${summary.map((c) => `p.${c}`).join(", ")}, p.ep FROM v_pass p WHERE p.ep IS NOT NULL${twice > 0 ? " AND p.ep NOT IN (SELECT ep FROM v_twice WHERE ep IS NOT NULL)" : ""}
    ${twice > 0 ? `UNION ALL SELECT ${summary.map((c) => `r.${c}`).join(", ")}, r.ep FROM v_recount r WHERE r.ep IS NOT NULL` : ""}`);
}

/**
 * Each episode's kept sessions (v_course), for derive's session-level work: a second scan of the
 * sessions, and for the episodes that may have a day twice, the first row of each day in file order
 * (as the summary's recount keeps it).
 */
async function writeSessionCourse(db: Db, { flagged }: SessionPlan, twice: number): Promise<void> {
  const cols = "episode_row AS ep, session_date, alliance, outcome";
  const linked = "episode_row IS NOT NULL";
  await db.run(`
    CREATE OR REPLACE TABLE ${TABLES.course.name} AS
    SELECT ${cols} FROM ${flagged()} WHERE kept AND ${linked}${twice > 0 ? ` AND episode_row NOT IN (SELECT ep FROM v_twice WHERE ep IS NOT NULL)` : ""}
    ${
      twice > 0
        ? `UNION ALL SELECT ep, session_date, alliance, outcome FROM (
             SELECT ${cols}, kept, session_date IS NOT NULL AND row_number() OVER (PARTITION BY episode_row, session_date ORDER BY src_row, src_slot) > 1 AS duplicate
             FROM ${flagged()} WHERE episode_row IN (SELECT ep FROM v_twice WHERE ep IS NOT NULL))
           WHERE kept AND NOT duplicate`
        : ""
    }`);
}

/** Each rule's count and each warning's exclusions, from the pass's totals and the recount's duplicates. */
async function ruleCounts(
  db: Db,
  { counted, warnings, dup, changed, tracksTherapist }: SessionPlan,
  t: Record<string, number | bigint>,
  twice: number,
): Promise<{ counts: Map<Rule, number>; excluded: Map<string, number> }> {
  const [{ changedEpisodes }] = tracksTherapist
    ? ((await queryRows<{ changedEpisodes: number }>(
        db,
        `SELECT count(*) FILTER (WHERE changed)::DOUBLE AS changedEpisodes FROM v_pass`,
      )) as [{ changedEpisodes: number }])
    : [{ changedEpisodes: 0 }];
  const out = new Map<Rule, number>();
  const excluded = new Map<string, number>();
  counted.forEach((r, i) => out.set(r, Number(t[`r${i}`] ?? 0)));
  warnings.forEach((r, i) => excluded.set(r.code, Number(t[`x${i}`] ?? 0)));
  const [d] =
    twice > 0
      ? await queryRows<{ all: number; kept: number }>(
          db,
          "SELECT coalesce(sum(duplicates), 0)::DOUBLE AS all, coalesce(sum(duplicates_kept), 0)::DOUBLE AS kept FROM v_recount",
        )
      : [{ all: 0, kept: 0 }];
  out.set(dup, Number(d!.all));
  excluded.set(dup.code, Number(d!.kept));
  if (changed) out.set(changed, Number(changedEpisodes));
  await db.run("DROP TABLE v_pass; DROP TABLE v_twice" + (twice > 0 ? "; DROP TABLE v_recount" : ""));
  return { counts: out, excluded };
}

async function summariseSessions(
  db: Db,
  study: Study,
  read: ReadFacts,
  rules: Rule[],
  cells: Cells,
): Promise<{ counts: Map<Rule, number>; excluded: Map<string, number> }> {
  const plan = sessionPlan(study, read, rules, cells);
  const { tracksTherapist, dayBit, aggregates, flagged, ruleCols } = plan;
  // The rules' totals in a pass of their own: counting them per episode costs more than a second scan.
  const [t] = (await queryRows<Record<string, number | bigint>>(
    db,
    `SELECT ${ruleCols.join(", ")} FROM ${flagged()}`,
  )) as [Record<string, number | bigint>];
  await db.run(`
    CREATE OR REPLACE TEMP TABLE v_pass AS
    SELECT episode_row AS ep, ${[
      // An episode whose sessions name another therapist than its own (noted once, at the first).
      ...(tracksTherapist
        ? ["bool_or(therapist_id_text IS NOT NULL AND therapist_id_text <> episode_therapist) AS changed"]
        : []),
      // Its dated sessions, and the days among them as a 64-bit map: fewer bits than sessions, a day may be there twice.
      "count(session_date)::INTEGER AS n_dated",
      `bit_count(bit_or(${dayBit}))::INTEGER AS day_bits`,
      ...aggregates("kept"),
    ].join(",\n      ")}
    FROM ${flagged()} GROUP BY episode_row`);
  // Episodes whose sessions may have a day twice (a few without are recounted too, when two days
  // are 64 days apart), and the sessions linked to no episode (one group here; by client there):
  // recounted from their sessions in file order. A session is a duplicate when an earlier row of its
  // episode (unlinked: of its client) has its day; it is excluded if no earlier warning excludes it.
  await db.run(`CREATE OR REPLACE TEMP TABLE v_twice AS SELECT ep FROM v_pass WHERE ep IS NULL OR day_bits < n_dated`);
  const [{ twice }] = (await queryRows<{ twice: number }>(db, "SELECT count(*)::INTEGER AS twice FROM v_twice")) as [
    { twice: number },
  ];
  await writeSessionSummary(db, plan, twice);
  if (study.dynamics.enabled) await writeSessionCourse(db, plan, twice);
  return ruleCounts(db, plan, t, twice);
}

/**
 * SQL: an episode's excluded_code, the first warning rule (in order) that applies, or NULL. An ENUM
 * of the episodes' warning codes, stored in a byte: as text it took 16 MB of a million episodes.
 */
function excludedCode(study: Study, cells: Cells): string {
  const rules = warningRules("episodes");
  if (!rules.length) return "NULL::VARCHAR";
  return `(CASE ${rules.map((r) => `WHEN ${r.when(study, cells)} THEN ${sqlString(r.code)}`).join(" ")} END)::ENUM(${rules.map((r) => sqlString(r.code)).join(", ")})`;
}

/** The first failing rows of some rules of one table, in one scan (sessions: one pass over them). */
async function listFindings(
  db: Db,
  study: Study,
  read: ReadFacts,
  rules: Rule[],
  role: TableRole,
  maxListed: number,
): Promise<Finding[]> {
  if (!rules.length) return [];
  const cells = cellsFor(read, role);
  const from = role === "episodes" ? TABLES.typedEpisodes.name : linkedSessions(study, read);
  // Every row a rule applies to, as its count has them (a row may be listed under several warnings).
  const flags = rules.map((r, i) => `(${r.when(study, cells)}) AS f${i}, (${ruleValue(r, cells)})::VARCHAR AS v${i}`);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    `
    SELECT * FROM (SELECT src_row::INTEGER AS src_row, src_slot::INTEGER AS src_slot, ${flags.join(", ")} FROM ${from})
    WHERE ${rules.map((_, i) => `f${i}`).join(" OR ")} ORDER BY src_row, src_slot`,
  );
  const out: Finding[] = [];
  rules.forEach((rule, i) => {
    let listed = 0;
    for (const row of rows) {
      if (!row[`f${i}`] || listed >= maxListed) continue;
      listed++;
      out.push(
        finding(
          study,
          rule,
          row.src_row as number,
          row.src_slot as number | null,
          (row[`v${i}`] as string | null) ?? "",
        ),
      );
    }
  });
  return out;
}

/** The rows of the two rules that compare sessions: a day's second row, and an episode's first session with another therapist. */
async function listApart(db: Db, study: Study, read: ReadFacts, rule: Rule, maxListed: number): Promise<Finding[]> {
  const sql =
    rule.code === "W_SESSION_DUPLICATE"
      ? `SELECT src_row, src_slot, first_row::VARCHAR AS value FROM (
           SELECT src_row, src_slot, min(src_row) OVER (PARTITION BY ${DUPLICATE_GROUP}) AS first_row,
                  row_number() OVER (PARTITION BY ${DUPLICATE_GROUP} ORDER BY src_row, src_slot) AS k
           FROM ${linkedSessions(study, read)} WHERE session_date IS NOT NULL)
         WHERE k > 1 ORDER BY src_row, src_slot LIMIT ${maxListed}`
      : `SELECT first.r AS src_row, first.s AS src_slot, first.v AS value FROM (
           SELECT min({'d': coalesce(session_date, DATE '9999-12-31'), 'r': src_row, 's': coalesce(src_slot, 0), 'v': therapist_id_text || ' (the episode has ' || episode_therapist || ')'}) AS first
           FROM ${linkedSessions(study, read)} WHERE therapist_id_text IS NOT NULL AND therapist_id_text <> episode_therapist GROUP BY episode_row)
         ORDER BY 1, 2 LIMIT ${maxListed}`;
  const rows = await queryRows<{ src_row: number; src_slot: number | null; value: string | null }>(db, sql);
  return rows.map((r) =>
    finding(
      study,
      rule,
      Number(r.src_row),
      r.src_slot === null || r.src_slot === 0 ? null : Number(r.src_slot),
      r.value ?? "",
    ),
  );
}

function finding(study: Study, rule: Rule, row: number, slot: number | null, value: string): Finding {
  return {
    severity: rule.severity,
    code: rule.code,
    message: rule.message(value, study),
    where: { file: basename(study.files[rule.table]), row, column: userColumn(study, rule, slot) },
    fix: rule.fix(study),
  };
}

/** The user's column a rule is about (in the wide layout, as its {i} pattern). */
export const ruleColumn = (study: Study, rule: Rule): string =>
  columnMapping(study, rule.table)[rule.field] ?? rule.field;

/** The user's column a rule is about; in the wide layout, the numbered column of the session (slot). */
function userColumn(study: Study, rule: Rule, slot: number | null): string {
  const column = ruleColumn(study, rule);
  return slot === null ? column : slotColumn(column, slot);
}
