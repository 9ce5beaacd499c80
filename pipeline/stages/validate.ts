/**
 * Stage 2, validate: types the ingested text (dates, scores), applies every rule of the
 * catalogue, and either stops with every error named by file, row and column, or marks the
 * records that warnings exclude, each with its reason, so derive can leave them out and the
 * report can count them. Artifact: internal/02-validation.json.
 */
import { basename } from "node:path";
import type { Study } from "../config/study.ts";
import { type Db, queryRows, sqlString } from "../db.ts";
import { slashedDateSql } from "../dates.ts";
import { fail, ok, type Problem, type Result } from "../problem.ts";
import { columnMapping, RAW_TABLE, slotColumn, type TableRole } from "./ingest.ts";
import { componentScoreRules, itemScoreRules, RULES, warningRules, type Rule, type Severity } from "./validation-rules.ts";
import { itemField, subscaleSql, totalSql } from "../instruments/score-sql.ts";

/** Failing rows listed per rule; the count is always complete. */
export const MAX_LISTED_PER_RULE = 200;

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

/**
 * The typed tables validate builds, as read: one row per record, with the episode each session is
 * linked to (episode_row). t_sessions is a view over the table it stores (STORED_TABLE.sessions).
 */
export const TYPED_TABLE: Record<TableRole, string> = { episodes: "t_episodes", sessions: "t_sessions" };

/** Where the typed rows are stored (and updated). */
const STORED_TABLE: Record<TableRole, string> = { episodes: "t_episodes", sessions: "t_sessions_rows" };

/** Drops the typed tables once derive has built the episodes from them: on large studies they hold gigabytes. */
export async function dropTypedTables(db: Db): Promise<void> {
  await db.run(`DROP VIEW IF EXISTS ${TYPED_TABLE.sessions}`);
  for (const table of Object.values(STORED_TABLE)) await db.run(`DROP TABLE IF EXISTS ${table}`);
}

/**
 * SQL reading a date cell under the study's value rules: ISO always (a time after the date is
 * ignored), US or day-first only when declared, Excel serial numbers only when declared.
 */
export function dateSql(col: string, values: Study["values"]): string {
  const cases = [
    // The plain ISO form first, by GLOB: the same test as the regular expression below, at half the cost.
    `WHEN ${col} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN TRY_CAST(${col} AS DATE)`,
    `WHEN regexp_full_match(${col}, '\\d{4}-\\d{2}-\\d{2}([ T][0-9:.]+Z?)?') THEN TRY_CAST(left(${col}, 10) AS DATE)`,
  ];
  const slashed = `regexp_replace(${col}, '[.-]', '/', 'g')`;
  if (values.dateFormat === "us") cases.push(`WHEN ${slashedDateSql(col)} THEN TRY_STRPTIME(${slashed}, '%m/%d/%Y')::DATE`);
  if (values.dateFormat === "day_first") cases.push(`WHEN ${slashedDateSql(col)} THEN TRY_STRPTIME(${slashed}, '%d/%m/%Y')::DATE`);
  if (values.excelSerialDates) cases.push(`WHEN regexp_full_match(${col}, '\\d{4,5}(\\.0+)?') THEN DATE '1899-12-30' + CAST(CAST(${col} AS DOUBLE) AS INTEGER)`);
  return `CASE ${cases.join(" ")} END`;
}

/** SQL reading a score cell as a finite number, with a decimal comma when the study declares one. */
export function numberSql(col: string, values: Study["values"]): string {
  const text = values.decimalMark === "," ? `replace(${col}, ',', '.')` : col;
  return `CASE WHEN isfinite(TRY_CAST(${text} AS DOUBLE)) THEN TRY_CAST(${text} AS DOUBLE) END`;
}

/**
 * Whether sessions carry their episode (an episode id, or the long and wide layouts) or are linked to
 * the client's episode whose time they fall in.
 */
export const linksByKey = (study: Study): boolean => study.layout !== "tables" || study.columns.sessions.episode_id !== undefined;

