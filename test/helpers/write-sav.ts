/**
 * A minimal SPSS .sav writer for tests: uncompressed, little-endian, numeric and string variables,
 * long variable names, value labels and date formats, following the system-file layout PSPP
 * documents (https://www.gnu.org/software/pspp/pspp-dev/html_node/System-File-Format.html).
 * PSPP's own pspp-convert reads its output (checked once by hand); the pipeline reads it with sav-reader.
 */
import { writeFileSync } from "node:fs";

export interface SavVariable {
  name: string;
  /** numeric, a date (written as SPSS seconds since 1582-10-14, format ADATE10), or a string of the given width. */
  type: "numeric" | "date" | { string: number };
  /** Value labels of a numeric variable. */
  labels?: [number, string][];
  /** One user-missing value of a numeric variable. */
  missing?: number;
}

const SYSMIS = -Number.MAX_VALUE;
/** Seconds from the SPSS epoch (1582-10-14) to 1970-01-01. */
const SPSS_UNIX_EPOCH = 12219379200;

class Out {
  parts: Buffer[] = [];
  int(n: number) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    this.parts.push(b);
  }
  dbl(x: number) {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(x);
    this.parts.push(b);
  }
  str(s: string, len: number) {
    const b = Buffer.alloc(len, 0x20);
    b.write(s.slice(0, len), "utf8");
    this.parts.push(b);
  }
  bytes(b: Buffer) {
    this.parts.push(b);
  }
}

const segments = (v: SavVariable) => (typeof v.type === "object" ? Math.ceil(v.type.string / 8) : 1);

/** Writes rows (values by variable name; null = missing) as a .sav file. */
export function writeSav(path: string, vars: SavVariable[], rows: Record<string, string | number | null>[]): void {
  const o = new Out();
  const caseSize = vars.reduce((a, v) => a + segments(v), 0);
  o.str("$FL2", 4);
  o.str("@(#) SPSS DATA FILE alliance-pipeline test writer", 60);
  o.int(2); // layout code
  o.int(caseSize);
  o.int(0); // uncompressed
  o.int(0); // no weight
  o.int(rows.length);
  o.dbl(100);
  o.str("01 Jan 25", 9);
  o.str("00:00:00", 8);
  o.str("", 64);
  o.str("", 3);
  const shortNames = vars.map((_, i) => `V${String(i + 1).padStart(4, "0")}`);
  const index: number[] = []; // 1-based dictionary index of each variable
  let next = 1;
  vars.forEach((v, i) => {
    index.push(next);
    const width = typeof v.type === "object" ? v.type.string : 0;
    const fmt =
      v.type === "date" ? (23 << 16) | (10 << 8) : width ? (1 << 16) | (width << 8) : (5 << 16) | (8 << 8) | 2;
    o.int(2);
    o.int(width);
    o.int(0); // no variable label
    o.int(v.missing !== undefined ? 1 : 0);
    o.int(fmt);
    o.int(fmt);
    o.str(shortNames[i]!, 8);
    if (v.missing !== undefined) o.dbl(v.missing);
    for (let k = 1; k < segments(v); k++) {
      o.int(2);
      o.int(-1);
      o.int(0);
      o.int(0);
      o.int(0);
      o.int(0);
      o.str("", 8);
    }
    next += segments(v);
  });
  vars.forEach((v, i) => {
    if (!v.labels?.length) return;
    o.int(3);
    o.int(v.labels.length);
    for (const [val, label] of v.labels) {
      o.dbl(val);
      const text = Buffer.from(label, "utf8");
      const len = Math.ceil((text.length + 1) / 8) * 8;
      const b = Buffer.alloc(len, 0x20);
      b[0] = text.length;
      text.copy(b, 1);
      o.bytes(b);
    }
    o.int(4);
    o.int(1);
    o.int(index[i]!);
  });
  const longNames = Buffer.from(vars.map((v, i) => `${shortNames[i]}=${v.name}`).join("\t"), "utf8");
  o.int(7);
  o.int(13);
  o.int(1);
  o.int(longNames.length);
  o.bytes(longNames);
  const encoding = Buffer.from("UTF-8");
  o.int(7);
  o.int(20);
  o.int(1);
  o.int(encoding.length);
  o.bytes(encoding);
  o.int(999);
  o.int(0);
  for (const row of rows) {
    for (const v of vars) {
      const x = row[v.name] ?? null;
      if (typeof v.type === "object") o.str(x === null ? "" : String(x), segments(v) * 8);
      else if (x === null || x === "") o.dbl(SYSMIS);
      else if (v.type === "date") o.dbl(Date.parse(`${String(x)}T00:00:00Z`) / 1000 + SPSS_UNIX_EPOCH);
      else o.dbl(Number(x));
    }
  }
  writeFileSync(path, Buffer.concat(o.parts));
}
