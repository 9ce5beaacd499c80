/**
 * Reads a table of published correlations for `alliance meta`: one row per study with `study`,
 * `n` and `r` (and optionally `year`); every other column is kept as a moderator. Column names are
 * matched without regard to case. Problems name the file, row and column.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { closeDb, openDb, queryRows, sqlString } from "../db.ts";
import { problem } from "../messages.ts";
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
    return fail(
      problem(
        "E_META_FILE",
        { detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message, unreadable: true },
        { file },
      ),
    );
  }
  const db = await openDb();
  let rows: Record<string, string | null>[];
  try {
    rows = await queryRows(
      db,
      `SELECT * FROM read_csv(${sqlString(path)}, header = true, all_varchar = true, auto_detect = true)`,
    );
  } catch (e) {
    return fail(problem("E_META_FILE", { detail: (e as Error).message.split("\n")[0]!, unreadable: false }, { file }));
  } finally {
    closeDb(db);
  }
  const columns = rows.length ? Object.keys(rows[0]!) : [];
  const find = (name: string) => columns.find((c) => c.trim().toLowerCase() === name);
  const missing = REQUIRED.filter((c) => !find(c));
  if (missing.length) {
    return fail(
      ...missing.map((c): Problem => problem("E_META_COLUMN", { column: c, columns }, { file, row: 1, column: c })),
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
    if (!raw[cStudy!]?.trim()) problems.push(problem("E_META_STUDY", {}, { file, row, column: cStudy! }));
    if (!(Number.isInteger(n) && n > 3))
      problems.push(problem("E_META_N", { value: raw[cN!] ?? "" }, { file, row, column: cN! }));
    if (!(raw[cR!] !== null && raw[cR!]!.trim() !== "" && r > -1 && r < 1))
      problems.push(problem("E_META_R", { value: raw[cR!] ?? "" }, { file, row, column: cR! }));
    if (year !== null && !Number.isInteger(year))
      problems.push(problem("E_META_YEAR", { value: raw[cYear!] ?? "" }, { file, row, column: cYear! }));
    if (problems.length > before) return;
    studies.push({
      row,
      study: raw[cStudy!]!.trim(),
      year,
      n,
      r,
      moderators: Object.fromEntries(moderatorColumns.map((c) => [c, raw[c] ?? ""])),
    });
  });
  if (problems.length) return fail(...problems);
  if (studies.length < 2) return fail(problem("E_META_TOO_FEW", { k: studies.length }, { file }));
  return ok({ file, sha256: createHash("sha256").update(bytes).digest("hex"), studies, moderatorColumns });
}