async function buildTypedTables(db: Db, study: Study): Promise<void> {
  const date = (c: string) => dateSql(c, study.values);
  const num = (c: string) => numberSql(c, study.values);
  const byKey = linksByKey(study);
  // Episodes of one client are told apart by their id, else by their admission date.
  const episodeIdentity = study.layout === "tables" && study.columns.episodes.episode_id === undefined ? "admit_date_text" : "episode_key";
  await db.run(`
    CREATE OR REPLACE TABLE t_episodes AS
    WITH e AS (
      SELECT src_row, src_slot, client_id AS client_id_text, site AS site_text, therapist_id AS therapist_id_text,
             admit_date AS admit_date_text, discharge_date AS discharge_date_text, discharge_reason AS discharge_reason_text,
             ${study.tiers.column !== null ? "tier" : "NULL::VARCHAR"} AS tier_text, episode_key, conflict_row,
             ${date("admit_date")} AS admit_date, ${date("discharge_date")} AS discharge_date
      FROM ${RAW_TABLE.episodes}),
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
    SELECT e.*, e.src_row <> f.first_row AS id_repeated, f.first_row, p.previous_discharge, p.previous_row,
           NULL::VARCHAR AS excluded_code
    FROM e
    JOIN firsts f ON f.client_id_text IS NOT DISTINCT FROM e.client_id_text AND f.identity IS NOT DISTINCT FROM e.${episodeIdentity}
    LEFT JOIN previous p ON p.src_row = e.src_row`);
  await markExcluded(db, study, "episodes");
  const items = study.itemScoring;
  const itemFields = items ? items.columns.map((_, i) => itemField(i + 1)) : [];
  const fromItems = study.allianceComponents.filter((c) => c.column === null);
  // Score cells read from the file: items, and the subscales and raters that have their own column.
  const numericFields = [...itemFields, ...study.allianceComponents.filter((c) => c.column !== null).map((c) => c.key)];
  const subscales = items ? subscaleSql(items) : {};
  // The episode each session belongs to. By key: the episode with the session's client and episode key.
  // By date: a client with one episode has all their sessions in it (a hash join); the sessions of
  // clients with several are linked first, on their own (linkByDate), and joined by row.
  if (!byKey) await linkByDate(db, date("session_date"));
  await findSameDate(db);
  const link = byKey
    ? `LEFT JOIN (SELECT client_id_text, episode_key, ${EPISODE_LINK_FIELDS.join(", ")} FROM t_episodes WHERE NOT id_repeated) e ON e.client_id_text = s.client_id AND e.episode_key = s.episode_key`
    : `LEFT JOIN (SELECT client_id_text, ${EPISODE_LINK_FIELDS.map((c) => `any_value(${c}) AS ${c}`).join(", ")} FROM t_episodes WHERE NOT id_repeated GROUP BY 1 HAVING count(*) = 1) e1
         ON e1.client_id_text = s.client_id
       LEFT JOIN linked_by_date e2 ON e2.src_row = s.src_row AND coalesce(e2.src_slot, 0) = coalesce(s.src_slot, 0)`;
  // Rows are joined by src_row and slot with plain equality: joins on rowid, or with IS NOT DISTINCT
  // FROM, are far slower, as is an UPDATE of the built table.
  const ep = (c: string) => (byKey ? `e.${c}` : `CASE WHEN e1.src_row IS NOT NULL THEN e1.${c} ELSE e2.e_${c} END`);
  const tracksTherapist = study.columns.sessions.therapist_id !== undefined;
  // Written once, with what was found beforehand (links by date, duplicate dates) joined by row; then
  // the few therapist-change and excluded rows are marked by UPDATE. Hash aggregates rather than window
  // functions, and no CTE read several times: on 10 million sessions each made this step several times
  // slower. A score's text is kept only where the cell fails (not a number, or out of range), for the
  // message, in one map column (failing_text); columns that are empty in the study's layout (the slot
  // outside the wide layout; the therapist columns when sessions do not name one) are not stored. The
  // view t_sessions gives each of these as a column. On 10 million sessions a stored column costs about 90 MB.
  const rangeRules = studyRules(study).filter((r) => r.code === "E_SCORE_OUT_OF_RANGE");
  const failing = (f: string) => rangeRules.find((r) => r.field === f)?.when(study) ?? "FALSE";
  const texts = ["alliance", "outcome", ...numericFields];
  const kept = (f: string) => `(${f}_text IS NOT NULL AND (${f} IS NULL OR (${failing(f)})))`;
  const failingText = `CASE WHEN ${texts.map(kept).join(" OR ")} THEN map_from_entries(list_filter([${texts.map((f) => `(${sqlString(f)}, CASE WHEN ${kept(f)} THEN ${f}_text END)`).join(", ")}], e -> e[2] IS NOT NULL)) END AS failing_text`;
  const slotted = study.layout === "wide";
  const textColumns = [...texts, ...fromItems.map((c) => c.key)].map((f) => `${f}_text`);
  const unstored = [...textColumns, ...(slotted ? [] : ["src_slot"]), ...(tracksTherapist ? [] : ["therapist_id_text", "episode_therapist"])];
  await db.run(`
    CREATE OR REPLACE TABLE ${STORED_TABLE.sessions} AS
    SELECT * EXCLUDE (${unstored.join(", ")}), ${failingText} FROM (
    WITH s AS (
      SELECT src_row, src_slot, client_id, episode_key, session_date,
             ${study.itemScoring ? "NULL::VARCHAR" : "alliance"} AS alliance, outcome,
             ${tracksTherapist ? "therapist_id" : "NULL::VARCHAR"} AS therapist_id,
             ${date("session_date")} AS session_date_typed,
             ${numericFields.map((f) => `${f} AS ${f}_text, ${num(f)} AS ${f}`).join(", ") || "NULL AS no_items"}
      FROM ${RAW_TABLE.sessions}),
    scored AS (
      SELECT *, ${items ? totalSql(items) : num("alliance")} AS alliance_score${fromItems.map((c) => `, ${subscales[c.name]} AS ${c.key}`).join("")}
      FROM s)
    SELECT s.src_row, s.src_slot,
           s.client_id AS client_id_text, s.session_date AS session_date_text,
           s.alliance AS alliance_text, s.outcome AS outcome_text, s.therapist_id AS therapist_id_text,
           s.session_date_typed AS session_date,
           s.alliance_score AS alliance, ${num("s.outcome")} AS outcome,
           ${numericFields.map((f) => `s.${f}_text, s.${f},`).join("\n           ")}
           ${fromItems.map((c) => `NULL::VARCHAR AS ${c.key}_text, s.${c.key},`).join("\n           ")}
           ${ep("src_row")} AS episode_row, ${ep("admit_date")} AS episode_admit, ${ep("discharge_date")} AS episode_discharge, ${ep("therapist_id_text")} AS episode_therapist,
           d.first_row, FALSE AS therapist_changed
    FROM scored s ${link}
    LEFT JOIN same_date_later d ON d.src_row = s.src_row AND coalesce(d.src_slot, 0) = coalesce(s.src_slot, 0))`);
  await db.run(`DROP TABLE same_date_later${byKey ? "" : "; DROP TABLE linked_by_date"}`);
  const asRead = [
    ...textColumns.map((c) => `map_extract_value(failing_text, ${sqlString(c.slice(0, -"_text".length))})::VARCHAR AS ${c}`),
    ...(slotted ? [] : ["NULL::INTEGER AS src_slot"]),
    ...(tracksTherapist ? [] : ["NULL::VARCHAR AS therapist_id_text", "NULL::VARCHAR AS episode_therapist"]),
  ];
  await db.run(`ALTER TABLE ${STORED_TABLE.sessions} ADD COLUMN excluded_code VARCHAR`);
  await db.run(`CREATE OR REPLACE VIEW ${TYPED_TABLE.sessions} AS SELECT * EXCLUDE (failing_text), ${asRead.join(", ")} FROM ${STORED_TABLE.sessions}`);
  if (tracksTherapist) {
    const order = "{'d': coalesce(session_date, DATE '9999-12-31'), 'r': src_row, 's': coalesce(src_slot, 0)}";
    await db.run(`
      WITH changed AS (
        SELECT min(${order}) AS first FROM ${TYPED_TABLE.sessions}
        WHERE therapist_id_text IS NOT NULL AND therapist_id_text <> episode_therapist GROUP BY episode_row)
      UPDATE ${STORED_TABLE.sessions} t SET therapist_changed = TRUE
      FROM changed c WHERE t.src_row = c.first.r${slotted ? " AND coalesce(t.src_slot, 0) = c.first.s" : ""}`);
  }
  await markExcluded(db, study, "sessions");
}

