/**
 * Stage 2, validate: types the ingested text (dates, scores), applies every rule of the
 * catalogue, and either stops with every error named by file, row and column, or marks the
 * records that warnings exclude, each with its reason, so derive can leave them out and the
 * report can count them. Artifact: internal/02-validation.json.
 */
import { basename } from "node:path";
import type { Study } from "../config/study.ts";
import { type Db, queryRows, sqlString } from "../db.ts";
import { fail, ok, type Problem, type Result } from "../problem.ts";
import { columnMapping, RAW_TABLE, type TableRole } from "./ingest.ts";
import { componentScoreRules, RULES, warningRules, type Rule } from "./validation-rules.ts";

/** Failing rows listed per rule; the count is always complete. */
export const MAX_LISTED_PER_RULE = 200;

export interface Finding extends Problem {
  severity: "error" | "warning";
}

export interface RuleCount {
  code: string;
  severity: "error" | "warning";
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

const TYPED_TABLE: Record<TableRole, string> = { episodes: "t_episodes", sessions: "t_sessions" };

const isoDate = (col: string) => `CASE WHEN regexp_full_match(${col}, '\\d{4}-\\d{2}-\\d{2}') THEN TRY_CAST(${col} AS DATE) END`;
const finiteNumber = (col: string) => `CASE WHEN isfinite(TRY_CAST(${col} AS DOUBLE)) THEN TRY_CAST(${col} AS DOUBLE) END`;

async function buildTypedTables(db: Db, study: Study): Promise<void> {
  await db.run(`
    CREATE OR REPLACE TABLE t_episodes AS
    SELECT src_row,
           client_id AS client_id_text, site AS site_text, therapist_id AS therapist_id_text,
           admit_date AS admit_date_text, discharge_date AS discharge_date_text, discharge_reason AS discharge_reason_text,
           ${study.tiers.column !== null ? "tier" : "NULL::VARCHAR"} AS tier_text,
           ${isoDate("admit_date")} AS admit_date, ${isoDate("discharge_date")} AS discharge_date,
           row_number() OVER (PARTITION BY client_id ORDER BY src_row) AS id_seq,
           min(src_row) OVER (PARTITION BY client_id) AS first_row
    FROM ${RAW_TABLE.episodes}`);
  await db.run(`
    CREATE OR REPLACE TABLE t_sessions AS
    SELECT s.src_row,
           s.client_id AS client_id_text, s.session_date AS session_date_text,
           s.alliance AS alliance_text, s.outcome AS outcome_text,
           ${isoDate("s.session_date")} AS session_date,
           ${finiteNumber("s.alliance")} AS alliance, ${finiteNumber("s.outcome")} AS outcome,
           ${study.allianceComponents.map((c) => `s.${c.key} AS ${c.key}_text, ${finiteNumber(`s.${c.key}`)} AS ${c.key},`).join("\n           ")}
           e.src_row AS episode_row, e.admit_date AS episode_admit, e.discharge_date AS episode_discharge,
           row_number() OVER (PARTITION BY s.client_id, s.session_date ORDER BY s.src_row) AS date_seq,
           min(s.src_row) OVER (PARTITION BY s.client_id, s.session_date) AS first_row
    FROM ${RAW_TABLE.sessions} s
    LEFT JOIN t_episodes e ON e.client_id_text = s.client_id AND e.id_seq = 1`);
}

export async function validate(db: Db, study: Study): Promise<Result<ValidationOutput>> {
  await buildTypedTables(db, study);
  const counts: RuleCount[] = [];
  const findings: Finding[] = [];
  for (const rule of [...RULES, ...componentScoreRules(study)]) {
    const { n, rows } = await failingRows(db, study, rule);
    const column = userColumn(study, rule);
    if (n > 0) counts.push({ code: rule.code, severity: rule.severity, table: rule.table, column, n, ...(rule.reason ? { reason: rule.reason } : {}) });
    for (const row of rows) {
      findings.push({
        severity: rule.severity,
        code: rule.code,
        message: rule.message(row.value ?? "", study),
        where: { file: basename(study.files[rule.table]), row: row.src_row, column },
        fix: rule.fix(study),
      });
    }
  }
  const errors = findings.filter((f) => f.severity === "error");
  if (errors.length) return fail(...errors);
  const excluded = { episodes: await markExclusions(db, study, "episodes"), sessions: await markExclusions(db, study, "sessions") };
  return ok({ counts, findings, excluded });
}

async function failingRows(db: Db, study: Study, rule: Rule) {
  const from = `FROM ${TYPED_TABLE[rule.table]} WHERE ${rule.when(study)}`;
  const [{ n }] = (await queryRows<{ n: number }>(db, `SELECT count(*)::INTEGER AS n ${from}`)) as [{ n: number }];
  const rows = n === 0 ? [] : await queryRows<{ src_row: number; value: string | null }>(db, `SELECT src_row::INTEGER AS src_row, (${rule.value})::VARCHAR AS value ${from} ORDER BY src_row LIMIT ${MAX_LISTED_PER_RULE}`);
  return { n, rows };
}

/** Adds excluded_code to the typed table: the first warning rule (in order) that applies, else NULL. */
async function markExclusions(db: Db, study: Study, table: TableRole) {
  const rules = warningRules(table);
  const cases = rules.map((r) => `WHEN ${r.when(study)} THEN ${sqlString(r.code)}`).join(" ");
  const expr = rules.length ? `CASE ${cases} END` : "NULL";
  await db.run(`CREATE OR REPLACE TABLE ${TYPED_TABLE[table]} AS SELECT *, (${expr})::VARCHAR AS excluded_code FROM ${TYPED_TABLE[table]}`);
  const n = await queryRows<{ code: string; n: number }>(db, `SELECT excluded_code AS code, count(*)::INTEGER AS n FROM ${TYPED_TABLE[table]} WHERE excluded_code IS NOT NULL GROUP BY 1`);
  return rules.map((r) => ({ code: r.code, reason: r.reason!, n: n.find((x) => x.code === r.code)?.n ?? 0 })).filter((x) => x.n > 0);
}

function userColumn(study: Study, rule: Rule): string {
  return columnMapping(study, rule.table)[rule.field] ?? rule.field;
}
