/**
 * The release check: the last thing every command does before its outputs are published. It reads
 * what is about to be published, as a reader would get it (the HTML and its SVG as text, the PDF's
 * text, every JSON and CSV), and refuses the outputs, naming the file, when it finds:
 *   - a value of the client-id column (E_RELEASE_CLIENT_ID);
 *   - a date tied to a person: any calendar date other than the cutoff, the bounds of the reporting
 *     periods and the run date (E_RELEASE_DATE);
 *   - a count from 1 to min_cell_size − 1 shown (E_RELEASE_SMALL_COUNT): in results.json, every count
 *     the disclosure model declares; in the CSV tables, every count column; in the HTML, every table
 *     cell marked as a count and every "n = …" of the text; in the PDF's text, every "n = …";
 *   - a withheld count that the identities let one recover (E_RELEASE_RECOVERABLE): in a research
 *     report, by the disclosure model's audit; in a quarterly batch, sites summing to the program.
 * No finding quotes the id or the date it found. Following OpenSAFELY's rule that nothing leaves
 * until an output check has passed: the report is built to pass by construction (pipeline/phases/render/
^ * shareable.ts, quarterly/batch-suppression.ts), and this checks that it does.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { isCalendarDate } from "../dates.ts";
import { problem } from "../messages.ts";
import type { Problem } from "../problem.ts";
import type { Results } from "../results.ts";
import type { QuarterlyResults } from "../quarterly/quarterly-results.ts";
import { determinedCells, type Identity } from "../../analyses/suppression-audit.ts";
import { MAX_PLAIN_DIGITS, type ClientIds } from "./client-ids.ts";
import { firstRecord } from "../phases/read/csv-header.ts";
import { recoverableCounts, smallVisibleCounts } from "./disclosure.ts";

export interface ReleaseRules {
  /** What the outputs are: decides which counts are checked. */
  kind: "research" | "quarterly" | "validation" | "meta";
  /** null when the outputs hold no counts of people (published correlations). */
  minCellSize: number | null;
  clientIds: ClientIds;
  /** Dates the outputs may show (YYYY-MM-DD): the cutoff, the run date, the periods' bounds. */
  allowedDates: ReadonlySet<string>;
}

export interface ReleaseOutcome {
  problems: Problem[];
  /** The files read, relative to the folder. */
  checked: string[];
}

/** The checks, as recorded in a passing report's provenance. */
export const RELEASE_CHECKS = [
  "no value of the client-id column",
  "no date tied to a person",
  "no count from 1 to min_cell_size − 1",
  "no withheld count recoverable by subtraction",
];

/** Reads every file under `dir` (what is about to be published) and checks it. */
export async function releaseCheck(dir: string, rules: ReleaseRules): Promise<ReleaseOutcome> {
  const files = listFiles(dir);
  const problems: Problem[] = [];
  const quarterly: { file: string; results: QuarterlyResults }[] = [];
  for (const file of files) {
    const path = join(dir, file);
    const text = await readableText(path);
    if (text === null) continue;
    problems.push(
      ...idsAndDates(file, file.endsWith(".html") || file.endsWith(".svg") ? withEmbedded(text) : text, rules),
    );
    if (rules.minCellSize === null || rules.kind === "validation") continue;
    const min = rules.minCellSize;
    if (file.endsWith(".json")) {
      const json = JSON.parse(text) as { kind?: string };
      if (json.kind === "quarterly") {
        quarterly.push({ file, results: json as QuarterlyResults });
        problems.push(...smallQuarterlyCounts(file, json as QuarterlyResults, min));
      } else if (rules.kind === "research" && "flow" in json) {
        const results = json as unknown as Results;
        for (const c of smallVisibleCounts(results, min))
          problems.push(problem("E_RELEASE_SMALL_COUNT", { what: `${c.path} = ${c.value}`, min }, { file }));
        const recoverable = recoverableCounts(results);
        if (recoverable.length)
          problems.push(problem("E_RELEASE_RECOVERABLE", { what: recoverable.join(", ") }, { file }));
      }
    } else if (file.endsWith(".csv")) problems.push(...smallCsvCounts(file, text, min));
    else if (file.endsWith(".html")) problems.push(...smallHtmlCounts(file, text, min));
    else if (file.endsWith(".pdf")) problems.push(...smallTextCounts(file, text, min));
  }
  if (quarterly.length && rules.minCellSize !== null) problems.push(...recoverableInBatch(quarterly));
  return { problems, checked: files };
}

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? listFiles(p, base) : [relative(base, p)];
    });
}