/** The episode's fields each session carries once linked (as episode_row, episode_admit, …). */
const EPISODE_LINK_FIELDS = ["src_row", "admit_date", "discharge_date", "therapist_id_text"];

/**
 * Finds, into the temporary table same_date_later, each session on the same date as an earlier row of
 * the same client, with that row (first_row). Candidates by a 64-bit hash first (a fast aggregate over
 * every session), then compared exactly.
 */
async function findSameDate(db: Db): Promise<void> {
  await db.run(`
    CREATE OR REPLACE TEMP TABLE same_date_candidates AS
    SELECT src_row, src_slot, client_id, session_date FROM ${RAW_TABLE.sessions}
    WHERE hash(client_id, session_date) IN (SELECT hash(client_id, session_date) FROM ${RAW_TABLE.sessions} GROUP BY 1 HAVING count(*) > 1)`);
  await db.run(`
    CREATE OR REPLACE TEMP TABLE same_date_later AS
    WITH same_date AS (
      SELECT client_id, session_date, min({'r': src_row, 's': coalesce(src_slot, 0)}) AS first
      FROM same_date_candidates GROUP BY ALL HAVING count(*) > 1)
    SELECT c.src_row, c.src_slot, d.first.r AS first_row
    FROM same_date_candidates c JOIN same_date d
      ON d.client_id IS NOT DISTINCT FROM c.client_id AND d.session_date IS NOT DISTINCT FROM c.session_date
    WHERE d.first <> {'r': c.src_row, 's': coalesce(c.src_slot, 0)}`);
  await db.run("DROP TABLE same_date_candidates");
}

