/**
 * Every message the user can see, in one catalogue keyed by its code: what is wrong (text) and how to
 * fix it (fix), each a function of the few facts it names. Stages build problems through `problem`,
 * and tests assert codes and texts through this module rather than copies of the text.
 * docs/validation-rules.md documents every code (a test keeps the two in step).
 *
 * Codes start with their kind: E_ an error (the command stops, exit 1), W_ a warning (a record is
 * left out and counted), N_ a note (reported; nothing is left out), X_ an exclusion made by
 * derivation. Config keys checked by the schema and by load-config name the key itself; their
 * key-specific sentences live beside the check (pipeline/config/load-config.ts) under the codes
 * E_CONFIG_KEY and E_CONFIG_VALUE here.
 */
import type { Problem, Where } from "./problem.ts";

interface Entry<A> {
  text: (a: A) => string;
  fix: (a: A) => string;
}

/** A catalogue entry; `A` is what the message names. */
const entry = <A = Record<string, never>>(e: Entry<A>): Entry<A> => e;

const listed = (xs: readonly string[]) => xs.map((x) => `"${x}"`).join(", ");

export const MESSAGES = {
  // ── Input files ──────────────────────────────────────────────────────────────────────────────
  /** The file cannot be opened (missing, no permission, a folder). */
  E_FILE_UNREADABLE: entry<{ role: string; reason: string }>({
    text: (a) => `the ${a.role} file cannot be read (${a.reason})`,
    fix: (a) => `Check files.${a.role} in the config; paths are relative to the config file's folder.`,
  }),
  /** The file cannot be parsed in its format. The reader's message is shown without any line it quotes. */
  E_FILE_UNPARSEABLE: entry<{ format: string | null; detail: string }>({
    text: (a) =>
      `cannot be read${a.format ? ` as ${a.format}` : ""}: ${a.detail
        .split("\n")
        .filter((l) => !/^\s*(Original Line|csv_line)/i.test(l))
        .slice(0, 3)
        .join(" ")}`,
    fix: () =>
      "Check that the file is complete and in one of the formats of docs/data-contract.md (CSV/TSV with one header row, xlsx, SPSS .sav, Parquet, JSON or NDJSON); name its format, sheet, delimiter or encoding under files in the config if detection picked the wrong one.",
  }),
  /** A file with a header but no records (or nothing at all). */
  E_FILE_EMPTY: entry<{ role: string }>({
    text: (a) => `holds no records: the ${a.role} file has a header at most`,
    fix: (a) =>
      `Export the ${a.role} again with its rows, or point files.${a.role} in the config at the file that has them.`,
  }),
  /** The file holds bytes no text file has (a spreadsheet or archive saved with a .csv name, say). */
  E_FILE_NOT_TEXT: entry<{ what: string }>({
    text: (a) => `is not a text file (${a.what}), so it cannot be read as CSV`,
    fix: () =>
      "Export the data as CSV or TSV, or give the file its own extension (.xlsx, .sav, .parquet) or name its format under files in the config.",
  }),
  /** A row with more, or fewer, cells than the header names. */
  E_ROW_RAGGED: entry<{ expected: number; found: number | null }>({
    text: (a) =>
      a.found === null
        ? `the row has a different number of cells from the header's ${a.expected}`
        : `the row has ${a.found} cells where the header names ${a.expected}`,
    fix: () =>
      'A cell holding the delimiter must be quoted ("Smith, J"); otherwise remove the extra delimiter or add the missing cells, so that every row has the header\'s columns.',
  }),
  /** A quote opened in a cell and never closed: the rest of the file would be read as one cell. */
  E_QUOTE_UNCLOSED: entry({
    text: () => "a quoted cell starts here and is never closed, so the rest of the file cannot be read",
    fix: () => 'Close the quote, or double a quote that is part of the text (""), at this line.',
  }),
  /** Bytes that are not text in the file's encoding. */
  E_ENCODING_INVALID: entry<{ encoding: string }>({
    text: (a) => `holds bytes that are not valid ${a.encoding} text`,
    fix: (a) =>
      `Save the file as UTF-8, or name its encoding under files in the config (encoding: latin-1${a.encoding === "latin-1" ? " is what was tried" : ""}).`,
  }),
  /** Two columns of a file's header have the same name (letter case aside): which one is meant is ambiguous. */
  E_COLUMN_DUPLICATE: entry<{ name: string; first: string; second: string }>({
    text: (a) => `has two columns named "${a.name}": ${a.first} and ${a.second}`,
    fix: (a) =>
      `Rename one of them in the file (for example the ${a.second} to "${a.name}_2"), so that each column has a name of its own.`,
  }),
  /** A column the config maps is not in the file. */
  E_COLUMN_MISSING: entry<{ field: string; column: string; present: string[] }>({
    text: (a) => `has no column "${a.column}" (the config maps ${a.field} to it)`,
    fix: (a) => {
      const near = a.present.find((c) => c.toLowerCase() === a.column.toLowerCase());
      return near
        ? `The file has "${near}": change columns.*.${a.field} in the config to "${near}".`
        : `Add the column to the file, or map ${a.field} to one of its columns: ${a.present.join(", ")}.`;
    },
  }),
  /** A column holds a direct identifier, found by its name or values; no value is ever shown. */
  E_IDENTIFIER_COLUMN: entry<{ kind: string; how: string; column: string }>({
    text: (a) =>
      `looks like it holds ${a.kind} (found ${a.how}); the run stops so that no identifier reaches an output`,
    fix: (a) =>
      `Remove the column from the file, or list "${a.column}" under privacy.drop_columns so it is dropped as the file is read. If it holds no identifier, list it under privacy.not_identifiers.`,
  }),

  // ── Validation rules (pipeline/phases/validate/validation-rules.ts) ───────────────────────────────────
  E_REQUIRED_MISSING: entry<{ field: string; record: "episode" | "session" }>({
    text: (a) => `${a.field} is empty`,
    fix: (a) => `Fill in ${a.field} for this ${a.record}, or remove the row.`,
  }),
  E_DUPLICATE_EPISODE: entry<{ firstRow: string; byId: boolean }>({
    text: (a) =>
      `the client has a second episode with the same ${a.byId ? "episode id" : "admission date"} (first on row ${a.firstRow})`,
    fix: (a) =>
      a.byId
        ? "Give each episode its own id, or remove the repeated row."
        : "A client's episodes are told apart by admission date: remove the repeated row, or map columns.episodes.episode_id if the file has an episode id.",
  }),
  E_EPISODES_OVERLAP: entry<{ previousRow: string; open: boolean }>({
    text: (a) =>
      `the client's episode starts before the client's previous episode (row ${a.previousRow}) ${a.open ? "ends: that one is still open" : "was discharged"}`,
    fix: () =>
      "Sessions are given to the episode whose dates they fall in, so a client's episodes must not overlap: correct the dates, or give episodes and sessions an episode id (columns.*.episode_id).",
  }),
  E_EPISODE_FIELDS_DIFFER: entry<{ row: string }>({
    text: (a) => `the episode's site, dates, discharge reason or tier on row ${a.row} differ from its first row`,
    fix: () =>
      "In a long file every row of an episode repeats the same episode fields: correct the row, or give the rows distinct episode ids if they are different episodes.",
  }),
  E_DATE_INVALID: entry<{ value: string; forms: string; dateFormat: "iso" | "us" | "day_first" }>({
    // A value written as a real date in another form is not echoed: it may be a person's date.
    text: (a) =>
      /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$/.test(a.value)
        ? `is not a date written ${a.forms} (it is written in another order)`
        : a.value
          ? `"${a.value}" is not a date written ${a.forms}`
          : `is not a date written ${a.forms}`,
    fix: (a) =>
      a.dateFormat === "iso"
        ? "Write dates as YYYY-MM-DD (a four-digit year, then a two-digit month and day). If the file writes them MM/DD/YYYY or DD/MM/YYYY, say which with values.date_format (us or day_first) in the config; ambiguous dates are never guessed."
        : `Write dates as ${a.forms}, and check that values.date_format (${a.dateFormat}) is how the file writes them.`,
  }),
  E_DISCHARGE_BEFORE_ADMIT: entry({
    text: () => "discharged before admission",
    fix: () => "Correct the admission or discharge date; the discharge date cannot precede admission.",
  }),
  E_REASON_MISSING: entry<{ dropoutReasons: string[] }>({
    text: () => "the episode was discharged but has no discharge reason",
    fix: (a) => `Give the discharge reason; these count as dropout: ${listed(a.dropoutReasons)}.`,
  }),
  E_REASON_WITHOUT_DISCHARGE: entry<{ value: string }>({
    text: (a) => `has a discharge reason ("${a.value}") but no discharge date`,
    fix: () => "Give the discharge date, or clear the reason if the episode is still active.",
  }),
  E_REASON_UNKNOWN: entry<{ value: string }>({
    text: (a) => `"${a.value}" is not a discharge reason the config lists`,
    fix: () =>
      "Correct the reason, or add it to dropout_reasons, completion_reasons or other_discharge_reasons (spelled exactly as in the data).",
  }),
  E_TIER_UNKNOWN: entry<{ value: string; labels: string[] }>({
    text: (a) =>
      a.value === "" ? "has no tier label" : `"${a.value}" is not one of the tier labels ${listed(a.labels)}`,
    fix: () =>
      "Give each episode one of the labels listed in tiers.labels, or add the label there (lowest tier first).",
  }),
  E_SCORE_NOT_NUMBER: entry<{ value: string; name: string }>({
    // An empty value: the cell is not quoted (a cell the reader refused, written like an identifier).
    text: (a) => (a.value ? `"${a.value}" is not a number` : "is not a number"),
    fix: (a) =>
      `Give the ${a.name} score as a number with a decimal point (e.g. 34 or 34.5), or leave the cell empty if it was not rated.`,
  }),
  E_SCORE_OUT_OF_RANGE: entry<{ value: string; name: string; min: number; max: number; key: string }>({
    text: (a) => `${a.value} is outside the ${a.name} range ${a.min}–${a.max}`,
    fix: (a) =>
      `Correct the score; if it is a missing-value code, leave the cell empty. If the range is wrong, change ${a.key}.min/max in the config (now ${a.min}–${a.max}).`,
  }),
  W_ADMIT_AFTER_CUTOFF: entry<{ cutoff: string }>({
    text: (a) => `admitted after the data cutoff ${a.cutoff}`,
    fix: () => "Nothing to fix if the cutoff is right: the episode is left out. Otherwise move cutoff_date.",
  }),
  W_SESSION_NO_EPISODE: entry<{ byEpisodeId: boolean }>({
    text: (a) =>
      a.byEpisodeId
        ? "the session's client has no episode with this episode id"
        : "the session's client has no episode in the episodes file",
    fix: () => "Add the client's episode, or correct the client id (and episode id).",
  }),
  W_SESSION_EPISODE_EXCLUDED: entry({
    text: () => "belongs to an episode that starts after the cutoff",
    fix: () => "Nothing to fix: the episode is outside the study period.",
  }),
  W_SESSION_AFTER_CUTOFF: entry<{ cutoff: string }>({
    text: (a) => `session dated after the data cutoff ${a.cutoff}`,
    fix: () => "Nothing to fix if the cutoff is right: the session is left out.",
  }),
  W_SESSION_BEFORE_ADMIT: entry({
    text: () => "session dated before its episode's admission",
    fix: () => "Correct the session or admission date.",
  }),
  W_SESSION_AFTER_DISCHARGE: entry({
    text: () => "session dated after its episode's discharge",
    fix: () => "Correct the session or discharge date.",
  }),
  W_SESSION_DUPLICATE: entry<{ firstRow: string }>({
    text: (a) => `second session for the same client on the same day (also on row ${a.firstRow})`,
    fix: () => "Remove the duplicate row, or correct its date. The first row is kept.",
  }),
  N_REASON_OTHER: entry<{ value: string }>({
    text: (a) =>
      `"${a.value}" is neither a dropout nor a completion reason, so it counts as another reason (neither dropout nor completion)`,
    fix: () =>
      "Nothing to fix if that is right; list it under other_discharge_reasons to say so, or under dropout_reasons or completion_reasons.",
  }),
  N_THERAPIST_CHANGED: entry<{ value: string }>({
    text: (a) => `the episode's therapist changes at this session: ${a.value}`,
    fix: () =>
      "Nothing to fix if the client changed therapist: analyses by therapist use the episode's therapist. Otherwise correct the therapist id.",
  }),
  X_NO_ALLIANCE_RATING: entry({
    text: () => "no alliance rating before the cutoff",
    fix: () => "Nothing to fix: the episode has no early alliance and no tier, so it is counted and not analysed.",
  }),

  // ── The study as a whole ─────────────────────────────────────────────────────────────────────
  /** Nothing is left to analyse once the rules have run. */
  E_NOTHING_TO_ANALYSE: entry<{ reason: string }>({
    text: (a) => `no episode can be analysed: ${a.reason}`,
    fix: () =>
      "Check the files and the config's cutoff_date, columns and missing-value codes; `alliance validate` lists what each rule left out.",
  }),
  /** The reporting period ends after the data cutoff. */
  E_PERIOD_AFTER_CUTOFF: entry<{ label: string; end: string; cutoff: string }>({
    text: (a) => `the period ${a.label} ends on ${a.end}, after the data cutoff ${a.cutoff}`,
    fix: () => "Report an earlier period (or latest), or extend cutoff_date once the data cover the period.",
  }),
  E_PERIOD: entry<{ text: string }>({
    text: (a) => `"${a.text}" is not a reporting period.`,
    fix: () =>
      "Give a quarter (2026Q3), a fiscal quarter (FY2027Q1), a month (2026-08), a fiscal year (FY2027) or latest.",
  }),

  // ── Config ───────────────────────────────────────────────────────────────────────────────────
  E_CONFIG_READ: entry<{ reason: string }>({
    text: (a) => `cannot be read (${a.reason})`,
    fix: () => "Check the path given to --config.",
  }),
  E_CONFIG_YAML: entry<{ detail: string }>({
    text: (a) => `is not valid YAML: ${a.detail}`,
    fix: () => "Correct the YAML syntax at that line.",
  }),
  /** A key that is missing, unknown or of the wrong type; the sentence names the key's own rule. */
  E_CONFIG_KEY: entry<{ detail: string; fix: string }>({ text: (a) => a.detail, fix: (a) => a.fix }),
  /** A value the config's own rules refuse (ranges, tiers, layouts); the sentence names the key's own rule. */
  E_CONFIG_VALUE: entry<{ detail: string; fix: string }>({ text: (a) => a.detail, fix: (a) => a.fix }),

  // ── Published correlations (alliance meta) ───────────────────────────────────────────────────
  E_META_FILE: entry<{ detail: string; unreadable: boolean }>({
    text: (a) =>
      a.unreadable ? `cannot read the studies file (${a.detail})` : `is not a readable CSV table: ${a.detail}`,
    fix: (a) => (a.unreadable ? "Check the path given to --studies." : "Save the table as CSV with a header row."),
  }),
  E_META_COLUMN: entry<{ column: string; columns: string[] }>({
    text: (a) => `has no column "${a.column}" (columns: ${a.columns.join(", ") || "none"})`,
    fix: () => "Name the columns study, n and r (year and moderators are optional).",
  }),
  E_META_STUDY: entry({ text: () => "is empty", fix: () => "Give every row a study label." }),
  E_META_N: entry<{ value: string }>({
    text: (a) => `"${a.value}" is not a whole number above 3`,
    fix: () => "n is the study's sample size; Fisher's z needs n > 3.",
  }),
  E_META_R: entry<{ value: string }>({
    text: (a) => `"${a.value}" is not a correlation between -1 and 1`,
    fix: () => "r must lie strictly between -1 and 1, with a point as the decimal mark.",
  }),
  E_META_YEAR: entry<{ value: string }>({
    text: (a) => `"${a.value}" is not a year`,
    fix: () => "Write the year as four digits, or leave it empty.",
  }),
  E_META_TOO_FEW: entry<{ k: number }>({
    text: (a) => `holds ${a.k} ${a.k === 1 ? "study" : "studies"}; pooling needs at least 2`,
    fix: () => "Add studies to the table.",
  }),
  E_META_BY: entry<{ column: string; moderators: string[] }>({
    text: (a) => `has no moderator column "${a.column}" (moderators: ${a.moderators.join(", ") || "none"})`,
    fix: () => "Name one of the table's other columns with --by.",
  }),

  // ── Outputs ──────────────────────────────────────────────────────────────────────────────────
  /** No browser: the report is written as HTML only. */
  W_NO_BROWSER: entry<{ hint: string; file: string }>({
    text: (a) => `no Chromium found, so ${a.file} was not written.`,
    fix: (a) => a.hint,
  }),
  E_REPORT_NOT_SELF_CONTAINED: entry<{ urls: string[] }>({
    text: (a) => `the report tried to load ${a.urls.join(", ")}`,
    fix: () => "Report this as a bug: reports must load nothing.",
  }),
  /** The output folder (or its parent) cannot be written: no permission, a read-only disk, a full disk, a file-size limit. */
  E_OUTPUT_UNWRITABLE: entry<{ reason: string }>({
    text: (a) => `the output folder cannot be written (${a.reason})`,
    fix: () => "Give --out a folder you may write to, on a disk with room.",
  }),
  /** The branding logo is not an image (by its bytes), is too large, or cannot be read. */
  E_LOGO: entry<{ why: string }>({
    text: (a) => `the logo cannot be used: ${a.why}`,
    fix: () =>
      "Give reporting.branding.logo a PNG, JPEG or SVG image of at most 512 KB; an SVG may hold no script and refer to nothing outside itself.",
  }),
  /** --previous names something that is not a published quarterly results.json or batch folder. */
  E_PREVIOUS_UNREADABLE: entry<{ why: string }>({
    text: (a) => `--previous cannot be used: ${a.why}`,
    fix: () => "Give --previous the results.json of the program's last published report, or the folder of that batch.",
  }),
  /** --out is a file, or lies under one. */
  E_OUTPUT_NOT_FOLDER: entry<{ why: string }>({
    text: (a) => `the output location is not a folder: ${a.why}`,
    fix: () => "Give --out a folder (new or existing), not a file or a path under a file.",
  }),
  /** The disk of the output folder has less room than the outputs need. */
  E_OUTPUT_NO_ROOM: entry<{ free: string; need: string }>({
    text: (a) => `the output folder's disk has ${a.free} free, and the outputs need about ${a.need}`,
    fix: () => "Free some room on that disk, or give --out a folder on another disk.",
  }),
  /** An error the program did not expect: a bug. No stack trace is shown unless ALLIANCE_DEBUG=1. */
  E_INTERNAL_ERROR: entry<{ detail: string }>({
    text: (a) => `the command failed unexpectedly (${a.detail}); the previous outputs were left as they were`,
    fix: () => "Report this as a bug with the message; ALLIANCE_DEBUG=1 prints the details.",
  }),
  /** --keep-internal names a folder inside the output folder, which users share. */
  E_INTERNAL_INSIDE_OUTPUT: entry<{ out: string }>({
    text: (a) => `--keep-internal names a folder inside the output folder ${a.out}, which is the folder you share`,
    fix: () => "Give --keep-internal a folder outside the output folder (for example beside the data files).",
  }),
  /** The run stopped on a signal (Ctrl-C): nothing of it was published. */
  E_INTERRUPTED: entry<{ signal: string }>({
    text: (a) => `the run was interrupted (${a.signal}) before it finished, so nothing of it was published`,
    fix: () => "Run the command again; the previous outputs were left as they were.",
  }),
  // ── The app (alliance app: pipeline/app/) ────────────────────────────────────────────────────
  /** --port names a port that another program already uses. */
  E_APP_PORT_IN_USE: entry<{ port: number }>({
    text: (a) => `port ${a.port} is already in use, so the app cannot listen on it`,
    fix: () => "Leave out --port to take a free port, or give another one.",
  }),
  /** The workspace folder cannot be made or written. */
  E_APP_WORKSPACE: entry<{ reason: string }>({
    text: (a) => `the app's workspace cannot be used (${a.reason})`,
    fix: () => "Give --workspace a folder you may write to, on a disk with room.",
  }),
  /** A request sent to another host name than the app's loopback address (DNS rebinding; answered 403). */
  E_APP_HOST: entry<{ host: string }>({
    text: (a) => `the request was sent to host "${a.host}", not to this app`,
    fix: () => "Open the address that `alliance app` printed (127.0.0.1 or localhost with its port).",
  }),
  /** A request from a page of another origin (answered 403; the app sends no CORS headers). */
  E_APP_ORIGIN: entry<{ origin: string }>({
    text: (a) => `a page of another origin (${a.origin}) may not use this app`,
    fix: () => "Use the app from its own page.",
  }),
  /** An /api request without the app's token (answered 401). */
  E_APP_TOKEN: entry({
    text: () => "this request has no valid token",
    fix: () => "Open the address with ?token=… that `alliance app` printed, or send `Authorization: Bearer <token>`.",
  }),
  /** An upload larger than the app's limit (answered 413). */
  E_APP_UPLOAD_TOO_LARGE: entry<{ limitMb: number }>({
    text: (a) => `the file is larger than the app's upload limit of ${a.limitMb} MB`,
    fix: () => "Start the app with a larger --upload-limit (in MB), or split the export.",
  }),
  /** A study, run or file the app does not have (answered 404). */
  E_APP_NOT_FOUND: entry<{ what: string }>({
    text: (a) => `there is no ${a.what}`,
    fix: () => "Check the id in the address; a deleted study's files are gone.",
  }),
  /** A request the app cannot act on as sent (answered 400 or 409). */
  E_APP_REQUEST: entry<{ reason: string }>({
    text: (a) => a.reason,
    fix: () => "See docs/app.md for what each route takes.",
  }),
  /** The config is not yet complete: a run or validation needs one that passes every check (answered 409). */
  E_APP_CONFIG_INCOMPLETE: entry<{ todos: string[] }>({
    text: (a) =>
      `the study's config is not complete yet${a.todos.length ? ` (to fill in: ${a.todos.join(", ")})` : ""}`,
    fix: () => "Complete the mapping step (or PUT a config that passes) before validating or running.",
  }),
  // ── The release check (privacy/release-check.ts): nothing is published until it passes ─────────
  /** A value of the client-id column in a file about to be published; the value is never shown. */
  E_RELEASE_CLIENT_ID: entry<{ distinct: number }>({
    text: (a) =>
      `holds ${a.distinct === 1 ? "a value" : `${a.distinct} values`} of the client-id column, so nothing was published`,
    fix: () =>
      "Remove the client id from what you added to the report (a title, a footer, a site or program name in the config, a template of your own), then run the command again.",
  }),
  /** A date that is not the cutoff, a period's bound or the run date: a person's date. */
  E_RELEASE_DATE: entry<{ distinct: number }>({
    text: (a) =>
      `holds ${a.distinct === 1 ? "a date" : `${a.distinct} dates`} other than the cutoff, the reporting periods' bounds and the run date, which may be a person's, so nothing was published`,
    fix: () =>
      "Remove the date from what you added to the report (a title, a footer, a label in the config, a template of your own), or write it as a month or a year, then run the command again.",
  }),
  /** A count from 1 to min − 1 about to be published. */
  E_RELEASE_SMALL_COUNT: entry<{ what: string; min: number }>({
    text: (a) => `shows a count below the minimum cell size ${a.min} (${a.what}), so nothing was published`,
    fix: () =>
      "If the count comes from text or a template you added, remove it; otherwise report this as a bug: the report withholds such counts itself.",
  }),
  /** A withheld count that the shown counts and the identities between them determine. */
  E_RELEASE_RECOVERABLE: entry<{ what: string }>({
    text: (a) => `would let a withheld count be worked out by subtraction (${a.what}), so nothing was published`,
    fix: () => "Report this as a bug: the report withholds as many counts as it takes to prevent this.",
  }),
  E_OUT_OF_MEMORY: entry<{ detail: string }>({
    text: (a) => `the study needs more memory than this machine could give (${a.detail.split("\n")[0]!.trim()})`,
    fix: () =>
      "Close other programs and run it again, or run it on a machine with more memory (README, Speed). Data that did not fit was moved to a private folder in the system's temporary folder, which has been removed.",
  }),
} as const;

