/**
 * Reads and validates a study config once, at the edge. Every message names the key and
 * what is wrong with it; after this the pipeline trusts the Study's types.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { Ajv, type ErrorObject } from "ajv";
import schema from "../../schema/study-config.schema.json" with { type: "json" };
import type { StudyConfigFile } from "./types.ts";
import { DEFAULT_BOOTSTRAP, DEFAULT_TREND_PERIODS, DEFAULT_COMPLETION_REASONS, DEFAULT_MIN_CELL_SIZE, DEFAULT_RETENTION_DAYS, allianceComponents, type Study } from "./study.ts";
import { fail, ok, type Problem, type Result } from "../problem.ts";
import { isCalendarDate } from "../dates.ts";

const ajv = new Ajv({ allErrors: true, strict: false });
const validateShape = ajv.compile<StudyConfigFile>(schema);

/**
 * Parse config text (YAML) into a Study, or say what is wrong with each key.
 * @param text the YAML text
 * @param configPath the file it came from; input paths are resolved against its folder
 * @example parseStudyConfig(readFileSync("data/demo/study.yaml", "utf8"), "data/demo/study.yaml")
 */
export function parseStudyConfig(text: string, configPath: string): Result<Study> {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    const where = { file: configPath, ...(e instanceof YAMLParseError && e.linePos ? { row: e.linePos[0].line } : {}) };
    return fail({ code: "E_CONFIG_YAML", message: `is not valid YAML: ${(e as Error).message.split("\n")[0]}`, where, fix: "Correct the YAML syntax at that line." });
  }
  if (!validateShape(raw)) {
    return fail(...(validateShape.errors ?? []).map((err) => shapeProblem(err, configPath)));
  }
  const problems = semanticProblems(raw, configPath);
  if (problems.length > 0) return fail(...problems);
  const dir = dirname(resolve(configPath));
  return ok({
    name: raw.study.name,
    title: raw.study.title ?? raw.study.name,
    configPath: resolve(configPath),
    files: { episodes: resolve(dir, raw.files.episodes), sessions: resolve(dir, raw.files.sessions) },
    columns: raw.columns,
    alliance: raw.alliance,
    outcome: raw.outcome,
    dropoutReasons: raw.dropout_reasons,
    completionReasons: raw.completion_reasons ?? DEFAULT_COMPLETION_REASONS,
    noShowDays: raw.dropout_no_show_days ?? null,
    cutoffDate: raw.cutoff_date,
    tiers: {
      by: raw.tiers.by ?? "early_alliance",
      method: raw.tiers.method ?? "cut_points",
      cutPoints: raw.tiers.cut_points ?? [],
      quantiles: raw.tiers.quantiles ?? null,
      column: raw.tiers.column ?? null,
      labels: raw.tiers.labels,
      reference: raw.tiers.reference ?? raw.tiers.labels[0]!,
    },
    retention: { days: raw.retention?.days ?? DEFAULT_RETENTION_DAYS, confType: raw.retention?.conf_type ?? "log-log" },
    bootstrap: { b: raw.bootstrap?.b ?? DEFAULT_BOOTSTRAP.b, seed: raw.bootstrap?.seed ?? DEFAULT_BOOTSTRAP.seed, secondaryMaxN: raw.bootstrap?.secondary_max_n ?? DEFAULT_BOOTSTRAP.secondaryMaxN },
    minCellSize: raw.privacy?.min_cell_size ?? DEFAULT_MIN_CELL_SIZE,
    earlyWindow: raw.alliance.early_window ?? DEFAULT_EARLY_WINDOW,
    allianceRater: raw.alliance.rater ?? "client",
    allianceComponents: allianceComponents(raw.alliance),
    reliableChange: raw.outcome.reliability === undefined ? null : { reliability: raw.outcome.reliability, clinicalCutoff: raw.outcome.clinical_cutoff ?? null },
    reporting: {
      fiscalYearStartMonth: raw.reporting?.fiscal_year_start_month ?? 1,
      trendPeriods: raw.reporting?.trend_periods ?? DEFAULT_TREND_PERIODS,
      branding: {
        programName: raw.reporting?.branding?.program_name ?? null,
        footer: raw.reporting?.branding?.footer ?? null,
        logo: raw.reporting?.branding?.logo !== undefined ? resolve(dir, raw.reporting.branding.logo) : null,
        templates: raw.reporting?.branding?.templates !== undefined ? resolve(dir, raw.reporting.branding.templates) : null,
      },
    },
  });
}