/**
 * Links the sessions of clients with several episodes, into the temporary table linked_by_date: to the
 * latest episode admitted on or before the session (an ASOF join, which sorts, so only these sessions go
 * through it), else, for a session before every admission, to the client's first episode.
 */
async function linkByDate(db: Db, sessionDate: string): Promise<void> {
  await db.run(`
    CREATE OR REPLACE TEMP TABLE linked_by_date AS
    WITH episodes AS (SELECT client_id_text, ${EPISODE_LINK_FIELDS.join(", ")} FROM t_episodes WHERE NOT id_repeated),
    several AS (SELECT client_id_text FROM episodes GROUP BY 1 HAVING count(*) > 1),
    s AS (SELECT src_row, src_slot, client_id, ${sessionDate} AS session_date FROM ${RAW_TABLE.sessions} WHERE client_id IN (SELECT client_id_text FROM several))
    SELECT s.src_row, s.src_slot,
           ${EPISODE_LINK_FIELDS.map((c) => `CASE WHEN ea.src_row IS NOT NULL THEN ea.${c} ELSE ef.${c} END AS e_${c}`).join(", ")}
    FROM s
    ASOF LEFT JOIN (SELECT * FROM episodes WHERE admit_date IS NOT NULL) ea
      ON ea.client_id_text = s.client_id AND s.session_date >= ea.admit_date
    LEFT JOIN (SELECT * FROM episodes QUALIFY row_number() OVER (PARTITION BY client_id_text ORDER BY admit_date NULLS LAST, src_row) = 1) ef
      ON ef.client_id_text = s.client_id`);
}

/** Sets excluded_code: the first warning rule (in order) that applies; only rows some warning applies to are written. */
async function markExcluded(db: Db, study: Study, table: TableRole): Promise<void> {
  const rules = warningRules(table);
  if (!rules.length) return;
  await db.run(`UPDATE ${STORED_TABLE[table]} SET excluded_code = CASE ${rules.map((r) => `WHEN ${r.when(study)} THEN ${sqlString(r.code)}`).join(" ")} END
                WHERE ${rules.map((r) => `(${r.when(study)})`).join(" OR ")}`);
}

/** The rules that apply to a study: the catalogue, then range checks of its items and components. */
export const studyRules = (study: Study): Rule[] => [...RULES, ...itemScoreRules(study), ...componentScoreRules(study)];

