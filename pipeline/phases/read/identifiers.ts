/**
 * The de-identification guard. Before any stage uses a file, every column (except those the config
 * drops, or vouches for) is checked for the direct identifiers of the HIPAA Safe Harbor list, by its
 * name and by its values. A finding names the column and the kind of identifier, never a value:
 * the run refuses to go on until the column is dropped or removed from the file.
 */
import { type Db, queryRows, sqlIdent, sqlString } from "../../db.ts";
import { slashedDateSql } from "../../dates.ts";
import { problem } from "../../messages.ts";
import type { Problem } from "../../problem.ts";

export type IdentifierKind =
  | "a person's name"
  | "social security numbers"
  | "phone or fax numbers"
  | "e-mail addresses"
  | "street addresses"
  | "geography below state (city, county)"
  | "ZIP codes with more than three digits"
  | "full dates of birth"
  | "medical record or health plan numbers"
  | "URLs"
  | "IP addresses";

/** Column-name rules: the name's words (camelCase and separators split) against each kind's words. */
const NAME_RULES: { kind: IdentifierKind; test: (words: string[], joined: string) => boolean }[] = [
  {
    kind: "a person's name",
    test: (w, j) =>
      /^(first|last|middle|full|given|family|maiden|patient|client|person|sur|fore)?names?$/.test(j) ||
      ((w.includes("name") || w.includes("surname") || w.includes("forename")) && !w.some((x) => NOT_PERSON.has(x))),
  },
  {
    kind: "social security numbers",
    test: (w, j) => w.includes("ssn") || j.includes("socialsecurity") || j.includes("socsec"),
  },
  {
    kind: "phone or fax numbers",
    test: (w, j) =>
      w.some((x) => ["phone", "telephone", "tel", "fax", "mobile", "cellphone"].includes(x)) ||
      j.includes("phonenumber"),
  },
  { kind: "e-mail addresses", test: (w, j) => w.includes("email") || j.includes("email") },
  {
    kind: "street addresses",
    test: (w) => w.some((x) => ["address", "street", "addr", "address1", "address2"].includes(x)) && !w.includes("ip"),
  },
  {
    kind: "geography below state (city, county)",
    test: (w) => w.some((x) => ["city", "county", "town", "municipality"].includes(x)),
  },
  {
    kind: "medical record or health plan numbers",
    test: (w, j) =>
      w.includes("mrn") ||
      j.includes("medicalrecord") ||
      j.includes("chartnumber") ||
      w.some((x) => ["medicaid", "medicare", "insurance", "beneficiary"].includes(x)),
  },
  { kind: "URLs", test: (w) => w.includes("url") || w.includes("website") },
  {
    kind: "IP addresses",
    test: (w, j) => j === "ip" || j.includes("ipaddress") || (w.includes("ip") && w.includes("address")),
  },
];

/** Words that make a "name" column something other than a person's name. */
const NOT_PERSON = new Set([
  "site",
  "program",
  "clinic",
  "facility",
  "organization",
  "organisation",
  "agency",
  "instrument",
  "measure",
  "scale",
  "file",
  "column",
  "variable",
  "service",
  "team",
  "unit",
  "study",
  "form",
  "user",
]);

/** Columns whose kind depends on their values: flagged only when a value is more than Safe Harbor allows. */
const CONDITIONAL_NAME_RULES: {
  kind: IdentifierKind;
  name: (w: string[], j: string) => boolean;
  valueSql: (c: string) => string;
}[] = [
  // Safe Harbor keeps the first three ZIP digits; anything longer identifies.
  {
    kind: "ZIP codes with more than three digits",
    name: (w, j) =>
      w.some((x) => /^zip(code)?\d?$/.test(x) || ["postcode", "postal"].includes(x)) || j.includes("zipcode"),
    valueSql: (c) => `regexp_matches(${c}, '\\d{4,}')`,
  },
  // Safe Harbor keeps the year; a day or month identifies.
  {
    kind: "full dates of birth",
    name: (w, j) => w.includes("dob") || w.includes("born") || j.includes("birth"),
    valueSql: (c) => `NOT regexp_full_match(trim(${c}), '\\d{4}')`,
  },
];

