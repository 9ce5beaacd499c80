/**
 * `alliance validate` on fixtures seeded with one instance of every rule of the catalogue reports each
 * at its row and column (rows count the header as row 1). Expected places: the seeded rows below.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../pipeline/cli.ts";
import { RULES } from "../../pipeline/phases/validate/validation-rules.ts";
import type { ValidationReport } from "../../pipeline/drivers/validate.ts";
import { writeStudyFiles } from "../helpers/tiny-study.ts";

const EPISODES = [
  "ClientID,Site,Clinician,AdmitDate,DischargeDate,DischargeReason,Tier",
  "C1,North,T1,2025-01-06,2025-03-01,completed,high", // 2 clean, with the sessions below
  ",North,T1,2025-01-10,,,low", // 3 E_REQUIRED_MISSING ClientID
  "C2,North,T1,2025-01-06,2025-02-01,completed,low", // 4
  "C2,North,T1,2025-01-06,2025-02-02,completed,low", // 5 E_DUPLICATE_EPISODE
  "C3,North,T1,2025-01-06,2025-06-01,completed,low", // 6
  "C3,North,T1,2025-03-01,,,low", // 7 E_EPISODES_OVERLAP
  "C4,North,T1,2025-13-01,,,low", // 8 E_DATE_INVALID
  "C5,North,T1,2025-05-01,2025-04-01,completed,low", // 9 E_DISCHARGE_BEFORE_ADMIT
  "C6,North,T1,2025-01-06,2025-03-01,,low", // 10 E_REASON_MISSING
  "C7,North,T1,2025-01-06,,completed,low", // 11 E_REASON_WITHOUT_DISCHARGE
  "C8,North,T1,2025-01-06,,,medium", // 12 E_TIER_UNKNOWN
  "C9,North,T1,2026-02-01,,,low", // 13 W_ADMIT_AFTER_CUTOFF
  "C10,North,T1,2025-01-06,2025-03-01,transferred,low", // 14 N_REASON_OTHER
];
const SESSIONS = [
  "ClientID,SessionDate,SRS_Total,ORS_Total,Therapist",
  "C1,2025-01-07,33,20,T1", // 2
  "C1,2025-01-14,3x,20,T1", // 3 E_SCORE_NOT_NUMBER
  "C1,2025-01-21,33,99,T1", // 4 E_SCORE_OUT_OF_RANGE
  "C1,2025-01-28,33,20,T2", // 5 N_THERAPIST_CHANGED
  "C99,2025-01-07,33,20,T1", // 6 W_SESSION_NO_EPISODE
  "C9,2026-02-02,33,20,T1", // 7 W_SESSION_EPISODE_EXCLUDED
  "C1,2026-01-05,33,20,T1", // 8 W_SESSION_AFTER_CUTOFF
  "C1,2025-01-01,33,20,T1", // 9 W_SESSION_BEFORE_ADMIT
  "C1,2025-04-01,33,20,T1", // 10 W_SESSION_AFTER_DISCHARGE
  "C1,2025-01-07,33,20,T1", // 11 W_SESSION_DUPLICATE
  "C1,,30,20,T1", // 12 E_REQUIRED_MISSING SessionDate
];
const EXPECTED_TABLES: [string, string, number, string][] = [
  ["E_REQUIRED_MISSING", "episodes.csv", 3, "ClientID"],
  ["E_DUPLICATE_EPISODE", "episodes.csv", 5, "ClientID"],
  ["E_EPISODES_OVERLAP", "episodes.csv", 7, "AdmitDate"],
  ["E_DATE_INVALID", "episodes.csv", 8, "AdmitDate"],
  ["E_DISCHARGE_BEFORE_ADMIT", "episodes.csv", 9, "DischargeDate"],
  ["E_REASON_MISSING", "episodes.csv", 10, "DischargeReason"],
  ["E_REASON_WITHOUT_DISCHARGE", "episodes.csv", 11, "DischargeDate"],
  ["E_TIER_UNKNOWN", "episodes.csv", 12, "Tier"],
  ["W_ADMIT_AFTER_CUTOFF", "episodes.csv", 13, "AdmitDate"],
  ["N_REASON_OTHER", "episodes.csv", 14, "DischargeReason"],
  ["E_SCORE_NOT_NUMBER", "sessions.csv", 3, "SRS_Total"],
  ["E_SCORE_OUT_OF_RANGE", "sessions.csv", 4, "ORS_Total"],
  ["N_THERAPIST_CHANGED", "sessions.csv", 5, "Therapist"],
  ["W_SESSION_NO_EPISODE", "sessions.csv", 6, "ClientID"],
  ["W_SESSION_EPISODE_EXCLUDED", "sessions.csv", 7, "ClientID"],
  ["W_SESSION_AFTER_CUTOFF", "sessions.csv", 8, "SessionDate"],
  ["W_SESSION_BEFORE_ADMIT", "sessions.csv", 9, "SessionDate"],
  ["W_SESSION_AFTER_DISCHARGE", "sessions.csv", 10, "SessionDate"],
  ["W_SESSION_DUPLICATE", "sessions.csv", 11, "SessionDate"],
  ["E_REQUIRED_MISSING", "sessions.csv", 12, "SessionDate"],
];

/** Runs `alliance validate` and returns its exit code and validation.json. */
async function validateStudy(configPath: string, dir: string) {
  const lines: string[] = [];
  const code = await main(["validate", "--config", configPath, "--out", join(dir, "v")], {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
  });
  return {
    code,
    lines,
    report: JSON.parse(readFileSync(join(dir, "v", "validation.json"), "utf8")) as ValidationReport,
    html: readFileSync(join(dir, "v", "validation.html"), "utf8"),
  };
}

