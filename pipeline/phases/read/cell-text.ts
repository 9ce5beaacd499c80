/**
 * Values read from binary formats (xlsx, SPSS) as the text every later stage expects, so that a
 * spreadsheet date and a CSV date look alike to validation.
 */

/**
 * A cell as text: dates as YYYY-MM-DD (with the time when there is one), numbers as JavaScript
 * prints them, empty as null.
 * @example cellText(new Date(Date.UTC(2025, 2, 7))) // => "2025-03-07"
 */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 19).replace("T", " ");
  }
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : null;
  const text = String(value);
  return text === "" ? null : text;
}
