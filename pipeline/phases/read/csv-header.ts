/**
 * The column names of a delimited text file, read from its first record as DuckDB's CSV reader names
 * them when it detects a header: each name trimmed, an empty name called column<k> (k counted from 0),
 * and a name met again (in any case) suffixed _1, _2, … So the file can be read with its columns
 * declared, and its rows checked one by one, instead of letting the reader guess its shape from
 * rows that may be broken.
 */

/**
 * The fields of the first record of `text` (quotes as in CSV: "" inside quotes is one quote, and a
 * quoted field may hold the delimiter or a line break); null when the text holds no record.
 * @example firstRecord('id,"a,b"\n1,2', ",") // => ["id", "a,b"]
 */
export function firstRecord(text: string, delimiter: string): string[] | null {
  const t = text.replace(/^\uFEFF/, "");
  if (t.trim() === "") return null;
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (quoted) {
      if (c === '"' && t[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") break;
    else field += c;
  }
  fields.push(field);
  return fields;
}

/**
 * Column names as DuckDB gives them to header fields.
 * @example columnNames(["A", "a", " b ", ""]) // => ["A", "a_1", "b", "column3"]
 */
export function columnNames(fields: readonly string[]): string[] {
  const seen = new Set<string>();
  return fields.map((raw, i) => {
    const base = raw.trim() === "" ? `column${i}` : raw.trim();
    let name = base;
    for (let k = 1; seen.has(name.toLowerCase()); k++) name = `${base}_${k}`;
    seen.add(name.toLowerCase());
    return name;
  });
}

/**
 * The spreadsheet letter of a column's position (1-based).
 * @example columnLetter(28) // => "AB"
 */
export function columnLetter(position: number): string {
  let n = position;
  let out = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/**
 * Header fields whose names repeat (trimmed, letter case aside, as the database compares names): the
 * name and the 1-based positions of its first two columns.
 * @example duplicateNames(["id", "Site", "site "]) // => [{ name: "Site", positions: [2, 3] }]
 */
export function duplicateNames(fields: readonly string[]): { name: string; positions: [number, number] }[] {
  const first = new Map<string, number>();
  const out: { name: string; positions: [number, number] }[] = [];
  fields.forEach((raw, i) => {
    const name = raw.trim();
    if (name === "") return;
    const key = name.toLowerCase();
    const seen = first.get(key);
    if (seen === undefined) first.set(key, i + 1);
    else if (!out.some((d) => d.name.toLowerCase() === key))
      out.push({ name: fields[seen - 1]!.trim(), positions: [seen, i + 1] });
  });
  return out;
}