/** A file's text as a reader gets it; null for an image (a branding logo: no text to read). */
async function readableText(path: string): Promise<string | null> {
  if (/\.(png|jpe?g|gif|webp)$/i.test(path)) return null;
  if (path.endsWith(".pdf")) return pdfText(readFileSync(path));
  return readFileSync(path, "utf8");
}

/** PDF.js, loaded once. */
let pdfReader: Promise<typeof import("pdfjs-dist/legacy/build/pdf.mjs")> | null = null;
const loadPdfReader = () => (pdfReader ??= import("pdfjs-dist/legacy/build/pdf.mjs"));

/**
 * Starts loading the PDF reader the release check uses, for a run to call while it waits on the
 * browser printing its PDF: loading it takes the main thread about 0.2 s, which would otherwise come
 * after the printing.
 */
export function preloadPdfReader(): void {
  loadPdfReader().catch(() => {
    pdfReader = null; // pdfText tries again, and reports the failure there
  });
}

/** The text of a PDF's pages, in reading order (Mozilla's PDF.js, as a reader's viewer extracts it). */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdfjs = await loadPdfReader();
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
  const pages: string[] = [];
  try {
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      pages.push(content.items.map((x) => ("str" in x ? x.str + (x.hasEOL ? "\n" : " ") : "")).join(""));
    }
  } finally {
    await doc.destroy();
  }
  return pages.join("\n");
}

/** A letter or digit of any script (for characters beyond ASCII). */
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/**
 * Calls `visit` with each word of a text that could be a client id: runs of letters, digits, '_' and
 * '-' (an id such as C-00012 stays one word), leaving out plain numbers of up to MAX_PLAIN_DIGITS
 * digits, which are never looked for (client-ids.ts). Scanned by character codes, ASCII first: a
 * regular expression over the SVG of a thousand reports took most of the check's time.
 * @example const w: string[] = []; forEachWord("id C-00012, 12 et Zoë", (x) => w.push(x)); w // => ["id", "C-00012", "et", "Zoë"]
 */
export function forEachWord(text: string, visit: (word: string) => void): void {
  let start = -1;
  let digitsOnly = true;
  const end = (i: number) => {
    if (start >= 0 && !(digitsOnly && i - start <= MAX_PLAIN_DIGITS)) visit(text.slice(start, i));
    start = -1;
    digitsOnly = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let part: boolean;
    let width = 1;
    if (c < 128) {
      part = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
    } else {
      const point = text.codePointAt(i)!;
      width = point > 0xffff ? 2 : 1;
      part = LETTER_OR_DIGIT.test(String.fromCodePoint(point));
    }
    if (part) {
      if (start < 0) start = i;
      if (c < 48 || c > 57) digitsOnly = false;
    } else end(i);
    i += width - 1;
  }
  end(text.length);
}
const ISO_DATE = /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)/g;
const SLASHED_DATE = /(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?![\d/.])/g;