/** Read a config file from disk and parse it (see parseStudyConfig). */
export function loadStudyConfig(configPath: string): Result<Study> {
  let text: string;
  try {
    text = readFileSync(configPath, "utf8");
  } catch (e) {
    return fail({ code: "E_CONFIG_READ", message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, where: { file: configPath }, fix: "Check the path given to --config." });
  }
  return parseStudyConfig(text, configPath);
}

/** `/tiers/cut_points/1` → `tiers.cut_points[1]` */
function keyPath(instancePath: string, child?: string): string {
  const parts = instancePath.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (child !== undefined) parts.push(child);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "") || "(top level)";
}

function shapeProblem(err: ErrorObject, file: string): Problem {
  const at = (key: string, message: string, fix: string): Problem => ({ code: "E_CONFIG_KEY", message, where: { file, key }, fix });
  switch (err.keyword) {
    case "required": {
      const missing = String(err.params.missingProperty);
      return at(keyPath(err.instancePath, missing), "is missing", `Add \`${missing}:\` here; see docs/config.md for what it means.`);
    }
    case "additionalProperties": {
      const extra = String(err.params.additionalProperty);
      return at(keyPath(err.instancePath, extra), "is not a known key", "Check its spelling against docs/config.md, or remove it.");
    }
    case "type":
      return at(keyPath(err.instancePath), `must be ${describeType(String(err.params.type))}`, "Change the value to that type.");
    case "pattern":
      return keyPath(err.instancePath) === "cutoff_date"
        ? at("cutoff_date", "must be a date written YYYY-MM-DD", "Write it like 2025-12-31 (quoted or not).")
        : at(keyPath(err.instancePath), `must match ${String(err.params.pattern)}`, "Use only letters, digits, '.', '_' and '-', starting with a letter or digit.");
    case "minItems":
      return at(keyPath(err.instancePath), `must list at least ${String(err.params.limit)} item(s)`, "Add the missing items.");
    case "enum":
      return at(keyPath(err.instancePath), `must be one of ${(err.params.allowedValues as unknown[]).map((v) => `"${String(v)}"`).join(", ")}`, "Use one of the listed values.");
    case "minimum":
      return at(keyPath(err.instancePath), `must be at least ${String(err.params.limit)}`, "Raise the value.");
    default:
      return at(keyPath(err.instancePath), err.message ?? "is not valid", "See docs/config.md.");
  }
}

function describeType(t: string): string {
  return ({ string: "text", number: "a number", integer: "a whole number", boolean: "true or false", array: "a list", object: "a mapping of keys" } as Record<string, string>)[t] ?? t;
}

/** The tier method's own key must be given, the others left out, and the labels must fit. */
function tierProblems(c: StudyConfigFile, at: (key: string, message: string, fix: string) => void): void {
  const t = c.tiers;
  const method = t.method ?? "cut_points";
  const foreign = (["cut_points", "quantiles", "column"] as const).filter((k) => k !== method && t[k] !== undefined);
  for (const k of foreign) at(`tiers.${k}`, `is not used with method ${method}`, `Remove it, or set tiers.method: ${k}.`);
  if (method === "cut_points") {
    const cuts = t.cut_points;
    if (!cuts) return at("tiers.cut_points", "is missing", "Give increasing cut points, e.g. [30, 36], or choose another tiers.method.");
    cuts.forEach((cut, i) => {
      if (i > 0 && !(cut > cuts[i - 1]!)) at(`tiers.cut_points[${i}]`, `must be greater than the cut point before it (${cuts[i - 1]})`, "List cut points in increasing order, each once.");
      if (cut <= c.alliance.min || cut > c.alliance.max) at(`tiers.cut_points[${i}]`, `(${cut}) must lie above alliance.min (${c.alliance.min}) and at most alliance.max (${c.alliance.max})`, "Use cut points inside the instrument's score range.");
    });
    if (t.labels.length !== cuts.length + 1) at("tiers.labels", `has ${t.labels.length} labels but ${cuts.length} cut point(s) make ${cuts.length + 1} tiers`, "Give one label per tier, lowest tier first.");
  } else if (method === "quantiles") {
    if (t.quantiles === undefined) return at("tiers.quantiles", "is missing", "Give the number of groups, e.g. 3 for tertiles.");
    if (t.labels.length !== t.quantiles) at("tiers.labels", `has ${t.labels.length} labels but quantiles: ${t.quantiles} makes ${t.quantiles} tiers`, "Give one label per tier, lowest tier first.");
  } else if (t.column === undefined) {
    at("tiers.column", "is missing", "Name the episodes-file column that holds each episode's tier label.");
  }
}