/** Value patterns, searched in every column's distinct values. */
const VALUE_RULES: { kind: IdentifierKind; re: string }[] = [
  { kind: "e-mail addresses", re: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}` },
  { kind: "social security numbers", re: String.raw`(^|[^0-9])[0-9]{3}-[0-9]{2}-[0-9]{4}([^0-9]|$)` },
  {
    kind: "phone or fax numbers",
    re: String.raw`(^|[^0-9])(\+?1[-. ]?)?(\([0-9]{3}\) ?|[0-9]{3}[-. ])[0-9]{3}[-. ][0-9]{4}([^0-9]|$)`,
  },
  { kind: "URLs", re: String.raw`(https?://|www\.)[^ ]+` },
  { kind: "IP addresses", re: String.raw`(^|[^0-9.])[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}([^0-9.]|$)` },
  {
    kind: "street addresses",
    re: String.raw`(?i)(^|[^0-9])[0-9]{1,6} ([A-Za-z0-9.']+ ){1,4}(street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|terrace|parkway|pkwy)\.?($|[ ,])`,
  },
];

/**
 * A character that every value pattern (VALUE_RULES), a person's name (PERSON_NAME_RE) and a full date
 * (dateYearSql) needs at least one of: '@', '-', '.', '/', ':' or a space. A value with none, such as
 * the id C0308655, cannot match them and is not searched further. A million distinct client ids were
 * counted by ten filtered aggregates each: 290–330 ms a scan, against 75–120 ms now. (The column-name
 * rules' own value tests, for ZIP codes and years of birth, see every value.)
 */
const MAY_MATCH = "[-@./: ]";

/**
 * A person's name written out: two to four capitalised words ("Jane Doe", "Mary Ann O'Brien",
 * "Doe, Jane Q.", "José Álvarez", "Łukasz Nowak") or the same in capitals ("DOE, JANE"), as EHR exports
 * write them. Letters are those of the Latin alphabets (ASCII, Latin-1, Latin Extended-A) written as
 * ranges: with Unicode classes (\p{Lu}) the expression took 15 ms to compile in every query, against 1 ms.
 */
const PERSON_NAME_RE = (() => {
  const upper = "A-ZÀ-ÖØ-ÞĀ-ž";
  const lower = "a-zß-öø-ÿĀ-ž";
  const word = `[${upper}][${upper}${lower}'’.-]*[${lower}]`;
  const caps = `[${upper}][${upper}'’-]+`;
  const initial = `[${upper}]\\.`;
  return `^(${word},? (${initial} )?${word}( ${word}){0,2}( ${initial})?|${caps},? ${caps}( ${caps}){0,2})$`;
})();

/**
 * A column is taken for persons' names by its values when at least this many of its distinct values
 * are written as names, and they are at least PERSON_NAME_SHARE of them: one client's name, or a
 * handful of capitalised labels (referral sources, programs), is not enough; a column of names in a
 * file of clients has one per client.
 */
export const PERSON_NAME_MIN_VALUES = 20;
export const PERSON_NAME_SHARE = 0.5;

/** A column name's words: camelCase and every non-letter split, lower-cased. */
export function nameWords(column: string): string[] {
  return column
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export interface IdentifierFinding {
  column: string;
  kind: IdentifierKind;
  /** How it was found: by the column's name, or by how many of its distinct values match. */
  by: "name" | "values";
  /** Distinct values that matched (for findings by value). */
  matches?: number;
}

/** What the scan knows beyond the table: where its columns are, and the study's dates. */
export interface IdentifierScanOptions {
  /** The name in `table` of each of the file's columns (when the table renamed them). */
  inTable?: (column: string) => string;
  /**
   * The median year of the study's admissions. A column of full dates lying BIRTH_YEARS_BEFORE years
   * or more before it holds dates of birth, whatever its name; null or absent skips that test.
   */
  studyYear?: number | null;
  /** Whether a column holds the study's own dates (admission, discharge, session): never taken for dates of birth. */
  isStudyDate?: (column: string) => boolean;
  /**
   * Whether a column holds names that are not a client's: the sites and therapists the config maps
   * (whose values may be written like persons' names), never taken for persons' names by their values.
   */
  isStaffOrPlace?: (column: string) => boolean;
}

/** How many years before the admissions a column of full dates must lie to be taken for dates of birth. */
export const BIRTH_YEARS_BEFORE = 10;

/**
 * SQL: the year of a full date written YYYY-MM-DD (a time may follow) or D/M/YYYY in either order with
 * / . or -; null for anything else. `v` is the text.
 */
export const dateYearSql = (v: string): string =>
  `CASE WHEN regexp_full_match(${v}, '\\d{4}-\\d{2}-\\d{2}([ T].*)?') THEN left(${v}, 4)::INTEGER
        WHEN ${slashedDateSql(v)} THEN right(${v}, 4)::INTEGER END`;

/**
 * The median year of the full dates in a column (e.g. the admissions), or null when it has none.
 * @example await medianDateYear(db, "raw_episodes_rows", "admit_date") // => 2024
 */
export async function medianDateYear(db: Db, table: string, column: string): Promise<number | null> {
  const [row] = await queryRows<{ y: number | null }>(
    db,
    `SELECT median(${dateYearSql(sqlIdent(column))})::DOUBLE AS y FROM ${table}`,
  );
  return row?.y ?? null;
}

/**
 * The columns of `table` that hold direct identifiers, one finding per column.
 * @example await findIdentifiers(db, "src_episodes", ["ClientID", "email"]) // => [{ column: "email", kind: "e-mail addresses", by: "name" }]
 */
export async function findIdentifiers(
  db: Db,
  table: string,
  columns: string[],
  options: IdentifierScanOptions = {},
): Promise<IdentifierFinding[]> {
  const {
    inTable = (c: string) => c,
    studyYear = null,
    isStudyDate = () => false,
    isStaffOrPlace = () => false,
  } = options;
  const findings: IdentifierFinding[] = [];
  for (const column of columns) {
    const words = nameWords(column);
    const joined = words.join("");
    const byName = NAME_RULES.find((r) => r.test(words, joined));
    if (byName) {
      findings.push({ column, kind: byName.kind, by: "name" });
      continue;
    }
    const col = sqlIdent(inTable(column));
    const conditional = CONDITIONAL_NAME_RULES.find((r) => r.name(words, joined));
    const checks = [
      ...(conditional ? [{ kind: conditional.kind, sql: conditional.valueSql("v") }] : []),
      ...VALUE_RULES.map((r) => ({ kind: r.kind, sql: `regexp_matches(v, ${sqlString(r.re)})` })),
    ];
    const counts = checks.map((c, i) => `count(*) FILTER (WHERE ${c.sql})::INTEGER AS m${i}`);
    // The column-name rule's test (the first check, if any) sees every distinct value; the value
    // patterns, names and dates only those that may match them (MAY_MATCH). Each count FILTER costs a
    // pass over the values it sees.
    const seenWhole = conditional ? 1 : 0; // how many checks see every value
    const everyValue = ["count(*)::INTEGER AS n_values", ...counts.slice(0, seenWhole)];
    const mayMatch = [
      ...counts.slice(seenWhole),
      `count(${dateYearSql("v")})::INTEGER AS n_dates, median(${dateYearSql("v")})::DOUBLE AS median_year`,
      `count(*) FILTER (WHERE regexp_full_match(trim(v), ${sqlString(PERSON_NAME_RE)}))::INTEGER AS n_names`,
    ];
    const [row] = await queryRows<Record<string, number | null>>(
      db,
      `WITH vals AS MATERIALIZED (SELECT DISTINCT ${col}::VARCHAR AS v FROM ${table} WHERE ${col} IS NOT NULL)
       SELECT * FROM (SELECT ${everyValue.join(", ")} FROM vals), (SELECT ${mayMatch.join(", ")} FROM vals WHERE regexp_matches(v, ${sqlString(MAY_MATCH)}))`,
    );
    const hit = checks.findIndex((_, i) => (row?.[`m${i}`] ?? 0) > 0);
    if (hit >= 0) {
      findings.push({
        column,
        kind: checks[hit]!.kind,
        by: conditional && hit === 0 ? "name" : "values",
        matches: row![`m${hit}`]!,
      });
      continue;
    }
    // Mostly written as persons' names, and many of them: names under another column name.
    const nNames = row?.n_names ?? 0;
    if (
      !isStaffOrPlace(column) &&
      nNames >= PERSON_NAME_MIN_VALUES &&
      nNames >= PERSON_NAME_SHARE * (row?.n_values ?? 0)
    ) {
      findings.push({ column, kind: "a person's name", by: "values", matches: nNames });
      continue;
    }
    // Mostly full dates, years before the study's admissions: dates of birth under another name.
    const nDates = row?.n_dates ?? 0;
    const year = row?.median_year ?? null;
    if (
      studyYear !== null &&
      !isStudyDate(column) &&
      nDates > 0 &&
      nDates >= 0.8 * (row?.n_values ?? 0) &&
      year !== null &&
      year <= studyYear - BIRTH_YEARS_BEFORE
    ) {
      findings.push({ column, kind: "full dates of birth", by: "values", matches: nDates });
    }
  }
  return findings;
}

/** One problem per flagged column: where, which kind, how it was found; never a value. */
export function identifierProblem(file: string, f: IdentifierFinding): Problem {
  const how =
    f.by === "name" && f.matches === undefined
      ? "by its name"
      : f.by === "name"
        ? "by its name and values"
        : `by its values (${f.matches} distinct value${f.matches === 1 ? "" : "s"} match)`;
  return problem("E_IDENTIFIER_COLUMN", { kind: f.kind, how, column: f.column }, { file, column: f.column });
}
