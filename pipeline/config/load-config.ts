/**
 * Reads and validates a study config once, at the edge. Every message names the key and
 * what is wrong with it; after this the pipeline trusts the Study's types.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { Ajv, type ErrorObject } from "ajv";
import schema from "../../schema/study-config.schema.json" with { type: "json" };
import type { InputFile, StudyConfigFile } from "./types.ts";
import { allianceComponents, type InputSource, type Study } from "./study.ts";
import { DEFAULTS } from "./defaults.ts";
import { instrumentDefinition, itemColumns, scoreRange } from "../instruments/definitions.ts";
import { fail, ok, type Problem, type Result } from "../problem.ts";
import { problem } from "../messages.ts";
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
    return fail(problem("E_CONFIG_YAML", { detail: (e as Error).message.split("\n")[0]! }, where));
  }
  if (!validateShape(raw)) {
    return fail(...(validateShape.errors ?? []).map((err) => shapeProblem(err, configPath)));
  }
  const problems = semanticProblems(raw, configPath);
  if (problems.length > 0) return fail(...problems);
  return ok(resolveStudy(raw, configPath));
}

/** The input files as sources to read, paths made absolute against the config's folder, and their layout. */
function resolveSources(raw: StudyConfigFile, dir: string): Pick<Study, "files" | "sources" | "layout"> {
  const source = (f: InputFile): InputSource =>
    typeof f === "string"
      ? { path: resolve(dir, f), format: null, sheet: null, delimiter: null, encoding: null }
      : {
          path: resolve(dir, f.path),
          format: f.format ?? null,
          sheet: f.sheet ?? null,
          delimiter: f.delimiter ?? null,
          encoding: f.encoding ?? null,
        };
  const layout = raw.files.long !== undefined ? "long" : raw.files.wide !== undefined ? "wide" : "tables";
  const single = raw.files.long ?? raw.files.wide;
  const sources =
    single !== undefined
      ? { episodes: source(single), sessions: source(single) }
      : { episodes: source(raw.files.episodes!), sessions: source(raw.files.sessions!) };
  return { files: { episodes: sources.episodes.path, sessions: sources.sessions.path }, sources, layout };
}

/** The alliance's item scoring (alliance.items) with its defaults, or null when the data hold the total. */
function resolveItemScoring(raw: StudyConfigFile): Study["itemScoring"] {
  const items = raw.alliance.items;
  const def = items ? instrumentDefinition(items) : null;
  return items && def
    ? {
        def,
        mode: items.score ?? DEFAULTS.alliance.items.score,
        maxMissing: items.max_missing ?? DEFAULTS.alliance.items.max_missing,
        maxMissingPerSubscale: items.max_missing_per_subscale ?? DEFAULTS.alliance.items.max_missing_per_subscale,
        columns: itemColumns(items, def.nItems),
      }
    : null;
}

/** The analysis settings (tiers, retention, bootstrap, inference) with every default filled in. */
function resolveAnalysis(
  raw: StudyConfigFile,
): Pick<Study, "tiers" | "retention" | "dynamics" | "bootstrap" | "inference"> {
  return {
    tiers: {
      by: raw.tiers.by ?? DEFAULTS.tiers.by,
      method: raw.tiers.method ?? DEFAULTS.tiers.method,
      cutPoints: raw.tiers.cut_points ?? [],
      quantiles: raw.tiers.quantiles ?? null,
      column: raw.tiers.column ?? null,
      labels: raw.tiers.labels,
      reference: raw.tiers.reference ?? raw.tiers.labels[0]!,
    },
    retention: {
      days: raw.retention?.days ?? [...DEFAULTS.retention.days],
      confType: raw.retention?.conf_type ?? DEFAULTS.retention.conf_type,
    },
    dynamics: {
      enabled: raw.dynamics?.enabled ?? DEFAULTS.dynamics.enabled,
      ruptureSd: raw.dynamics?.rupture_sd ?? DEFAULTS.dynamics.rupture_sd,
      repairSessions: raw.dynamics?.repair_sessions ?? DEFAULTS.dynamics.repair_sessions,
      suddenGainCutoff: raw.dynamics?.sudden_gain_cutoff ?? null,
      detrend: raw.dynamics?.detrend ?? DEFAULTS.dynamics.detrend,
    },
    bootstrap: {
      b: raw.bootstrap?.b ?? DEFAULTS.bootstrap.b,
      seed: raw.bootstrap?.seed ?? DEFAULTS.bootstrap.seed,
      secondaryMaxN: raw.bootstrap?.secondary_max_n ?? DEFAULTS.bootstrap.secondary_max_n,
      maxN: raw.bootstrap?.max_n ?? DEFAULTS.bootstrap.max_n,
    },
    inference: {
      cluster: raw.inference?.cluster ?? DEFAULTS.inference.cluster,
      bootstrapMaxClusters: raw.inference?.bootstrap_max_clusters ?? DEFAULTS.inference.bootstrap_max_clusters,
    },
  };
}