/** A data: URI (base64 or not) in a page: what a reader's browser decodes and shows. */
const DATA_URI = /data:([\w.+-]+\/[\w.+-]+)?((?:;[\w-]+=[\w.-]+)*)(;base64)?,([A-Za-z0-9+/=%._~!$&'()*,;:@-]*)/g;

/**
 * A page's text with what it embeds decoded and added: each data: URI's content (base64 or
 * percent-encoded), read as text, so that a client id or a date hidden in an embedded file (a
 * "logo" that is really a data file) is found like any other.
 * @example withEmbedded('<img src="data:text/plain;base64,QzAwMDAx">').includes("C00001") // => true
 */
export function withEmbedded(html: string): string {
  const decoded: string[] = [];
  for (const m of html.matchAll(DATA_URI)) {
    const payload = m[4] ?? "";
    try {
      decoded.push(m[3] ? Buffer.from(payload, "base64").toString("latin1") : decodeURIComponent(payload));
    } catch {
      decoded.push(payload);
    }
  }
  return decoded.length ? `${html}\n${decoded.join("\n")}` : html;
}

function idsAndDates(file: string, text: string, rules: ReleaseRules): Problem[] {
  const out: Problem[] = [];
  if (rules.clientIds.size) {
    const found = new Set<string>();
    forEachWord(text, (w) => {
      if (rules.clientIds.has(w)) found.add(w);
    });
    // A word may be an id with a trailing hyphen or underscore cut off by the tokenizer's neighbours; ids are trimmed likewise.
    if (found.size) out.push(problem("E_RELEASE_CLIENT_ID", { distinct: found.size }, { file }));
  }
  const dates = new Set<string>();
  for (const m of text.matchAll(ISO_DATE)) if (isCalendarDate(m[0]) && !rules.allowedDates.has(m[0])) dates.add(m[0]);
  for (const m of text.matchAll(SLASHED_DATE)) {
    const [d, mo, y] = [m[1]!.padStart(2, "0"), m[2]!.padStart(2, "0"), m[3]!];
    const dayFirst = `${y}-${mo}-${d}`;
    const monthFirst = `${y}-${d}-${mo}`;
    const real = [dayFirst, monthFirst].filter(isCalendarDate);
    if (real.length && !real.some((x) => rules.allowedDates.has(x))) dates.add(m[0]);
  }
  if (dates.size) out.push(problem("E_RELEASE_DATE", { distinct: dates.size }, { file }));
  return out;
}

/** CSV columns that hold counts of people. */
const CSV_COUNT_COLUMNS = new Set([
  "n",
  "episodes",
  "closed",
  "dropouts",
  "eligible",
  "retained",
  "short_followup",
  "n_risk",
  "discharges",
  "admissions",
]);

const small = (v: number, min: number) => Number.isInteger(v) && v >= 1 && v < min;

function smallCsvCounts(file: string, text: string, min: number): Problem[] {
  const [header, ...rows] = text.replace(/\r/g, "").trimEnd().split("\n");
  const columns = parseCsvLine(header ?? "");
  const found: string[] = [];
  rows.forEach((line, r) => {
    parseCsvLine(line).forEach((cell, c) => {
      if (CSV_COUNT_COLUMNS.has(columns[c] ?? "") && cell !== "" && small(Number(cell), min))
        found.push(`row ${r + 2}, column ${columns[c]} = ${cell}`);
    });
  });
  return found.map((what) => problem("E_RELEASE_SMALL_COUNT", { what, min }, { file }));
}

/** One line of the CSV tables (RFC 4180 quoting). */
const parseCsvLine = (line: string): string[] => firstRecord(line, ",") ?? [""];

/** "n = 7", "N = 7", "(n = 7)": a count in running text, an APA statistic or a chart's label. */
const N_EQUALS = /(?<![\p{L}\p{N}])[nN]\s*=\s*(\d[\d,]*)(?![\d.])/gu;

function smallTextCounts(file: string, text: string, min: number): Problem[] {
  const found = [...text.matchAll(N_EQUALS)].map((m) => Number(m[1]!.replace(/,/g, ""))).filter((v) => small(v, min));
  return found.map((v) => problem("E_RELEASE_SMALL_COUNT", { what: `n = ${v} in the text`, min }, { file }));
}

/** Table cells the templates mark as counts, and every "n = …" of the page's text and charts. */
function smallHtmlCounts(file: string, html: string, min: number): Problem[] {
  const cells = [...html.matchAll(/<td class="[^"]*\bcount\b[^"]*">\s*([\d,]+)/g)]
    .map((m) => Number(m[1]!.replace(/,/g, "")))
    .filter((v) => small(v, min));
  return [
    ...cells.map((v) => problem("E_RELEASE_SMALL_COUNT", { what: `a table cell shows ${v}`, min }, { file })),
    ...smallTextCounts(file, html.replace(/<[^>]*>/g, " "), min),
  ];
}

/**
 * Counts of a quarterly results.json: admissions and active figures, every n, numerator, discharges
 * and dropouts. Not the data-quality note of admissions without a rating: it is admissions less the
 * episodes rated, both shown, so withholding it would hide nothing (docs/privacy.md).
 */
function smallQuarterlyCounts(file: string, r: QuarterlyResults, min: number): Problem[] {
  const found: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
    if (v === null || typeof v !== "object") return;
    const o = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(o)) {
      const countLike =
        ["n", "numerator", "discharges", "dropouts", "rows"].includes(k) ||
        (k === "value" && (o.key === "admissions" || o.key === "active"));
      if (countLike && typeof x === "number" && small(x, min)) found.push(`${path}.${k} = ${x}`);
      else walk(x, `${path}.${k}`);
    }
  };
  walk(r, "");
  return found.map((what) => problem("E_RELEASE_SMALL_COUNT", { what, min }, { file }));
}

