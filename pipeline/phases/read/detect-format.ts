/**
 * Which format an input file is in, from its first bytes (and, for text, its name and first line).
 * The config can name the format instead (files.<role>.format); detection never reads past the head.
 */
import type { InputFormat } from "../../config/types.ts";

/**
 * The format of a file whose first bytes are `head`.
 * @example detectFormat("visits.xlsx", Buffer.from("PK\x03\x04")) // => "xlsx"
 */
export function detectFormat(path: string, head: Buffer): InputFormat {
  const magic = head.subarray(0, 4).toString("latin1");
  if (magic === "PK\x03\x04") return "xlsx";
  if (magic === "$FL2" || magic === "$FL3") return "sav";
  if (magic === "PAR1") return "parquet";
  const text = head
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (text.startsWith("[")) return "json";
  if (text.startsWith("{")) return /\.json$/i.test(path) && !/\}\s*\r?\n\s*\{/.test(text) ? "json" : "ndjson";
  if (/\.(tsv|tab)$/i.test(path)) return "tsv";
  return "csv";
}

/** Delimiters considered for CSV-like text, in order of preference on a tie. */
const DELIMITERS = [",", ";", "\t", "|"];

/**
 * The delimiter of a delimited text file: the candidate that occurs most often in its header line
 * (outside quotes). A header with none of them is one column, read with a comma.
 * @example detectDelimiter('id;date;"a,b"\n1;2;3') // => ";"
 */
export function detectDelimiter(text: string): string {
  const header = (text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "").replace(/"[^"]*"/g, "");
  let best = ",";
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const n = header.split(d).length - 1;
    if (n > bestCount) [best, bestCount] = [d, n];
  }
  return best;
}

/**
 * Whether bytes are valid UTF-8 (a Latin-1 export with accented letters is not).
 * @example isUtf8(Buffer.from([0x63, 0x61, 0x66, 0xe9])) // => false ("café" in Latin-1)
 */
export function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