/** The quarterly reports' settings, with defaults and the branding files' paths made absolute. */
function resolveReporting(raw: StudyConfigFile, dir: string): Study["reporting"] {
  const branding = raw.reporting?.branding;
  return {
    fiscalYearStartMonth: raw.reporting?.fiscal_year_start_month ?? DEFAULTS.reporting.fiscal_year_start_month,
    trendPeriods: raw.reporting?.trend_periods ?? DEFAULTS.reporting.trend_periods,
    branding: {
      programName: branding?.program_name ?? null,
      footer: branding?.footer ?? null,
      logo: branding?.logo !== undefined ? resolve(dir, branding.logo) : null,
      templates: branding?.templates !== undefined ? resolve(dir, branding.templates) : null,
    },
  };
}

/** A config that passed every check, as the Study the pipeline trusts: defaults filled in, paths absolute. */
function resolveStudy(raw: StudyConfigFile, configPath: string): Study {
  const dir = dirname(resolve(configPath));
  const itemScoring = resolveItemScoring(raw);
  return {
    name: raw.study.name,
    title: raw.study.title ?? raw.study.name,
    configPath: resolve(configPath),
    ...resolveSources(raw, dir),
    columns: raw.columns,
    alliance: { ...raw.alliance, instrument: raw.alliance.instrument ?? itemScoring!.def.name, ...allianceRange(raw) },
    itemScoring,
    values: {
      missing: raw.values?.missing ?? [...DEFAULTS.values.missing],
      dateFormat: raw.values?.date_format ?? DEFAULTS.values.date_format,
      excelSerialDates: raw.values?.excel_serial_dates ?? DEFAULTS.values.excel_serial_dates,
      decimalMark: raw.values?.decimal_mark ?? DEFAULTS.values.decimal_mark,
    },
    dropColumns: raw.privacy?.drop_columns ?? [],
    notIdentifiers: raw.privacy?.not_identifiers ?? [],
    outcome: raw.outcome,
    dropoutReasons: raw.dropout_reasons,
    completionReasons: raw.completion_reasons ?? [...DEFAULTS.completion_reasons],
    otherReasons: raw.other_discharge_reasons ?? null,
    noShowDays: raw.dropout_no_show_days ?? null,
    cutoffDate: raw.cutoff_date,
    ...resolveAnalysis(raw),
    minCellSize: raw.privacy?.min_cell_size ?? DEFAULTS.privacy.min_cell_size,
    earlyWindow: raw.alliance.early_window ?? DEFAULTS.alliance.early_window,
    allianceRater: raw.alliance.rater ?? DEFAULTS.alliance.rater,
    allianceComponents: allianceComponents(raw.alliance, itemScoring),
    reliableChange:
      raw.outcome.reliability === undefined
        ? null
        : { reliability: raw.outcome.reliability, clinicalCutoff: raw.outcome.clinical_cutoff ?? null },
    reporting: resolveReporting(raw, dir),
  };
}

/** Read a config file from disk and parse it (see parseStudyConfig). */
export function loadStudyConfig(configPath: string): Result<Study> {
  let text: string;
  try {
    text = readFileSync(configPath, "utf8");
  } catch (e) {
    return fail(
      problem(
        "E_CONFIG_READ",
        { reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message },
        { file: configPath },
      ),
    );
  }
  return parseStudyConfig(text, configPath);
}

/** `/tiers/cut_points/1` → `tiers.cut_points[1]` */
function keyPath(instancePath: string, child?: string): string {
  const parts = instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (child !== undefined) parts.push(child);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "") || "(top level)";
}

