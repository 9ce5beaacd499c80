/**
 * `alliance init <files…>`: reads one or two data files, proposes which column is which canonical
 * field (by name, then by content), and writes a commented study config. Choices it cannot make are
 * written as blanks marked TODO, so `alliance validate` names them. Columns the identifier guard
 * flags are proposed for privacy.drop_columns, by name only.
 */
import { constants, copyFileSync, existsSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { closeDb, type Db, openDb, queryRows, sqlIdent } from "../db.ts";
import { slashedDateSql } from "../dates.ts";
import { problem } from "../messages.ts";
import { fail, ok, type Result } from "../problem.ts";
import { loadSource, type LoadedFile } from "../phases/read/load-source.ts";
import type { InputSource } from "../config/study.ts";
import { findItemGroup } from "../init/item-groups.ts";
import { DEFAULTS } from "../config/defaults.ts";
import { findIdentifiers, nameWords } from "../phases/read/identifiers.ts";

/** What we learn about a column from its values. */
interface Profile {
  column: string;
  words: string[];
  distinct: number;
  nonEmpty: number;
  isoDates: number;
  slashDates: number;
  dayFirst: boolean;
  monthFirst: boolean;
  numbers: number;
  min: number | null;
  max: number | null;
  maxDate: string | null;
  values: string[];
}

interface Table {
  file: string;
  source: InputSource;
  loaded: LoadedFile;
  rows: number;
  profiles: Profile[];
}

const TODO = "TODO";

/**
 * Proposes a config for the files and writes it. A config that already exists is the user's work and
 * is never replaced unasked: the proposal goes beside it (study.proposed.yaml), or, with `force`, the
 * existing file is first kept as a backup (study.yaml.bak).
 */
export async function runInit(
  paths: string[],
  out: string | null,
  force = false,
): Promise<Result<{ path: string; blanks: string[]; kept: string | null; backup: string | null }>> {
  for (const p of paths)
    if (!existsSync(p))
      return fail(problem("E_FILE_UNREADABLE", { role: "data", reason: "it does not exist" }, { file: p }));
  const wanted = resolve(out ?? join(dirname(resolve(paths[0]!)), "study.yaml"));
  const sources = paths.map((p): InputSource => ({
    path: resolve(p),
    format: null,
    sheet: null,
    delimiter: null,
    encoding: null,
  }));
  const proposal = await proposeStudy(sources, dirname(wanted));
  if (!proposal.ok) return proposal;
  const exists = existsSync(wanted);
  const backup = exists && force ? freeName(`${wanted}.bak`) : null;
  const path = exists && !force ? freeName(wanted.replace(/(\.ya?ml)?$/i, ".proposed$1")) : wanted;
  if (backup) copyFileSync(wanted, backup, constants.COPYFILE_EXCL);
  writeFileSync(path, proposal.value.text, { flag: exists && !force ? "wx" : "w" });
  return ok({ path, blanks: proposal.value.blanks, kept: exists && !force ? wanted : null, backup });
}

/**
 * The path itself when nothing is there, else the first of path-2, path-3, … that is free (before the extension).
 * @example freeName("/s/study.proposed.yaml") // => "/s/study.proposed-2.yaml" when the first exists
 */
function freeName(path: string): string {
  if (!existsSync(path)) return path;
  const ext = extname(path);
  for (let i = 2; ; i++) {
    const next = `${path.slice(0, path.length - ext.length)}-${i}${ext}`;
    if (!existsSync(next)) return next;
  }
}

/** What init proposes for some files: the commented config text, its blanks, and the columns it proposes to drop. */
export interface Proposal {
  text: string;
  blanks: string[];
  flagged: { column: string; kind: string }[];
}

/**
 * Reads one or two data files, each as its source says (format, delimiter, encoding; null = detect),
 * and proposes a config for them, with file paths relative to `configDir`. Writes nothing: `alliance
 * init` writes the text, and the app keeps it in its workspace.
 */
export async function proposeStudy(sources: InputSource[], configDir: string): Promise<Result<Proposal>> {
  const db = await openDb();
  try {
    const tables: Table[] = [];
    const flagged: { column: string; kind: string }[] = [];
    for (const [i, source] of sources.entries()) {
      let loaded: LoadedFile;
      try {
        const read = await loadSource(db, source, `t${i}`, [], new Set());
        if (!read.ok) return read;
        loaded = read.value;
      } catch (e) {
        return fail(
          problem(
            "E_FILE_UNPARSEABLE",
            { format: null, detail: (e as Error).message },
            { file: basename(source.path) },
          ),
        );
      }
      const ids = await findIdentifiers(db, `t${i}`, loaded.columns, { isStaffOrPlace: namedStaffOrPlace });
      flagged.push(...ids.map((f) => ({ column: f.column, kind: f.kind })));
      const keep = loaded.columns.filter((c) => !ids.some((f) => f.column === c));
      tables.push({
        file: source.path,
        source,
        loaded,
        rows: loaded.rows!,
        profiles: await profileColumns(db, `t${i}`, keep),
      });
    }
    return ok({ ...proposeConfig(tables, flagged, configDir), flagged });
  } finally {
    closeDb(db);
  }
}

async function profileColumns(db: Db, table: string, columns: string[]): Promise<Profile[]> {
  const out: Profile[] = [];
  for (const column of columns) {
    const c = `trim(${sqlIdent(column)}::VARCHAR)`;
    const [r] = await queryRows<Record<string, any>>(
      db,
      `SELECT count(DISTINCT ${c})::INTEGER AS distinct, count(${c}) FILTER (WHERE ${c} <> '')::INTEGER AS non_empty,
              count(*) FILTER (WHERE regexp_full_match(${c}, '\\d{4}-\\d{2}-\\d{2}.*'))::INTEGER AS iso,
              count(*) FILTER (WHERE ${slashedDateSql(c)})::INTEGER AS slash,
              bool_or(TRY_CAST(split_part(regexp_replace(${c}, '[.-]', '/', 'g'), '/', 1) AS INTEGER) > 12 AND ${slashedDateSql(c)}) AS day_first,
              bool_or(TRY_CAST(split_part(regexp_replace(${c}, '[.-]', '/', 'g'), '/', 2) AS INTEGER) > 12 AND ${slashedDateSql(c)}) AS month_first,
              count(TRY_CAST(replace(${c}, ',', '.') AS DOUBLE))::INTEGER AS numbers,
              min(TRY_CAST(replace(${c}, ',', '.') AS DOUBLE)) AS min, max(TRY_CAST(replace(${c}, ',', '.') AS DOUBLE)) AS max,
              strftime(max(TRY_CAST(left(${c}, 10) AS DATE)), '%Y-%m-%d') AS max_date
       FROM ${table}`,
    );
    const values = (
      await queryRows<{ v: string }>(db, `SELECT DISTINCT ${c} AS v FROM ${table} WHERE ${c} <> '' ORDER BY 1 LIMIT 21`)
    ).map((x) => x.v);
    out.push({
      column,
      words: nameWords(column),
      distinct: r!.distinct,
      nonEmpty: r!.non_empty,
      isoDates: r!.iso,
      slashDates: r!.slash,
      dayFirst: Boolean(r!.day_first),
      monthFirst: Boolean(r!.month_first),
      numbers: r!.numbers,
      min: r!.min,
      max: r!.max,
      maxDate: r!.max_date,
      values,
    });
  }
  return out;
}

const isDate = (p: Profile) => p.nonEmpty > 0 && p.isoDates + p.slashDates >= 0.95 * p.nonEmpty;
const isNumber = (p: Profile) => p.nonEmpty > 0 && p.numbers >= 0.95 * p.nonEmpty;
const has = (p: Profile, ...words: string[]) => words.some((w) => p.words.some((x) => x.startsWith(w)));

/** Starts of the words that name a site column, and a therapist column. */
const SITE_WORDS = ["site", "clinic", "program", "location", "facility"];
const THERAPIST_WORDS = ["therapist", "clinician", "counsel", "provider", "staff", "worker"];

/**
 * Whether a column's name marks it as a site or a therapist, which init proposes to map as such: its
 * values are not taken for clients' names (the guard's isStaffOrPlace, before there is a config).
 */
const namedStaffOrPlace = (column: string) =>
  nameWords(column).some((x) => [...SITE_WORDS, ...THERAPIST_WORDS].some((w) => x.startsWith(w)));

/** The first column, not yet used, that passes the test. */
function pick(profiles: Profile[], used: Set<string>, test: (p: Profile) => boolean): string | null {
  const p = profiles.find((x) => !used.has(x.column) && test(x));
  if (!p) return null;
  used.add(p.column);
  return p.column;
}

/** Known instruments by column name: the range and, for the SRS, its items and the usual tiers. */
const SRS_ITEMS: [string, string, string[]][] = [
  ["bond", "Relationship (bond)", ["relationship", "bond"]],
  ["goals", "Goals and topics", ["goal"]],
  ["task", "Approach or method (task)", ["approach", "method", "task"]],
  ["overall", "Overall", ["overall"]],
];

/** Which column of the files is which field, from the columns' names and values. */
function pickColumns(tables: Table[]) {
  // Two files: the one with more rows per distinct id is the sessions file.
  const [episodesT, sessionsT] =
    tables.length === 2 ? ([...tables].sort((a, b) => a.rows - b.rows) as [Table, Table]) : [tables[0]!, tables[0]!];
  const layout = tables.length === 2 ? "tables" : "long";
  const usedE = new Set<string>();
  const usedS = new Set<string>();
  const idTest = (p: Profile) => has(p, "client", "patient", "participant", "person", "subject", "case") && !isDate(p);
  const clientE = pick(episodesT.profiles, usedE, idTest);
  const clientS = layout === "tables" ? pick(sessionsT.profiles, usedS, idTest) : clientE;
  if (layout === "long" && clientE) usedS.add(clientE);
  const site = pick(episodesT.profiles, usedE, (p) => has(p, ...SITE_WORDS));
  const therapist = pick(episodesT.profiles, usedE, (p) => has(p, ...THERAPIST_WORDS) && !isNumber(p));
  const admit = pick(episodesT.profiles, usedE, (p) => isDate(p) && has(p, "admi", "intake", "start", "enrol", "open"));
  const discharge = pick(episodesT.profiles, usedE, (p) => isDate(p) && has(p, "discharge", "end", "exit", "close"));
  const reason = pick(
    episodesT.profiles,
    usedE,
    (p) => has(p, "reason", "disposition") || (has(p, "discharge") && !isDate(p)),
  );
  const used = layout === "tables" ? usedS : usedE;
  const sessionsP = sessionsT.profiles;
  const sessionDate = pick(
    sessionsP,
    used,
    (p) => isDate(p) && has(p, "session", "visit", "appoint", "contact", "date"),
  );
  // Numbered item columns of a known instrument (WAI_1 … WAI_12): the alliance is scored from them.
  const itemGroup = findItemGroup(
    sessionsP
      .filter((p) => !used.has(p.column))
      .map((p) => ({ column: p.column, numeric: isNumber(p), min: p.min, max: p.max })),
  );
  for (const c of itemGroup?.columns ?? []) used.add(c);
  const srsItems = SRS_ITEMS.map(([name, label, words]) => ({
    name,
    label,
    column: pick(sessionsP, used, (p) => isNumber(p) && has(p, "srs") && words.some((w) => has(p, w))),
  }));
  const otherRater = pick(
    sessionsP,
    used,
    (p) => isNumber(p) && has(p, "srs", "wai", "alliance", "haq") && has(p, "therapist", "clinician", "observer"),
  );
  const alliance = pick(sessionsP, used, (p) => isNumber(p) && has(p, "srs", "wai", "alliance", "haq", "calpas"));
  const outcome = pick(sessionsP, used, (p) => isNumber(p) && has(p, "ors", "outcome", "oq", "phq", "score"));
  const allianceP = sessionsP.find((p) => p.column === alliance);
  const outcomeP = sessionsP.find((p) => p.column === outcome);
  const isSrs = itemGroup ? itemGroup.instrument === "srs" : allianceP !== undefined && has(allianceP, "srs");
  const isOrs = outcomeP !== undefined && has(outcomeP, "ors");
  return {
    layout,
    episodesT,
    sessionsT,
    clientE,
    clientS,
    site,
    therapist,
    admit,
    discharge,
    reason,
    sessionDate,
    sessionsP,
    itemGroup,
    srsItems,
    otherRater,
    alliance,
    outcome,
    allianceP,
    outcomeP,
    isSrs,
    isOrs,
  };
}

type Picks = ReturnType<typeof pickColumns>;

/** What the values suggest: the date order, the cutoff, and the discharge reasons sorted. */
function proposeValues({ episodesT, sessionsP, admit, reason }: Picks) {
  const dates = [...episodesT.profiles, ...sessionsP].filter(isDate);
  const dayFirst = dates.some((p) => p.dayFirst);
  const monthFirst = dates.some((p) => p.monthFirst);
  const slashes = dates.some((p) => p.slashDates > 0);
  let dateFormat: string | null = "iso";
  if (slashes) dateFormat = dayFirst && !monthFirst ? "day_first" : monthFirst && !dayFirst ? "us" : null;
  // Sessions and discharges are often entered after the export's cutoff; admissions rarely are.
  const latest =
    episodesT.profiles.find((p) => p.column === admit)?.maxDate ??
    dates
      .map((p) => p.maxDate)
      .filter((d): d is string => d !== null)
      .sort()
      .at(-1) ??
    null;
  const cutoff = latest ? quarterEnd(latest) : null;
  const reasons = episodesT.profiles.find((p) => p.column === reason)?.values ?? [];
  const dropout = reasons.filter((r) => /drop|left|against|ama\b|no.?show|disengag|lost|withdr/i.test(r));
  const completion = reasons.filter((r) => /complet|graduat|success|finish/i.test(r));
  const other = reasons.filter((r) => !dropout.includes(r) && !completion.includes(r));
  return { dateFormat, latest, cutoff, reasons, dropout, completion, other };
}

type Values = ReturnType<typeof proposeValues>;

/** The proposal's lines, and the blanks (config keys) left for the user, in the order they appear. */
function writer(configDir: string) {
  const blanks: string[] = [];
  const lines: string[] = [];
  return {
    blanks,
    lines,
    L: (s = "") => lines.push(s),
    val(v: string | null, key: string) {
      if (v !== null) return JSON.stringify(v);
      blanks.push(key);
      return `"" # ${TODO}: name the column`;
    },
    range(p: Profile | undefined, known: [number, number] | null, key: string) {
      if (known) return `min: ${known[0]}\n  max: ${known[1]}`;
      blanks.push(`${key}.min/max`);
      return `min: ${p?.min ?? 0}   # ${TODO}: the lowest possible score (this is the lowest seen in the data)\n  max: ${p?.max ?? 1}   # ${TODO}: the highest possible score (highest seen: ${p?.max ?? "none"})`;
    },
    rel: (t: Table) => relative(configDir, t.file) || basename(t.file),
  };
}

type Writer = ReturnType<typeof writer>;

/** The study, its files and the columns. */
function writeColumns(
  { L, val, rel }: Writer,
  configDir: string,
  {
    layout,
    episodesT,
    sessionsT,
    clientE,
    clientS,
    site,
    therapist,
    admit,
    discharge,
    reason,
    sessionDate,
    itemGroup,
    alliance,
    outcome,
  }: Picks,
): void {
  L("# Proposed by `alliance init` from the data files. Check every line, and fill in each TODO;");
  L("# `alliance validate --config <this file>` then checks the data against the config. See docs/config.md.");
  L("study:");
  L(
    `  name: ${JSON.stringify(
      basename(configDir)
        .replace(/[^A-Za-z0-9_.-]/g, "-")
        .replace(/^[^A-Za-z0-9]+/, "") || "study",
    )}`,
  );
  L(`  title: ${JSON.stringify("Alliance and outcome study")}   # printed on the report`);
  L();
  L("files:");
  if (layout === "tables") {
    L(
      `  episodes: ${JSON.stringify(rel(episodesT))}   # ${episodesT.loaded.format}, ${episodesT.rows} rows (fewer rows per client: one per episode)`,
    );
    L(`  sessions: ${JSON.stringify(rel(sessionsT))}   # ${sessionsT.loaded.format}, ${sessionsT.rows} rows`);
  } else
    L(
      `  long: ${JSON.stringify(rel(episodesT))}   # ${episodesT.loaded.format}, ${episodesT.rows} rows; one row per session. For one row per episode with numbered session columns, use wide: instead`,
    );
  L();
  L("# Your column (right) for each field (left), proposed from the column names and their values.");
  L("columns:");
  L("  episodes:");
  L(`    client_id: ${val(clientE, "columns.episodes.client_id")}`);
  L(`    site: ${val(site, "columns.episodes.site")}`);
  L(`    therapist_id: ${val(therapist, "columns.episodes.therapist_id")}`);
  L(`    admit_date: ${val(admit, "columns.episodes.admit_date")}`);
  L(`    discharge_date: ${val(discharge, "columns.episodes.discharge_date")}`);
  L(`    discharge_reason: ${val(reason, "columns.episodes.discharge_reason")}`);
  L("  sessions:");
  L(`    client_id: ${val(clientS, "columns.sessions.client_id")}`);
  L(`    session_date: ${val(sessionDate, "columns.sessions.session_date")}`);
  if (itemGroup)
    L(
      `    # alliance: scored from its items (alliance.items below)${alliance ? `; the file's ${alliance} is not used` : ""}`,
    );
  else
    L(
      `    alliance: ${val(alliance, "columns.sessions.alliance")}   # or score it from its items: see alliance.items in docs/config.md`,
    );
  L(`    outcome: ${val(outcome, "columns.sessions.outcome")}`);
  L();
}

/** The alliance instrument: scored from items, or a total with its range; subscales and other raters. */
function writeAlliance(
  { L, range, blanks }: Writer,
  { itemGroup, isSrs, allianceP, srsItems, otherRater, sessionsP }: Picks,
): void {
  L("alliance:");
  if (itemGroup) {
    if (!itemGroup.sure) blanks.push("alliance.items.instrument");
    L("  items:   # the total and subscales are scored from the items, with the instrument's published key");
    L(
      `    instrument: ${itemGroup.instrument}   # ${itemGroup.why}${itemGroup.sure ? "" : `; ${TODO}: confirm the form you used`}`,
    );
    L(`    columns: ${JSON.stringify(itemGroup.pattern)}`);
    L(
      `    max_missing: ${DEFAULTS.alliance.items.max_missing}   # items of the total that may be unanswered and prorated (0: every item answered)`,
    );
  } else {
    L(
      `  instrument: ${JSON.stringify(isSrs ? "Session Rating Scale (SRS)" : allianceP ? `${allianceP.column}` : "Alliance")}${isSrs ? "" : `   # ${TODO}: the instrument's name as the report should print it`}`,
    );
    if (!isSrs) blanks.push("alliance.instrument");
    L(`  ${range(allianceP, isSrs ? [0, 40] : null, "alliance")}`);
  }
  L(
    `  early_window: ${DEFAULTS.alliance.early_window}        # early alliance = mean of the first ${DEFAULTS.alliance.early_window} ratings`,
  );
  L(`  rater: ${DEFAULTS.alliance.rater}`);
  const items = srsItems.filter((i) => i.column !== null);
  if (isSrs && items.length && !itemGroup) {
    L("  # The SRS's items (0–10 each), analysed beside the total (Duncan et al., 2003).");
    L("  subscales:");
    for (const i of items)
      L(
        `    - { name: ${i.name}, label: ${JSON.stringify(i.label)}, column: ${JSON.stringify(i.column)}, min: 0, max: 10 }`,
      );
  }
  if (otherRater) {
    const p = sessionsP.find((x) => x.column === otherRater)!;
    const perspective = has(p, "observer") ? "observer" : "therapist";
    L(`  # Another perspective on the alliance: check its instrument name and range.`);
    L("  other_raters:");
    blanks.push("alliance.other_raters[0].instrument");
    L(
      `    - { rater: ${perspective}, instrument: ${JSON.stringify(`${perspective[0]!.toUpperCase()}${perspective.slice(1)}-rated alliance (${otherRater})`)}, column: ${JSON.stringify(otherRater)}, min: ${isSrs ? 0 : (p.min ?? 0)}, max: ${isSrs ? 40 : (p.max ?? 1)} }   # ${TODO}: name the instrument; check the range`,
    );
  }
  L();
}

/** The outcome measure and the discharge reasons. */
function writeOutcome(
  { L, range, blanks }: Writer,
  { isOrs, outcomeP, reason }: Picks,
  { reasons, dropout, completion, other }: Values,
): void {
  L("outcome:");
  L(
    `  measure: ${JSON.stringify(isOrs ? "Outcome Rating Scale (ORS)" : outcomeP ? outcomeP.column : "Outcome")}${isOrs ? "" : `   # ${TODO}: the measure's name`}`,
  );
  if (!isOrs) blanks.push("outcome.measure");
  L(`  ${range(outcomeP, isOrs ? [0, 40] : null, "outcome")}`);
  L(
    `  higher_is_better: ${isOrs ? "true" : `true   # ${TODO}: false when lower scores mean the client is doing better`}`,
  );
  if (isOrs) {
    L("  # ORS values from practice material (alpha .93, adult cutoff 25); confirm against Miller et al. (2003).");
    L("  reliability: 0.93");
    L("  clinical_cutoff: 25");
  } else blanks.push("outcome.higher_is_better");
  L();
  L(
    `# Discharge reasons seen in ${reason ?? "the data"}: ${reasons.length ? reasons.map((r) => JSON.stringify(r)).join(", ") : "none found"}.`,
  );
  L(
    dropout.length
      ? `dropout_reasons: [${dropout.map((r) => JSON.stringify(r)).join(", ")}]`
      : `dropout_reasons: [""]   # ${TODO}: the reasons that count as dropout`,
  );
  if (completion.length) L(`completion_reasons: [${completion.map((r) => JSON.stringify(r)).join(", ")}]`);
  if (other.length)
    L(
      `# Other reasons seen (neither dropout nor completion): ${other.map((r) => JSON.stringify(r)).join(", ")}; list them under other_discharge_reasons to close the list.`,
    );
  L();
}

/** The cutoff, how values are written, the tiers and privacy. */
function writeSettings(
  { L }: Writer,
  { isSrs }: Picks,
  { cutoff, latest, dateFormat }: Values,
  flagged: { column: string; kind: string }[],
): void {
  L(
    cutoff
      ? `cutoff_date: "${cutoff}"   # the end of the quarter of the latest admission (${latest}); set it to the date the export was taken`
      : `cutoff_date: "" # ${TODO}: the data cutoff, YYYY-MM-DD`,
  );
  L();
  L(
    dateFormat === null
      ? `values:\n  date_format: iso   # ${TODO}: the files write dates with slashes and no day above 12: say us (MM/DD/YYYY) or day_first (DD/MM/YYYY)`
      : `values:\n  date_format: ${dateFormat}   # how the files write dates (proposed from their values)`,
  );
  L(
    `  missing: ${JSON.stringify(DEFAULTS.values.missing).replace(/","/g, '", "')}   # add your missing-value codes, e.g. "-9", "999"`,
  );
  L();
  if (isSrs) {
    L("# low < 30 ≤ moderate < 36 ≤ high (36 is the SRS concern threshold used in PCOMS practice).");
    L("tiers:\n  cut_points: [30, 36]\n  labels: [low, moderate, high]\n  reference: low");
  } else {
    L("# Tertiles of early alliance; give cut_points instead when the instrument has established ones.");
    L("tiers:\n  method: quantiles\n  quantiles: 3\n  labels: [low, moderate, high]\n  reference: low");
  }
  L();
  L("privacy:");
  L(`  min_cell_size: ${DEFAULTS.privacy.min_cell_size}`);
  if (flagged.length) {
    L("  # These columns look like direct identifiers (HIPAA Safe Harbor) and are dropped as the files are read:");
    L(
      `  drop_columns: [${flagged.map((f) => JSON.stringify(f.column)).join(", ")}]   # ${flagged.map((f) => `${f.column}: ${f.kind}`).join("; ")}`,
    );
  }
}

function proposeConfig(
  tables: Table[],
  flagged: { column: string; kind: string }[],
  configDir: string,
): { text: string; blanks: string[] } {
  const picks = pickColumns(tables);
  const values = proposeValues(picks);
  const w = writer(configDir);
  if (values.dateFormat === null) w.blanks.push("values.date_format");
  if (!values.dropout.length) w.blanks.push("dropout_reasons");
  if (!values.cutoff) w.blanks.push("cutoff_date");
  writeColumns(w, configDir, picks);
  writeAlliance(w, picks);
  writeOutcome(w, picks, values);
  writeSettings(w, picks, values, flagged);
  return { text: w.lines.join("\n") + "\n", blanks: w.blanks };
}

/** The last day of the calendar quarter of a YYYY-MM-DD date. @example quarterEnd("2025-11-03") // => "2025-12-31" */
export function quarterEnd(date: string): string {
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  const endMonth = Math.ceil(m / 3) * 3;
  return new Date(Date.UTC(y, endMonth, 0)).toISOString().slice(0, 10);
}
