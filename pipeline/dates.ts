/** Calendar-date helpers for YYYY-MM-DD strings, in UTC so results never depend on the time zone, and the SQL test of a slashed date. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * True when the text is a real date written YYYY-MM-DD.
 * @example isCalendarDate("2025-02-29") // => false
 */
export function isCalendarDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Whole days from a to b (b − a), both YYYY-MM-DD. @example daysBetween("2025-01-01", "2025-01-31") // => 30 */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b + "T00:00:00Z") - Date.parse(a + "T00:00:00Z")) / 86_400_000);
}

/** The date n days after d. @example addDays("2025-12-30", 2) // => "2026-01-01" */
export function addDays(d: string, n: number): string {
  return new Date(Date.parse(d + "T00:00:00Z") + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * SQL: whether text is a date written with slashes (or dots or dashes) and a four-digit year last,
 * D/M/YYYY or M/D/YYYY: the form validate reads under values.date_format, init looks for, and the
 * identifier guard counts as a full date.
 * @example slashedDateSql("v") // => "regexp_full_match(v, '\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{4}')"
 */
export const slashedDateSql = (text: string): string =>
  `regexp_full_match(${text}, '\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{4}')`;