export type Code = keyof typeof MESSAGES;
type ArgsOf<C extends Code> = (typeof MESSAGES)[C] extends Entry<infer A> ? A : never;

/**
 * The problem of a code, from the facts its message names.
 * @example problem("E_FILE_EMPTY", { role: "sessions" }, { file: "sessions.csv" }).code // => "E_FILE_EMPTY"
 */
export function problem<C extends Code>(code: C, args: ArgsOf<C>, where?: Where): Problem {
  const e = MESSAGES[code] as unknown as Entry<ArgsOf<C>>;
  return { code, message: e.text(args), ...(where ? { where } : {}), fix: e.fix(args) };
}

/** The text of a code's message. @example text("E_DISCHARGE_BEFORE_ADMIT", {}) // => "discharged before admission" */
export function text<C extends Code>(code: C, args: ArgsOf<C>): string {
  return (MESSAGES[code] as unknown as Entry<ArgsOf<C>>).text(args);
}

/** The fix of a code's message. */
export function fixOf<C extends Code>(code: C, args: ArgsOf<C>): string {
  return (MESSAGES[code] as unknown as Entry<ArgsOf<C>>).fix(args);
}

/**
 * The problem to report for an error thrown during a run, when it is DuckDB running out of memory;
 * null for any other error (a bug, to propagate).
 * @example outOfMemoryProblem(new Error("Out of Memory Error: failed to allocate data of size 16.0 MiB"))?.code // => "E_OUT_OF_MEMORY"
 */
export function outOfMemoryProblem(e: unknown): Problem | null {
  return e instanceof Error && /Out of Memory Error/i.test(e.message)
    ? problem("E_OUT_OF_MEMORY", { detail: e.message })
    : null;
}
