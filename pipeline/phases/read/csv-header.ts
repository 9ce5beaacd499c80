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
