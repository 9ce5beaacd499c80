/**
 * SQL that reads one cell of text as its field's value under the study's value rules (values.* of the
 * config): text trimmed with the missing-value codes as NULL; dates ISO always (a time after the date
 * ignored), US or day-first only when declared, Excel serial numbers only when declared; scores as
 * finite numbers, with a decimal comma when declared. Used where a file is typed from its text (other
 * formats than CSV, the long and wide layouts, and CSV dates in other forms than ISO).
 */
import type { Study } from "../../config/study.ts";
import { sqlString } from "../../db.ts";
import { slashedDateSql } from "../../dates.ts";

/** The cell as text: trimmed, with the empty cell and every missing-value code as NULL. */
export function textSql(col: string, values: Study["values"]): string {
  const codes = values.missing.map(sqlString).join(", ");
  return codes
    ? `CASE WHEN trim(${col}) IN ('', ${codes}) THEN NULL ELSE trim(${col}) END`
    : `NULLIF(trim(${col}), '')`;
}

/** The cell (already text per textSql) as a date. */
export function dateSql(col: string, values: Study["values"]): string {
  const cases = [
    // The plain ISO form first, by GLOB: the same test as the regular expression below, at half the cost.
    `WHEN ${col} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN TRY_CAST(${col} AS DATE)`,
    `WHEN regexp_full_match(${col}, '\\d{4}-\\d{2}-\\d{2}([ T][0-9:.]+Z?)?') THEN TRY_CAST(left(${col}, 10) AS DATE)`,
  ];
  const slashed = `regexp_replace(${col}, '[.-]', '/', 'g')`;
  if (values.dateFormat === "us")
    cases.push(`WHEN ${slashedDateSql(col)} THEN TRY_STRPTIME(${slashed}, '%m/%d/%Y')::DATE`);
  if (values.dateFormat === "day_first")
    cases.push(`WHEN ${slashedDateSql(col)} THEN TRY_STRPTIME(${slashed}, '%d/%m/%Y')::DATE`);
  if (values.excelSerialDates)
    cases.push(
      `WHEN regexp_full_match(${col}, '\\d{4,5}(\\.0+)?') THEN DATE '1899-12-30' + CAST(CAST(${col} AS DOUBLE) AS INTEGER)`,
    );
  return `CASE ${cases.join(" ")} END`;
}

/** The cell (already text per textSql) as a finite number. */
export function numberSql(col: string, values: Study["values"]): string {
  const text = values.decimalMark === "," ? `replace(${col}, ',', '.')` : col;
  return `CASE WHEN isfinite(TRY_CAST(${text} AS DOUBLE)) THEN TRY_CAST(${text} AS DOUBLE) END`;
}

/** Whether the study's dates can be read by the CSV reader as DATE: ISO only, no serial numbers. */
export const datesReadTyped = (values: Study["values"]): boolean =>
  values.dateFormat === "iso" && !values.excelSerialDates;
