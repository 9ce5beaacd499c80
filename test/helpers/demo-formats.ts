/**
 * Saves the demo study's two CSV files in another format, as a clinic's or lab's export would hold
 * them: typed dates and numbers in Parquet and JSON, date cells in xlsx, date variables and a labelled
 * discharge-reason code in SPSS. Used to check that every format gives the same results.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import writeExcelFile from "write-excel-file/node";
import type { InputFormat } from "../../pipeline/config/types.ts";
import { closeDb, openDb, sqlString } from "../../pipeline/db.ts";
import { writeSav, type SavVariable } from "./write-sav.ts";

export const DEMO_DIR = "data/demo";
const EXT: Record<InputFormat, string> = {
  csv: "csv",
  tsv: "tsv",
  xlsx: "xlsx",
  sav: "sav",
  parquet: "parquet",
  json: "json",
  ndjson: "ndjson",
};
const DATE_COLUMNS = new Set(["AdmitDate", "DischargeDate", "SessionDate"]);

/** The demo CSV's header and rows as text (the demo has no quoted fields). */
function readDemoCsv(file: string): { header: string[]; rows: (string | null)[][] } {
  const [head, ...lines] = readFileSync(join(DEMO_DIR, file), "utf8").trimEnd().split("\n");
  return { header: head!.split(","), rows: lines.map((l) => l.split(",").map((v) => (v === "" ? null : v))) };
}

const isNumeric = (rows: (string | null)[][], j: number) =>
  rows.every((r) => r[j] === null || /^-?\d+(\.\d+)?$/.test(r[j]!));

/** Writes <role>.<ext> for both tables into dir. */
export async function saveDemoAs(format: InputFormat, dir: string): Promise<void> {
  for (const role of ["episodes", "sessions"]) {
    const { header, rows } = readDemoCsv(`${role}.csv`);
    const out = join(dir, `${role}.${EXT[format]}`);
    if (format === "csv") writeFileSync(out, readFileSync(join(DEMO_DIR, `${role}.csv`)));
    else if (format === "tsv")
      writeFileSync(
        out,
        [header, ...rows.map((r) => r.map((v) => v ?? ""))].map((r) => r.join("\t")).join("\n") + "\n",
      );
    else if (format === "xlsx") await writeXlsx(out, header, rows);
    else if (format === "sav") writeDemoSav(out, header, rows);
    else await viaDuckDb(format, join(DEMO_DIR, `${role}.csv`), out);
  }
}

async function viaDuckDb(format: "parquet" | "json" | "ndjson", csv: string, out: string): Promise<void> {
  const db = await openDb();
  // Typed columns, as a Parquet or JSON export holds them: dates as dates, scores as numbers.
  const options =
    format === "parquet" ? "FORMAT parquet" : format === "json" ? "FORMAT json, ARRAY true" : "FORMAT json";
  await db.run(`COPY (SELECT * FROM read_csv(${sqlString(csv)}, header = true)) TO ${sqlString(out)} (${options})`);
  closeDb(db);
}

async function writeXlsx(out: string, header: string[], rows: (string | null)[][]): Promise<void> {
  const numeric = header.map((_, j) => isNumeric(rows, j));
  const data = [
    header,
    ...rows.map((r) =>
      r.map((v, j) => {
        if (v === null) return null;
        if (DATE_COLUMNS.has(header[j]!))
          return { value: new Date(`${v}T00:00:00Z`), type: Date, format: "yyyy-mm-dd" };
        return numeric[j] ? Number(v) : v;
      }),
    ),
  ];
  await writeExcelFile(data as never, { sheet: "export" }).toFile(out);
}

/** Discharge reasons stored as labelled codes, as SPSS users keep them. */
export const REASON_CODES: [number, string][] = [
  [1, "completed"],
  [2, "dropped out"],
  [3, "left against advice"],
  [4, "transferred"],
];