/**
 * A quarterly batch's withheld counts that the reports together give away: in each period, each
 * count of the program is the sum of the sites' (admissions, active, episodes with a rating, lowest
 * tier, discharges, dropouts), and so is each count of the funnel's window.
 */
function recoverableInBatch(reports: { file: string; results: QuarterlyResults }[]): Problem[] {
  const program = reports.find((r) => r.results.group.value === null);
  const sites = reports.filter((r) => r.results.group.value !== null);
  if (!program || !sites.length) return [];
  // Only a withheld figure's counts are secrets; a figure not yet observable or not estimable is just unknown.
  const cells: { name: string; value: number | null; secret: boolean }[] = [];
  const identities: Identity[] = [];
  const cell = (name: string, c: { value: number | null | undefined; secret: boolean }) =>
    cells.push({ name, value: c.value ?? null, secret: c.secret }) - 1;
  const countsOf = (r: QuarterlyResults, period: string) => {
    const f = r.trends.find((t) => t.period === period)?.figures ?? [];
    const get = (key: string, field: "value" | "n" | "numerator") => {
      const x = f.find((y) => y.key === key);
      return { value: x?.[field], secret: x?.status === "withheld" };
    };
    return {
      admissions: get("admissions", "value"),
      active: get("active", "value"),
      rated: get("early_alliance", "n"),
      lowest_tier: get("lowest_tier", "numerator"),
      discharges: get("dropout", "n"),
      dropouts: get("dropout", "numerator"),
    };
  };
  for (const t of program.results.trends) {
    const total = countsOf(program.results, t.period);
    const parts = sites.map((s) => countsOf(s.results, t.period));
    for (const k of Object.keys(total) as (keyof typeof total)[]) {
      identities.push({
        parts: parts.map((p, i) => cell(`${sites[i]!.file}: ${t.period} ${k}`, p[k])),
        total: cell(`${program.file}: ${t.period} ${k}`, total[k]),
      });
    }
  }
  // (The funnel shows each site's discharges and dropouts but only the program's rate: no sum to check.)
  const exposed = determinedCells(
    cells.map((c) => c.value === null),
    identities,
  )
    .filter((i) => cells[i]!.secret)
    .map((i) => cells[i]!.name);
  return exposed.length ? [problem("E_RELEASE_RECOVERABLE", { what: exposed.join(", ") }, { file: program.file })] : [];
}