const placeOf = (r: ValidationReport) => r.findings.map((f) => [f.code, f.where?.file, f.where?.row, f.where?.column]);

describe("alliance validate", () => {
  it("reports every seeded rule of the two-table layout at its row and column, with counts by rule", async () => {
    const { dir, configPath } = writeStudyFiles(
      { "episodes.csv": EPISODES.join("\n") + "\n", "sessions.csv": SESSIONS.join("\n") + "\n" },
      (c) => {
        c.columns.sessions.therapist_id = "Therapist";
        c.tiers = { method: "column", column: "Tier", labels: ["low", "high"] };
      },
    );
    const { code, report, html, lines } = await validateStudy(configPath, dir);
    expect(code).toBe(1);
    for (const e of EXPECTED_TABLES) expect(placeOf(report)).toContainEqual(e);
    for (const [c, file, , column] of EXPECTED_TABLES)
      expect(
        report.rules.find((r) => r.code === c && r.file === file && r.column === column)!.n,
      ).toBeGreaterThanOrEqual(1);
    for (const [c] of EXPECTED_TABLES) expect(html).toContain(c);
    expect(lines[0]).toMatch(/^alliance: \d+ errors, \d+ warnings, 2 notes; wrote /);
    for (const f of report.findings) expect(f.fix).toBeTruthy();
  });

  it("reports the long layout's differing episode fields and, with a closed list of reasons, an unknown one", async () => {
    const long = [
      "ClientID,Site,Clinician,AdmitDate,DischargeDate,DischargeReason,SessionDate,SRS_Total,ORS_Total",
      "C1,North,T1,2025-01-06,2025-03-01,completed,2025-01-07,33,20",
      "C1,South,T1,2025-01-06,2025-03-01,completed,2025-01-14,33,20",
      "C2,North,T1,2025-01-06,2025-03-01,graduated,2025-01-07,33,20",
    ];
    const { dir, configPath } = writeStudyFiles({ "long.csv": long.join("\n") + "\n" }, (c) => {
      c.files = { long: "long.csv" };
      c.other_discharge_reasons = ["transferred"];
    });
    const { report } = await validateStudy(configPath, dir);
    expect(placeOf(report)).toContainEqual(["E_EPISODE_FIELDS_DIFFER", "long.csv", 2, "Site"]);
    expect(report.findings.find((f) => f.code === "E_EPISODE_FIELDS_DIFFER")!.message).toContain("row 3");
    expect(placeOf(report)).toContainEqual(["E_REASON_UNKNOWN", "long.csv", 4, "DischargeReason"]);
  });

  it("covers every rule of the catalogue between the two fixtures", () => {
    const seeded = new Set([...EXPECTED_TABLES.map(([c]) => c), "E_EPISODE_FIELDS_DIFFER", "E_REASON_UNKNOWN"]);
    expect(RULES.map((r) => r.code).filter((c) => !seeded.has(c))).toEqual([]);
  });

  it("writes a clean report with exit code 0 for the demo study", async () => {
    const dir = writeStudyFiles({}).dir;
    const { code, report } = await validateStudy("data/demo/study.yaml", dir);
    expect(code).toBe(0);
    expect(report.totals.error).toBe(0);
    expect(existsSync(join(dir, "v", "validation.html"))).toBe(true);
  });
});