function writeDemoSav(out: string, header: string[], rows: (string | null)[][]): void {
  const numeric = header.map((_, j) => isNumeric(rows, j));
  const vars: SavVariable[] = header.map((name, j) => {
    if (name === "DischargeReason") return { name, type: "numeric", labels: REASON_CODES, missing: 9 };
    if (DATE_COLUMNS.has(name)) return { name, type: "date" };
    if (numeric[j]) return { name, type: "numeric" };
    return { name, type: { string: Math.max(8, ...rows.map((r) => (r[j] ?? "").length)) } };
  });
  const codeOf = new Map(REASON_CODES.map(([c, l]) => [l, c]));
  writeSav(
    out,
    vars,
    rows.map((r) =>
      Object.fromEntries(
        header.map((name, j) => [
          name,
          name === "DischargeReason"
            ? r[j] === null
              ? 9
              : codeOf.get(r[j]!)!
            : numeric[j] && r[j] !== null
              ? Number(r[j])
              : r[j]!,
        ]),
      ),
    ),
  );
}

/** The demo config with its files pointed at <role>.<ext> in dir and a smaller bootstrap; returns its path. */
export function demoConfigFor(format: InputFormat, dir: string, b = 200): string {
  const config = parse(readFileSync(join(DEMO_DIR, "study.yaml"), "utf8")) as Record<string, any>;
  config.files = { episodes: `episodes.${EXT[format]}`, sessions: `sessions.${EXT[format]}` };
  config.bootstrap = { b };
  const path = join(dir, "study.yaml");
  writeFileSync(path, stringify(config));
  return path;
}

/** The demo as one long CSV (episode fields repeated on each session row; an episode without sessions has one row with empty session fields). */
export async function saveDemoLong(dir: string): Promise<string> {
  const db = await openDb();
  const csv = (f: string) => `read_csv(${sqlString(join(DEMO_DIR, f))}, header = true, all_varchar = true)`;
  await db.run(
    `COPY (SELECT e.*, s.* EXCLUDE (ClientID) FROM ${csv("episodes.csv")} e LEFT JOIN ${csv("sessions.csv")} s USING (ClientID) ORDER BY e.ClientID, s.SessionDate) TO ${sqlString(join(dir, "long.csv"))} (HEADER)`,
  );
  closeDb(db);
  return writeLayoutConfig(dir, { long: "long.csv" }, (c) => {
    c.columns.sessions.therapist_id = "Clinician";
  });
}

/** The demo as one wide CSV: one row per episode, its sessions in date order as SessionDate_1, SRS_Total_1, … */
export async function saveDemoWide(dir: string): Promise<string> {
  const db = await openDb();
  const csv = (f: string) => `read_csv(${sqlString(join(DEMO_DIR, f))}, header = true, all_varchar = true)`;
  const fields = [
    "SessionDate",
    "SRS_Relationship",
    "SRS_Goals",
    "SRS_Approach",
    "SRS_Overall",
    "SRS_Total",
    "ORS_Total",
    "SRS_Therapist",
  ];
  const slots = Array.from({ length: 17 }, (_, i) => i + 1);
  const pivot = slots
    .flatMap((i) => fields.map((f) => `max(CASE WHEN k = ${i} THEN ${f} END) AS ${f}_${i}`))
    .join(", ");
  await db.run(`COPY (
    SELECT e.*, w.* EXCLUDE (ClientID) FROM ${csv("episodes.csv")} e
    LEFT JOIN (SELECT ClientID, ${pivot} FROM (SELECT *, row_number() OVER (PARTITION BY ClientID ORDER BY SessionDate) AS k FROM ${csv("sessions.csv")}) GROUP BY ClientID) w USING (ClientID)
    ORDER BY e.ClientID) TO ${sqlString(join(dir, "wide.csv"))} (HEADER)`);
  closeDb(db);
  return writeLayoutConfig(dir, { wide: "wide.csv" }, (c) => {
    for (const k of ["session_date", "alliance", "outcome"]) c.columns.sessions[k] += "_{i}";
    for (const s of c.alliance.subscales) s.column += "_{i}";
    for (const r of c.alliance.other_raters) r.column += "_{i}";
  });
}

function writeLayoutConfig(
  dir: string,
  files: Record<string, string>,
  change: (c: Record<string, any>) => void,
  b = 200,
): string {
  const config = parse(readFileSync(join(DEMO_DIR, "study.yaml"), "utf8")) as Record<string, any>;
  config.files = files;
  config.bootstrap = { b };
  change(config);
  const path = join(dir, "study.yaml");
  writeFileSync(path, stringify(config));
  return path;
}