function shapeProblem(err: ErrorObject, file: string): Problem {
  const at = (key: string, detail: string, fix: string): Problem =>
    problem("E_CONFIG_KEY", { detail, fix }, { file, key });
  switch (err.keyword) {
    case "required": {
      const missing = String(err.params.missingProperty);
      return at(
        keyPath(err.instancePath, missing),
        "is missing",
        `Add \`${missing}:\` here; see docs/config.md for what it means.`,
      );
    }
    case "additionalProperties": {
      const extra = String(err.params.additionalProperty);
      return at(
        keyPath(err.instancePath, extra),
        "is not a known key",
        "Check its spelling against docs/config.md, or remove it.",
      );
    }
    case "type":
      return at(
        keyPath(err.instancePath),
        `must be ${describeType(String(err.params.type))}`,
        "Change the value to that type.",
      );
    case "pattern":
      return keyPath(err.instancePath) === "cutoff_date"
        ? at("cutoff_date", "must be a date written YYYY-MM-DD", "Write it like 2025-12-31 (quoted or not).")
        : at(
            keyPath(err.instancePath),
            `must match ${String(err.params.pattern)}`,
            "Use only letters, digits, '.', '_' and '-', starting with a letter or digit.",
          );
    case "minItems":
      return at(
        keyPath(err.instancePath),
        `must list at least ${String(err.params.limit)} item(s)`,
        "Add the missing items.",
      );
    case "enum":
      return at(
        keyPath(err.instancePath),
        `must be one of ${(err.params.allowedValues as unknown[]).map((v) => `"${String(v)}"`).join(", ")}`,
        "Use one of the listed values.",
      );
    case "minimum":
      return at(keyPath(err.instancePath), `must be at least ${String(err.params.limit)}`, "Raise the value.");
    default:
      return at(keyPath(err.instancePath), err.message ?? "is not valid", "See docs/config.md.");
  }
}

function describeType(t: string): string {
  return (
    (
      {
        string: "text",
        number: "a number",
        integer: "a whole number",
        boolean: "true or false",
        array: "a list",
        object: "a mapping of keys",
      } as Record<string, string>
    )[t] ?? t
  );
}

/** The tier method's own key must be given, the others left out, and the labels must fit. */
function tierProblems(c: StudyConfigFile, at: (key: string, message: string, fix: string) => void): void {
  const t = c.tiers;
  const method = t.method ?? DEFAULTS.tiers.method;
  const foreign = (["cut_points", "quantiles", "column"] as const).filter((k) => k !== method && t[k] !== undefined);
  for (const k of foreign)
    at(`tiers.${k}`, `is not used with method ${method}`, `Remove it, or set tiers.method: ${k}.`);
  if (method === "cut_points") {
    const cuts = t.cut_points;
    if (!cuts)
      return at(
        "tiers.cut_points",
        "is missing",
        "Give increasing cut points, e.g. [30, 36], or choose another tiers.method.",
      );
    cuts.forEach((cut, i) => {
      if (i > 0 && !(cut > cuts[i - 1]!))
        at(
          `tiers.cut_points[${i}]`,
          `must be greater than the cut point before it (${cuts[i - 1]})`,
          "List cut points in increasing order, each once.",
        );
      const { min, max } = allianceRange(c);
      if (cut <= min || cut > max)
        at(
          `tiers.cut_points[${i}]`,
          `(${cut}) must lie above alliance.min (${min}) and at most alliance.max (${max})`,
          "Use cut points inside the instrument's score range.",
        );
    });
    if (t.labels.length !== cuts.length + 1)
      at(
        "tiers.labels",
        `has ${t.labels.length} labels but ${cuts.length} cut point(s) make ${cuts.length + 1} tiers`,
        "Give one label per tier, lowest tier first.",
      );
  } else if (method === "quantiles") {
    if (t.quantiles === undefined)
      return at("tiers.quantiles", "is missing", "Give the number of groups, e.g. 3 for tertiles.");
    if (t.labels.length !== t.quantiles)
      at(
        "tiers.labels",
        `has ${t.labels.length} labels but quantiles: ${t.quantiles} makes ${t.quantiles} tiers`,
        "Give one label per tier, lowest tier first.",
      );
  } else if (t.column === undefined) {
    at("tiers.column", "is missing", "Name the episodes-file column that holds each episode's tier label.");
  }
}

