/**
 * The de-identification guard (HIPAA Safe Harbor direct identifiers): a file holding identifiers is
 * refused with one line per column, naming the column and the kind and never a value; once the config
 * drops those columns the run succeeds and no output holds them.
 */
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { findIdentifiers, nameWords } from "../../pipeline/phases/read/identifiers.ts";
import { testDb } from "../helpers/test-db.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { writeStudyFiles } from "../helpers/tiny-study.ts";
import { ingestAndValidate } from "../helpers/run-stages.ts";

vi.setConfig({ testTimeout: 90_000 });

const BIN = fileURLToPath(new URL("../../bin/alliance.mjs", import.meta.url));
const DEMO_DIR = fileURLToPath(new URL("../../data/demo/", import.meta.url));

const alliance = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });

/** Made-up identifiers for row i of the demo's episodes (none is a real person's). */
const identifiers = (i: number) => ({
  contact: `client${i}@example.org`,
  ref_code: `9${String(i % 100).padStart(2, "0")}-${String((i % 90) + 10)}-${String(1000 + i)}`,
  patient_name: `Test Person ${i}`,
  born: `19${60 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
});

/** The demo with four identifier columns added to its episodes file: e-mails and SSNs under neutral names. */
function demoWithIdentifiers(): { dir: string; config: string; values: string[] } {
  const dir = tempDir("alliance-ids-");
  cpSync(DEMO_DIR, dir, { recursive: true });
  const [header, ...rows] = readFileSync(join(dir, "episodes.csv"), "utf8").trimEnd().split("\n");
  const values: string[] = [];
  const lines = rows.map((r, i) => {
    const id = identifiers(i);
    values.push(...Object.values(id));
    return `${r},${id.contact},${id.ref_code},${id.patient_name},${id.born}`;
  });
  writeFileSync(
    join(dir, "episodes.csv"),
    [`${header},contact,ref_code,patient_name,born`, ...lines].join("\n") + "\n",
  );
  return { dir, config: join(dir, "study.yaml"), values };
}

/** Every file under dir, recursively. */
function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? allFiles(join(dir, f)) : [join(dir, f)],
  );
}

describe("the identifier guard", () => {
  it("refuses a file with e-mails, SSNs, a patient_name column and full birth dates: one line per column, no value printed", () => {
    const { dir, config, values } = demoWithIdentifiers();
    // Its own output folder: the default, reports/demo, is the user's demo report, which a refused run clears.
    const r = alliance("run", "--config", config, "--out", join(dir, "out"), "--no-pdf");
    expect(r.status).toBe(1);
    const lines = r.stderr.split("\n").filter((l) => l.includes("[E_IDENTIFIER_COLUMN]"));
    expect(lines.map((l) => l.replace(/: looks like it holds ([^(]+) \(.*/, ": $1").trim())).toEqual([
      "episodes.csv, column contact: e-mail addresses",
      "episodes.csv, column ref_code: social security numbers",
      "episodes.csv, column patient_name: a person's name",
      "episodes.csv, column born: full dates of birth",
    ]);
    for (const v of values) expect(r.stderr + r.stdout).not.toContain(v);
  });

  it("refuses full birth dates under a name that says nothing (v17), found by their values", () => {
    const dir = tempDir("alliance-ids-");
    cpSync(DEMO_DIR, dir, { recursive: true });
    const [header, ...rows] = readFileSync(join(dir, "episodes.csv"), "utf8").trimEnd().split("\n");
    writeFileSync(
      join(dir, "episodes.csv"),
      [`${header},v17`, ...rows.map((r, i) => `${r},${identifiers(i).born}`)].join("\n") + "\n",
    );
    const r = alliance("run", "--config", join(dir, "study.yaml"), "--out", join(dir, "out"), "--no-pdf");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /episodes\.csv, column v17: looks like it holds full dates of birth \(found by its values/,
    );
    expect(r.stderr).not.toMatch(/19[6-8]\d-0\d-1\d/);
  });

  it("runs once the config drops those columns, and no output contains them", () => {
    const { dir, config, values } = demoWithIdentifiers();
    writeFileSync(
      config,
      readFileSync(config, "utf8").replace(
        "privacy:\n",
        "privacy:\n  drop_columns: [contact, ref_code, patient_name, born]\n",
      ),
    );
    const out = join(dir, "out");
    // The row-level working files too (kept outside the output folder only when asked).
    const r = alliance(
      "run",
      "--config",
      config,
      "--out",
      out,
      "--no-pdf",
      "--keep-internal",
      join(dir, "internal"),
      "--quiet",
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const files = [...allFiles(out), ...allFiles(join(dir, "internal"))];
    expect(files.length).toBeGreaterThan(5);
    const texts = files.map((f) => readFileSync(f, "latin1"));
    // A sample of every kind of value (checking all 2,400 against every file would only slow the test).
    for (const v of values.filter((_, k) => k % 37 === 0)) for (const t of texts) expect(t).not.toContain(v);
    for (const t of texts) expect(t).not.toMatch(/@example\.org|Test Person/);
  });

  it("accepts a birth-year column, which Safe Harbor allows, and a three-digit ZIP", async () => {
    const db = await testDb();
    await db.run("CREATE TABLE t AS SELECT * FROM (VALUES ('1984', '021'), ('1990', '100')) v(birth_year, zip3)");
    expect(await findIdentifiers(db, "t", ["birth_year", "zip3"])).toEqual([]);
    await db.run("INSERT INTO t VALUES ('1990-04-02', '02139')");
    expect((await findIdentifiers(db, "t", ["birth_year", "zip3"])).map((f) => f.kind)).toEqual([
      "full dates of birth",
      "ZIP codes with more than three digits",
    ]);
  });

  it("takes a column of full dates lying ten years or more before the admissions for dates of birth, whatever its name", async () => {
    const db = await testDb();
    await db.run(
      "CREATE TABLE t AS SELECT * FROM (VALUES ('1961-03-04', '2024-05-06', '03/14/1975', '1999-01-01'), ('1987-11-30', '2024-07-01', '12/01/1990', '2025-01-01'), ('1979-06-15', '2025-02-02', '7/4/1966', '1998-05-05')) v(v17, visit, other, mixed)",
    );
    const found = await findIdentifiers(db, "t", ["v17", "visit", "other", "mixed"], { studyYear: 2024 });
    // Median years: v17 1979, other 1975 (written M/D/YYYY), mixed 1999; visit 2024, the admissions' own year.
    expect(found.map((f) => [f.column, f.kind, f.by])).toEqual([
      ["v17", "full dates of birth", "values"],
      ["other", "full dates of birth", "values"],
      ["mixed", "full dates of birth", "values"],
    ]);
  });

  it("never takes the study's own date columns, or recent dates, for dates of birth", async () => {
    const db = await testDb();
    await db.run(
      "CREATE TABLE t AS SELECT * FROM (VALUES ('1991-02-03', '2019-06-01'), ('1992-04-05', '2020-01-01')) v(AdmitDate, referral)",
    );
    expect(
      await findIdentifiers(db, "t", ["AdmitDate", "referral"], {
        studyYear: 1992,
        isStudyDate: (c) => c === "AdmitDate",
      }),
    ).toEqual([]);
    expect(
      await findIdentifiers(db, "t", ["AdmitDate", "referral"], {
        studyYear: 2024,
        isStudyDate: (c) => c === "AdmitDate",
      }),
    ).toEqual([]);
  });

  it("finds phone numbers, URLs, IP addresses and street addresses by their values, in any column", async () => {
    const db = await testDb();
    await db.run(
      "CREATE TABLE t AS SELECT * FROM (VALUES ('call (617) 555-0100', 'see https://example.org/x', 'from 192.168.0.12', 'lives at 12 Elm Street', 'T05', '33.8', '2025-01-06')) v(a, b, c, d, therapist, score, visit)",
    );
    const found = await findIdentifiers(db, "t", ["a", "b", "c", "d", "therapist", "score", "visit"]);
    expect(found.map((f) => [f.column, f.kind])).toEqual([
      ["a", "phone or fax numbers"],
      ["b", "URLs"],
      ["c", "IP addresses"],
      ["d", "street addresses"],
    ]);
  });

  it("does not take site, program or therapist columns for names, nor client ids for anything", async () => {
    expect(nameWords("SiteName")).toEqual(["site", "name"]);
    expect(nameWords("patientName")).toEqual(["patient", "name"]);
    const db = await testDb();
    await db.run(
      "CREATE TABLE t AS SELECT * FROM (VALUES ('Northside', 'Outpatient', 'T05', 'C00001')) v(SiteName, program_name, Clinician, ClientID)",
    );
    expect(await findIdentifiers(db, "t", ["SiteName", "program_name", "Clinician", "ClientID"])).toEqual([]);
    await db.run("CREATE TABLE u AS SELECT 'Jane Doe' AS patientName");
    expect((await findIdentifiers(db, "u", ["patientName"])).map((f) => f.kind)).toEqual(["a person's name"]);
  });
});

/**
 * Made-up persons' names: 7 first names × 5 family names (35 distinct). The expected counts below are
 * how many of them each test writes; the thresholds are PERSON_NAME_MIN_VALUES and PERSON_NAME_SHARE.
 */
const FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Eve", "Farah", "Gus"];
const FAMILY = ["Okafor", "Lindqvist", "O'Neil", "Park", "Smith-Jones"];
const madeUpNames = (n: number) =>
  Array.from({ length: n }, (_, i) => [FIRST[i % 7]!, FAMILY[Math.floor(i / 7) % 5]!] as const);

/** A one-column table of the given values, each row once. */
async function columnOf(name: string, values: string[]) {
  const db = await testDb();
  await db.run(
    `CREATE TABLE t AS SELECT unnest([${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ")}]) AS "${name}"`,
  );
  return db;
}

describe("the identifier guard, on persons' names written in a column of another name", () => {
  it("finds them by their values, written First Family", async () => {
    const db = await columnOf(
      "referred_by",
      madeUpNames(25).map(([f, l]) => `${f} ${l}`),
    );
    expect(await findIdentifiers(db, "t", ["referred_by"])).toEqual([
      { column: "referred_by", kind: "a person's name", by: "values", matches: 25 },
    ]);
  });

  it("finds them written FAMILY, FIRST, as EHR exports often do", async () => {
    const db = await columnOf(
      "kin",
      madeUpNames(30).map(([f, l]) => `${l.toUpperCase()}, ${f.toUpperCase()}`),
    );
    expect((await findIdentifiers(db, "t", ["kin"])).map((f) => [f.kind, f.matches])).toEqual([
      ["a person's name", 30],
    ]);
  });

  it("does not take a few capitalised labels, nor free text, for names", async () => {
    const labels = [
      "Drug Court",
      "Self Referral",
      "Primary Care",
      "Family Member",
      "Emergency Department",
      "Probation Office",
      "School Counselor",
      "Employee Assistance",
    ];
    const db = await columnOf("referral", [...labels, ...labels]);
    await db.run(`CREATE TABLE n AS SELECT 'client reports progress, week ' || i AS notes FROM range(40) r(i)`);
    expect(await findIdentifiers(db, "t", ["referral"])).toEqual([]);
    expect(await findIdentifiers(db, "n", ["notes"])).toEqual([]);
  });

  it("never takes the sites and therapists the config maps for clients' names", async () => {
    const staff = madeUpNames(25).map(([f, l]) => `${f} ${l}`);
    const db = await columnOf("Clinician", staff);
    expect(await findIdentifiers(db, "t", ["Clinician"], { isStaffOrPlace: (c) => c === "Clinician" })).toEqual([]);
    // Unmapped, the same column is refused: the mapping is what spares it.
    expect(await findIdentifiers(db, "t", ["Clinician"])).toHaveLength(1);
  });

  it("never takes a wide file's numbered therapist columns, mapped by their pattern, for clients' names", async () => {
    const header =
      "ClientID,Site,Clinician,AdmitDate,DischargeDate,DischargeReason,SessionDate_1,SRS_Total_1,ORS_Total_1,Clinician_1";
    const rows = madeUpNames(25).map(
      ([f, l], i) => `C${1000 + i},Northside,T01,2025-01-0${1 + (i % 9)},,,2025-02-01,33,20,${f} ${l}`,
    );
    const wide = (mapTherapist: boolean) =>
      writeStudyFiles({ "wide.csv": [header, ...rows].join("\n") + "\n" }, (c) => {
        c.files = { wide: "wide.csv" };
        for (const k of ["session_date", "alliance", "outcome"]) c.columns.sessions[k] += "_{i}";
        if (mapTherapist) c.columns.sessions.therapist_id = "Clinician_{i}";
      }).study;
    expect((await ingestAndValidate(wide(true))).ingested.ok).toBe(true);
    // Unmapped, the same column is refused: the pattern is what spares it.
    const unmapped = (await ingestAndValidate(wide(false))).ingested;
    expect(unmapped.ok ? [] : unmapped.problems.map((p) => [p.where?.column, p.code])).toEqual([
      ["Clinician_1", "E_IDENTIFIER_COLUMN"],
    ]);
  });
});
