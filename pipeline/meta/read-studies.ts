/**
 * Reads a table of published correlations for `alliance meta`: one row per study with `study`,
 * `n` and `r` (and optionally `year`); every other column is kept as a moderator. Column names are
 * matched without regard to case. Problems name the file, row and column.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { closeDb, openDb, queryRows, sqlString } from "../db.ts";
import { fail, ok, type Problem, type Result } from "../problem.ts";

export interface PublishedStudy {
  /** Row in the file, the header being row 1. */
  row: number;
  study: string;
  year: number | null;
  n: number;
  r: number;
  moderators: Record<string, string>;
}

export interface StudyTable {
  file: string;
  sha256: string;
  studies: PublishedStudy[];
  moderatorColumns: string[];
}

const REQUIRED = ["study", "n", "r"] as const;

export async function readStudies(path: string): Promise<Result<StudyTable>> {
  const file = basename(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return fail({ code: "E_META_FILE", message: `cannot read the studies file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, where: { file }, fix: "check the path given to --studies" });
  }
  const db = await openDb();
  let rows: Record<string, string | null>[];
  try {
    rows = await queryRows(db, `SELECT * FROM read_csv(${sqlString(path)}, header = true, all_varchar = true, auto_detect = true)`);
  } catch (e) {
    return fail({ code: "E_META_FILE", message: `is not a readable CSV table: ${(e as Error).message.split("\n")[0]}`, where: { file }, fix: "save the table as CSV with a header row" });
  } finally {
    closeDb(db);
  }
  const columns = rows.length ? Object.keys(rows[0]!) : [];
  const find = (name: string) => columns.find((c) => c.trim().toLowerCase() === name);
  const missing = REQUIRED.filter((c) => !find(c));
  if (missing.length) {
    return fail(
      ...missing.map((c): Problem => ({ code: "E_META_COLUMN", message: `has no column "${c}" (columns: ${columns.join(", ") || "none"})`, where: { file, row: 1, column: c }, fix: "name the columns study, n and r (year and moderators are optional)" })),
    );
  }
  const [cStudy, cN, cR] = REQUIRED.map((c) => find(c)!);
  const cYear = find("year");
  const moderatorColumns = columns.filter((c) => ![cStudy, cN, cR, cYear].includes(c));
  const problems: Problem[] = [];
  const studies: PublishedStudy[] = [];
  rows.forEach((raw, i) => {
    const row = i + 2;
    const n = Number(raw[cN!]);
    const r = Number(raw[cR!]);
    const year = cYear && raw[cYear] ? Number(raw[cYear]) : null;
    const before = problems.length;
    if (!raw[cStudy!]?.trim()) problems.push({ code: "E_META_STUDY", message: "is empty", where: { file, row, column: cStudy! }, fix: "give every row a study label" });
    if (!(Number.isInteger(n) && n > 3)) problems.push({ code: "E_META_N", message: `"${raw[cN!] ?? ""}" is not a whole number above 3`, where: { file, row, column: cN! }, fix: "n is the study's sample size; Fisher's z needs n > 3" });
    if (!(raw[cR!] !== null && raw[cR!]!.trim() !== "" && r > -1 && r < 1)) problems.push({ code: "E_META_R", message: `"${raw[cR!] ?? ""}" is not a correlation between -1 and 1`, where: { file, row, column: cR! }, fix: "r must lie strictly between -1 and 1, with a point as the decimal mark" });
    if (year !== null && !Number.isInteger(year)) problems.push({ code: "E_META_YEAR", message: `"${raw[cYear!]}" is not a year`, where: { file, row, column: cYear! }, fix: "write the year as four digits, or leave it empty" });
    if (problems.length > before) return;
    studies.push({ row, study: raw[cStudy!]!.trim(), year, n, r, moderators: Object.fromEntries(moderatorColumns.map((c) => [c, raw[c] ?? ""])) });
  });
  if (problems.length) return fail(...problems);
  if (studies.length < 2) return fail({ code: "E_META_TOO_FEW", message: `holds ${studies.length} study; pooling needs at least 2`, where: { file }, fix: "add studies to the table" });
  return ok({ file, sha256: createHash("sha256").update(bytes).digest("hex"), studies, moderatorColumns });
}