/** Subscales and other raters: each range valid, names and raters unique, no column used twice. */
function componentProblems(c: StudyConfigFile, at: (key: string, message: string, fix: string) => void): void {
  const a = c.alliance;
  const used = new Map<string, string>(
    Object.entries(c.columns.sessions)
      .filter(
        ([field]) =>
          !(c.files.long !== undefined && field === "therapist_id") && field !== "client_id" && field !== "episode_id",
      )
      .map(([field, col]) => [col as string, `columns.sessions.${field}`]),
  );
  const claim = (column: string, key: string) => {
    const other = used.get(column);
    if (other !== undefined)
      at(`${key}.column`, `"${column}" is already used by ${other}`, "Give each score its own column.");
    else used.set(column, key);
  };
  const names = new Set<string>();
  (a.subscales ?? []).forEach((s, i) => {
    const key = `alliance.subscales[${i}]`;
    if (!(s.min < s.max))
      at(`${key}.max`, `must be greater than min (${s.min})`, "Give the subscale's lowest and highest possible score.");
    if (names.has(s.name))
      at(`${key}.name`, `repeats the subscale name "${s.name}"`, "Give each subscale its own name.");
    names.add(s.name);
    claim(s.column, key);
  });
  const raters = new Set<string>([a.rater ?? DEFAULTS.alliance.rater]);
  (a.other_raters ?? []).forEach((r, i) => {
    const key = `alliance.other_raters[${i}]`;
    if (!(r.min < r.max))
      at(
        `${key}.max`,
        `must be greater than min (${r.min})`,
        "Give the form's lowest and highest possible total score.",
      );
    if (raters.has(r.rater))
      at(
        `${key}.rater`,
        `"${r.rater}" is already the perspective of ${r.rater === (a.rater ?? DEFAULTS.alliance.rater) ? "the alliance column (alliance.rater)" : "another entry"}`,
        "List each rater perspective once; set alliance.rater to say whose rating the main alliance column is.",
      );
    raters.add(r.rater);
    claim(r.column, key);
  });
}

/** The alliance total's range: as configured, else from the item definition. */
function allianceRange(c: StudyConfigFile): { min: number; max: number } {
  if (c.alliance.items === undefined || (c.alliance.min !== undefined && c.alliance.max !== undefined))
    return { min: c.alliance.min ?? 0, max: c.alliance.max ?? 0 };
  const def = instrumentDefinition(c.alliance.items);
  const range = scoreRange(def, def.nItems, c.alliance.items.score ?? "sum");
  return { min: c.alliance.min ?? range.min, max: c.alliance.max ?? range.max };
}

/** Exactly one layout; the wide layout's session columns carry {i}; session episode ids need episode ids. */
function layoutProblems(c: StudyConfigFile, at: (key: string, message: string, fix: string) => void): void {
  const f = c.files;
  const given = (["episodes", "sessions", "long", "wide"] as const).filter((k) => f[k] !== undefined);
  const tables = f.episodes !== undefined || f.sessions !== undefined;
  if ((tables ? 1 : 0) + (f.long !== undefined ? 1 : 0) + (f.wide !== undefined ? 1 : 0) !== 1) {
    at(
      "files",
      `names ${given.length ? given.join(" and ") : "no file"}`,
      "Give either episodes and sessions, or long (one row per session), or wide (one row per episode); see docs/data-contract.md.",
    );
  } else if (tables) {
    for (const k of ["episodes", "sessions"] as const)
      if (f[k] === undefined)
        at(
          `files.${k}`,
          "is missing",
          `Give the ${k} file beside files.${k === "episodes" ? "sessions" : "episodes"}.`,
        );
  }
  if (f.wide !== undefined) {
    for (const [field, col] of Object.entries(c.columns.sessions)) {
      if (field !== "client_id" && field !== "episode_id" && !String(col).includes("{i}"))
        at(
          `columns.sessions.${field}`,
          `("${String(col)}") has no {i} for the session number`,
          `In the wide layout each session's columns are numbered: write e.g. "${String(col)}_{i}".`,
        );
    }
    if (typeof c.alliance.items?.columns === "string" && !c.alliance.items.columns.includes("{s}"))
      at(
        "alliance.items.columns",
        "needs {s} for the session number in the wide layout",
        'Write e.g. "wai{i}_s{s}" (item {i} of session {s}).',
      );
  }
  if (
    c.columns.sessions.episode_id !== undefined &&
    c.columns.episodes.episode_id === undefined &&
    f.long === undefined &&
    f.wide === undefined
  ) {
    at(
      "columns.episodes.episode_id",
      "is missing while columns.sessions.episode_id is given",
      "Name the episodes file's episode id column too, or leave both out to link sessions by client and date.",
    );
  }
  if (c.alliance.items === undefined && c.columns.sessions.alliance === undefined)
    at(
      "columns.sessions.alliance",
      "is missing",
      "Name the alliance total column, or score the alliance from its items with alliance.items.",
    );
  if (c.alliance.items !== undefined && c.columns.sessions.alliance !== undefined)
    at(
      "columns.sessions.alliance",
      "is given beside alliance.items",
      "Keep one: the total column, or the items to score it from.",
    );
}