/** Subscales and other raters: each range valid, names and raters unique, no column used twice. */
function componentProblems(c: StudyConfigFile, at: (key: string, message: string, fix: string) => void): void {
  const a = c.alliance;
  const used = new Map<string, string>(Object.entries(c.columns.sessions).map(([field, col]) => [col, `columns.sessions.${field}`]));
  const claim = (column: string, key: string) => {
    const other = used.get(column);
    if (other !== undefined) at(`${key}.column`, `"${column}" is already used by ${other}`, "Give each score its own column.");
    else used.set(column, key);
  };
  const names = new Set<string>();
  (a.subscales ?? []).forEach((s, i) => {
    const key = `alliance.subscales[${i}]`;
    if (!(s.min < s.max)) at(`${key}.max`, `must be greater than min (${s.min})`, "Give the subscale's lowest and highest possible score.");
    if (names.has(s.name)) at(`${key}.name`, `repeats the subscale name "${s.name}"`, "Give each subscale its own name.");
    names.add(s.name);
    claim(s.column, key);
  });
  const raters = new Set<string>([a.rater ?? "client"]);
  (a.other_raters ?? []).forEach((r, i) => {
    const key = `alliance.other_raters[${i}]`;
    if (!(r.min < r.max)) at(`${key}.max`, `must be greater than min (${r.min})`, "Give the form's lowest and highest possible total score.");
    if (raters.has(r.rater)) at(`${key}.rater`, `"${r.rater}" is already the perspective of ${r.rater === (a.rater ?? "client") ? "the alliance column (alliance.rater)" : "another entry"}`, "List each rater perspective once; set alliance.rater to say whose rating the main alliance column is.");
    raters.add(r.rater);
    claim(r.column, key);
  });
}

/** Early alliance: the mean of the first three ratings, the most common early window in the literature. */
export const DEFAULT_EARLY_WINDOW = 3;

function semanticProblems(c: StudyConfigFile, file: string): Problem[] {
  const problems: Problem[] = [];
  const at = (key: string, message: string, fix: string) => problems.push({ code: "E_CONFIG_VALUE", message, where: { file, key }, fix });
  for (const [key, range] of [["alliance", c.alliance], ["outcome", c.outcome]] as const) {
    if (!(range.min < range.max)) at(`${key}.max`, `must be greater than ${key}.min (${range.min})`, "Give the instrument's lowest and highest possible total score.");
  }
  const cut = c.outcome.clinical_cutoff;
  if (cut !== undefined && !(cut > c.outcome.min && cut < c.outcome.max)) at("outcome.clinical_cutoff", `(${cut}) must lie between outcome.min and outcome.max`, "Give the cutoff on the measure's own scale.");
  if (cut !== undefined && c.outcome.reliability === undefined) at("outcome.reliability", "is needed with outcome.clinical_cutoff", "Give the measure's reliability (e.g. coefficient alpha) for the reliable change index.");
  if (!isCalendarDate(c.cutoff_date)) at("cutoff_date", `"${c.cutoff_date}" is not a calendar date`, "Give a real date, YYYY-MM-DD.");
  tierProblems(c, at);
  componentProblems(c, at);
  const dupLabel = c.tiers.labels.find((l, i) => c.tiers.labels.indexOf(l) !== i);
  if (dupLabel !== undefined) at("tiers.labels", `repeats the label "${dupLabel}"`, "Give each tier its own label.");
  const dupReason = c.dropout_reasons.find((r, i) => c.dropout_reasons.indexOf(r) !== i);
  if (dupReason !== undefined) at("dropout_reasons", `lists "${dupReason}" twice`, "List each reason once.");
  const both = (c.completion_reasons ?? DEFAULT_COMPLETION_REASONS).find((r) => c.dropout_reasons.includes(r));
  if (both !== undefined) at("completion_reasons", `"${both}" is also a dropout reason`, "A discharge reason is either completion or dropout, not both.");
  if (c.tiers.reference !== undefined && !c.tiers.labels.includes(c.tiers.reference)) {
    at("tiers.reference", `"${c.tiers.reference}" is not one of the tier labels`, `Use one of ${c.tiers.labels.join(", ")}.`);
  }
  const logo = c.reporting?.branding?.logo;
  if (logo !== undefined && !/\.(svg|png|jpe?g)$/i.test(logo)) at("reporting.branding.logo", `"${logo}" is not an SVG, PNG or JPEG file`, "Give the path of an .svg, .png or .jpg image.");
  (c.retention?.days ?? []).forEach((d, i) => {
    if (!Number.isInteger(d) || d <= 0) at(`retention.days[${i}]`, `(${d}) must be a whole number of days above 0`, "Give days since admission, e.g. [30, 60, 90].");
  });
  return problems;
}
