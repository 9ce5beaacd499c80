/**
 * SPSS .sav files, read with sav-reader. Variables with value labels that the config maps to a
 * labelled field (site, therapist, discharge reason, tier) are read as their labels, so discharge
 * codes such as 2 = "dropped out" need no recoding; every other variable keeps its codes. Values the
 * file declares user-missing are read as missing; date-formatted variables become YYYY-MM-DD.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Db } from "../../db.ts";
import { appendRows } from "./append-rows.ts";
import { cellText } from "./cell-text.ts";

/** The part of sav-reader's API used here (its typings are not reachable through its CommonJS-only exports). */
interface SavVar {
  name: string;
  missing: unknown;
  printFormat?: { typestr: string };
  __is_child_string_var?: boolean;
}
interface SavReaderApi {
  SavBufferReader: new (buffer: Buffer) => {
    open(): Promise<void>;
    readAllRows(): Promise<Record<string, unknown>[]>;
    meta: { sysvars: SavVar[]; getValueLabels(name: string): { val: unknown; label: string }[] | undefined };
  };
  DateHelper: { dateFromNumber(n: number): Date | null };
}

const { SavBufferReader, DateHelper } = createRequire(import.meta.url)("sav-reader") as SavReaderApi;

/** SPSS's system-missing value (the lowest double), as sav-reader returns it. */
const SYSMIS = -Number.MAX_VALUE;

/** SPSS print formats that hold dates or date-times (seconds since 1582-10-14). */
const DATE_FORMATS = new Set(["DATE", "ADATE", "EDATE", "JDATE", "SDATE", "DATETIME"]);

export async function readSav(
  db: Db,
  path: string,
  labelled: Set<string>,
  table: string,
): Promise<{ columns: string[]; rows: number }> {
  const sav = new SavBufferReader(readFileSync(path));
  await sav.open();
  const vars = sav.meta.sysvars.filter((v) => !v.__is_child_string_var);
  const columns = vars.map((v) => v.name);
  const convert = vars.map((v) => {
    const labels = new Map<unknown, string>(
      labelled.has(v.name) ? (sav.meta.getValueLabels(v.name) ?? []).map((l) => [l.val, l.label]) : [],
    );
    const missing = userMissing(v.missing);
    const isDate = DATE_FORMATS.has(v.printFormat?.typestr ?? "");
    return (x: unknown): string | null => {
      if (x === null || x === undefined || (typeof x === "number" && (x === SYSMIS || Number.isNaN(x) || missing(x))))
        return null;
      if (labels.has(x)) return String(labels.get(x));
      if (isDate && typeof x === "number") return cellText(DateHelper.dateFromNumber(x));
      return cellText(typeof x === "string" ? x.trimEnd() : x);
    };
  });
  const rows = await sav.readAllRows();
  return {
    columns,
    rows: await appendRows(
      db,
      table,
      columns,
      rows.map((r) => columns.map((c, j) => convert[j]!(r[c]))),
    ),
  };
}

/** sav-reader's missing spec: a value, a list of values, or a range { min, max } with an optional value. */
function userMissing(spec: unknown): (x: number) => boolean {
  if (spec === null || spec === undefined) return () => false;
  if (typeof spec === "number") return (x) => x === spec;
  if (Array.isArray(spec)) return (x) => spec.includes(x);
  const s = spec as { min: number; max: number; value?: number };
  return (x) => (x >= s.min && x <= s.max) || x === s.value;
}