/** A custom instrument spells out its items; item numbers and column lists fit the item count. */
/**
 * A custom instrument's own keys are all given (and its range is a range); a built-in one gives none
 * of them. Returns false when a custom instrument lacks one, so that nothing else is checked.
 */
function instrumentKeysComplete(
  items: NonNullable<StudyConfigFile["alliance"]["items"]>,
  at: (key: string, message: string, fix: string) => void,
): boolean {
  if (items.instrument === "custom") {
    for (const k of ["n_items", "item_min", "item_max"] as const)
      if (items[k] === undefined)
        at(`alliance.items.${k}`, "is missing", "A custom instrument needs n_items, item_min and item_max.");
    if (items.n_items === undefined || items.item_min === undefined || items.item_max === undefined) return false;
    if (!(items.item_min < items.item_max))
      at(
        "alliance.items.item_max",
        `must be greater than item_min (${items.item_min})`,
        "Give the lowest and highest possible answer to an item.",
      );
  } else {
    for (const k of ["n_items", "item_min", "item_max", "reverse", "subscales", "name"] as const) {
      if (items[k] !== undefined)
        at(
          `alliance.items.${k}`,
          `is not used with the built-in instrument ${items.instrument}`,
          "Remove it, or set instrument: custom and define the whole instrument.",
        );
    }
  }
  return true;
}

function itemProblems(c: StudyConfigFile, at: (key: string, message: string, fix: string) => void): void {
  const items = c.alliance.items;
  if (items === undefined) return;
  if (!instrumentKeysComplete(items, at)) return;
  const def = instrumentDefinition(items);
  const bad = (n: number) => !Number.isInteger(n) || n < 1 || n > def.nItems;
  (items.reverse ?? []).forEach(
    (n, i) =>
      bad(n) &&
      at(
        `alliance.items.reverse[${i}]`,
        `(${n}) is not an item number 1–${def.nItems}`,
        "Give item numbers counted from 1.",
      ),
  );
  for (const [name, list] of Object.entries(items.subscales ?? {})) {
    if (!/^[a-z][a-z0-9_]*$/.test(name))
      at(
        `alliance.items.subscales.${name}`,
        "is not a valid subscale name",
        "Use lower-case letters, digits and _, starting with a letter.",
      );
    list.forEach(
      (n, i) =>
        bad(n) &&
        at(
          `alliance.items.subscales.${name}[${i}]`,
          `(${n}) is not an item number 1–${def.nItems}`,
          "Give item numbers counted from 1.",
        ),
    );
    if ((c.alliance.subscales ?? []).some((s) => s.name === name))
      at(
        `alliance.items.subscales.${name}`,
        "has the name of an entry of alliance.subscales",
        "Give each subscale its own name.",
      );
  }
  if (items.instrument !== "custom")
    for (const name of Object.keys(def.subscales))
      if ((c.alliance.subscales ?? []).some((s) => s.name === name))
        at(
          "alliance.subscales",
          `repeats the subscale "${name}" that ${items.instrument} scores from its items`,
          "Remove it from alliance.subscales, or rename it.",
        );
  if (Array.isArray(items.columns) && items.columns.length !== def.nItems)
    at(
      "alliance.items.columns",
      `lists ${items.columns.length} columns for ${def.nItems} items`,
      "Give one column per item, in item order.",
    );
  if (typeof items.columns === "string" && !items.columns.includes("{i}"))
    at(
      "alliance.items.columns",
      `("${items.columns}") has no {i} for the item number`,
      'Write e.g. "WAI_{i}", or list the columns.',
    );
  if ((items.max_missing ?? 0) >= def.nItems)
    at("alliance.items.max_missing", `must be below the number of items (${def.nItems})`, "Allow fewer missing items.");
}