/**
 * Applies every rule. Errors stop the run (the result lists each); otherwise warnings mark their
 * records excluded and the output carries every finding, notes included.
 * @param maxListed failing rows listed per rule (the count is always complete)
 */
export async function validate(db: Db, study: Study, maxListed = MAX_LISTED_PER_RULE): Promise<Result<ValidationOutput>> {
  const { counts, findings } = await checkRules(db, study, maxListed);
  const errors = findings.filter((f) => f.severity === "error");
  if (errors.length) return fail(...errors);
  const excluded = { episodes: await countExclusions(db, "episodes"), sessions: await countExclusions(db, "sessions") };
  return ok({ counts, findings, excluded });
}

/** Every rule's count and its listed findings, without stopping at errors (for `alliance validate`). */
export async function checkRules(db: Db, study: Study, maxListed = MAX_LISTED_PER_RULE): Promise<{ counts: RuleCount[]; findings: Finding[] }> {
  await buildTypedTables(db, study);
  const counts: RuleCount[] = [];
  const findings: Finding[] = [];
  const rules = studyRules(study);
  const n = await ruleCounts(db, study, rules);
  for (const [i, rule] of rules.entries()) {
    if (n[i]! === 0) continue;
    counts.push({ code: rule.code, severity: rule.severity, table: rule.table, column: userColumn(study, rule, null), n: n[i]!, ...(rule.reason ? { reason: rule.reason } : {}) });
    for (const row of await failingRows(db, study, rule, maxListed)) {
      findings.push({
        severity: rule.severity,
        code: rule.code,
        message: rule.message(row.value ?? "", study),
        where: { file: basename(study.files[rule.table]), row: row.src_row, column: userColumn(study, rule, row.src_slot) },
        fix: rule.fix(study),
      });
    }
  }
  return { counts, findings };
}

/** How many rows fail each rule: one scan per table, not one per rule. */
async function ruleCounts(db: Db, study: Study, rules: Rule[]): Promise<number[]> {
  const n: number[] = rules.map(() => 0);
  for (const table of ["episodes", "sessions"] as const) {
    const own = [...rules.entries()].filter(([, r]) => r.table === table);
    if (!own.length) continue;
    const [row] = await queryRows<Record<string, number>>(db, `SELECT ${own.map(([i, r]) => `count(*) FILTER (WHERE ${r.when(study)})::INTEGER AS r${i}`).join(", ")} FROM ${TYPED_TABLE[table]}`);
    for (const [i] of own) n[i] = row![`r${i}`]!;
  }
  return n;
}

/** The first failing rows of a rule, with the value shown in the message. */
async function failingRows(db: Db, study: Study, rule: Rule, maxListed: number) {
  return queryRows<{ src_row: number; src_slot: number | null; value: string | null }>(
    db,
    `SELECT src_row::INTEGER AS src_row, src_slot::INTEGER AS src_slot, (${rule.value})::VARCHAR AS value FROM ${TYPED_TABLE[rule.table]} WHERE ${rule.when(study)} ORDER BY src_row, src_slot LIMIT ${maxListed}`,
  );
}

/** Records excluded by each warning, in order of precedence. */
async function countExclusions(db: Db, table: TableRole) {
  const rules = warningRules(table);
  const n = await queryRows<{ code: string; n: number }>(db, `SELECT excluded_code AS code, count(*)::INTEGER AS n FROM ${TYPED_TABLE[table]} WHERE excluded_code IS NOT NULL GROUP BY 1`);
  return rules.map((r) => ({ code: r.code, reason: r.reason!, n: n.find((x) => x.code === r.code)?.n ?? 0 })).filter((x) => x.n > 0);
}

/** The user's column a rule is about (in the wide layout, as its {i} pattern). */
export const ruleColumn = (study: Study, rule: Rule): string => columnMapping(study, rule.table)[rule.field] ?? rule.field;

/** The user's column a rule is about; in the wide layout, the numbered column of the session (slot). */
function userColumn(study: Study, rule: Rule, slot: number | null): string {
  const column = ruleColumn(study, rule);
  return slot === null ? column : slotColumn(column, slot);
}