/** The scales' ranges, and the outcome's clinical cutoff and reliability. */
function rangeProblems(c: StudyConfigFile, at: (key: string, detail: string, fix: string) => void): void {
  const allianceMin = c.alliance.min ?? Number.NEGATIVE_INFINITY;
  const allianceMax = c.alliance.max ?? Number.POSITIVE_INFINITY;
  if (!(allianceMin < allianceMax))
    at(
      "alliance.max",
      `must be greater than alliance.min (${allianceMin})`,
      "Give the instrument's lowest and highest possible total score.",
    );
  if (!(c.outcome.min < c.outcome.max))
    at(
      "outcome.max",
      `must be greater than outcome.min (${c.outcome.min})`,
      "Give the instrument's lowest and highest possible total score.",
    );
  const cut = c.outcome.clinical_cutoff;
  if (cut !== undefined && !(cut > c.outcome.min && cut < c.outcome.max))
    at(
      "outcome.clinical_cutoff",
      `(${cut}) must lie between outcome.min and outcome.max`,
      "Give the cutoff on the measure's own scale.",
    );
  if (cut !== undefined && c.outcome.reliability === undefined)
    at(
      "outcome.reliability",
      "is needed with outcome.clinical_cutoff",
      "Give the measure's reliability (e.g. coefficient alpha) for the reliable change index.",
    );
}

function semanticProblems(c: StudyConfigFile, file: string): Problem[] {
  const problems: Problem[] = [];
  const at = (key: string, detail: string, fix: string) =>
    problems.push(problem("E_CONFIG_VALUE", { detail, fix }, { file, key }));
  layoutProblems(c, at);
  itemProblems(c, at);
  if (c.alliance.items === undefined) {
    for (const key of ["instrument", "min", "max"] as const) {
      if (c.alliance[key] === undefined)
        at(
          `alliance.${key}`,
          "is missing",
          "Give it, or score the alliance from its items with alliance.items (see docs/config.md).",
        );
    }
  }
  rangeProblems(c, at);
  if (!isCalendarDate(c.cutoff_date))
    at("cutoff_date", `"${c.cutoff_date}" is not a calendar date`, "Give a real date, YYYY-MM-DD.");
  tierProblems(c, at);
  componentProblems(c, at);
  const dupLabel = c.tiers.labels.find((l, i) => c.tiers.labels.indexOf(l) !== i);
  if (dupLabel !== undefined) at("tiers.labels", `repeats the label "${dupLabel}"`, "Give each tier its own label.");
  const dupReason = c.dropout_reasons.find((r, i) => c.dropout_reasons.indexOf(r) !== i);
  if (dupReason !== undefined) at("dropout_reasons", `lists "${dupReason}" twice`, "List each reason once.");
  const both = (c.completion_reasons ?? DEFAULTS.completion_reasons).find((r) => c.dropout_reasons.includes(r));
  if (both !== undefined)
    at(
      "completion_reasons",
      `"${both}" is also a dropout reason`,
      "A discharge reason is either completion or dropout, not both.",
    );
  if (c.tiers.reference !== undefined && !c.tiers.labels.includes(c.tiers.reference)) {
    at(
      "tiers.reference",
      `"${c.tiers.reference}" is not one of the tier labels`,
      `Use one of ${c.tiers.labels.join(", ")}.`,
    );
  }
  const logo = c.reporting?.branding?.logo;
  if (logo !== undefined && !/\.(svg|png|jpe?g)$/i.test(logo))
    at(
      "reporting.branding.logo",
      `"${logo}" is not an SVG, PNG or JPEG file`,
      "Give the path of an .svg, .png or .jpg image.",
    );
  (c.retention?.days ?? []).forEach((d, i) => {
    if (!Number.isInteger(d) || d <= 0)
      at(
        `retention.days[${i}]`,
        `(${d}) must be a whole number of days above 0`,
        "Give days since admission, e.g. [30, 60, 90].",
      );
  });
  return problems;
}
