import { describe, expect, it } from "vitest";
import { problem, text } from "../../pipeline/messages.ts";
import { writeTinyStudy } from "../helpers/tiny-study.ts";
import { ingestAndValidate } from "../helpers/run-stages.ts";

const EP = ["C1,North,T1,2025-01-06,2025-03-01,completed", "C2,North,T1,2025-02-03,,"];
const SE = ["C1,2025-01-07,33,20", "C1,2025-01-14,34,22", "C2,2025-02-04,30,18"];

async function problems(episodes: string[], sessions: string[], change?: (c: Record<string, any>) => void) {
  const { ingested, validated } = await ingestAndValidate(writeTinyStudy(episodes, sessions, change).study);
  if (!ingested.ok) return ingested.problems;
  if (validated!.ok) throw new Error("expected validation to fail");
  return validated!.problems;
}

describe("validate", () => {
  it("passes clean data with nothing excluded", async () => {
    const { validated } = await ingestAndValidate(writeTinyStudy(EP, SE).study);
    expect(validated?.ok && validated.value.excluded).toEqual({ episodes: [], sessions: [] });
  });

  it("names file, row and column of a letter in a score (header is row 1)", async () => {
    const [p] = await problems(EP, ["C1,2025-01-07,33,20", "C1,2025-01-14,3x,22", "C2,2025-02-04,30,18"]);
    expect(p).toMatchObject({
      code: "E_SCORE_NOT_NUMBER",
      where: { file: "sessions.csv", row: 3, column: "SRS_Total" },
    });
    expect(p!.message).toBe(text("E_SCORE_NOT_NUMBER", { value: "3x", name: "" }));
    expect(p!.fix).toMatch(/leave the cell empty/);
  });

  it("names a score outside the instrument's range", async () => {
    const [p] = await problems(EP, ["C1,2025-01-07,33,99", ...SE.slice(1)]);
    expect(p).toMatchObject({
      code: "E_SCORE_OUT_OF_RANGE",
      where: { file: "sessions.csv", row: 2, column: "ORS_Total" },
    });
  });

  it("names a column the config maps but the file lacks, as row 1", async () => {
    const study = writeTinyStudy(EP, SE, undefined, {
      episodes: "ClientID,Site,Clinician,AdmitDate,DischargeDate,DischargeReason",
      sessions: "ClientID,SessionDate,SRS,ORS_Total",
    });
    const { ingested } = await ingestAndValidate(study.study);
    expect(!ingested.ok && ingested.problems[0]).toEqual(
      problem(
        "E_COLUMN_MISSING",
        { field: "alliance", column: "SRS_Total", present: ["ClientID", "SessionDate", "SRS", "ORS_Total"] },
        { file: "sessions.csv", row: 1, column: "SRS_Total" },
      ),
    );
    expect(!ingested.ok && ingested.problems[0]!.where).toEqual({ file: "sessions.csv", row: 1, column: "SRS_Total" });
  });

  it("suggests the right spelling when a column differs only in case", async () => {
    const study = writeTinyStudy(EP, SE, undefined, {
      episodes: "clientid,Site,Clinician,AdmitDate,DischargeDate,DischargeReason",
      sessions: "ClientID,SessionDate,SRS_Total,ORS_Total",
    });
    const { ingested } = await ingestAndValidate(study.study);
    expect(!ingested.ok && ingested.problems[0]!.fix).toContain('"clientid"');
  });

  it("names a discharge before admission by file, row and column", async () => {
    const [p] = await problems(["C1,North,T1,2025-01-06,2024-12-01,completed", EP[1]!], ["C2,2025-02-04,30,18"]);
    expect(p).toMatchObject({
      code: "E_DISCHARGE_BEFORE_ADMIT",
      where: { file: "episodes.csv", row: 2, column: "DischargeDate" },
    });
  });

  it("refuses dates that are not YYYY-MM-DD or not on the calendar", async () => {
    const found = await problems(["C1,North,T1,06/01/2025,,", "C2,North,T1,2025-02-30,,"], SE);
    expect(found.map((p) => [p.code, p.where?.row, p.where?.column])).toEqual([
      ["E_DATE_INVALID", 2, "AdmitDate"],
      ["E_DATE_INVALID", 3, "AdmitDate"],
    ]);
  });

  it("refuses a client's second episode with the same admission date, pointing at the first", async () => {
    const [p] = await problems([...EP, "C1,North,T1,2025-01-06,2025-02-01,completed"], SE);
    expect(p).toMatchObject({ code: "E_DUPLICATE_EPISODE", where: { row: 4, column: "ClientID" } });
    expect(p!.message).toContain("first on row 2");
    expect(p!.message).toContain("same admission date");
  });

  it("refuses a client's episode that starts before the client's previous one ends", async () => {
    const [p] = await problems([...EP, "C1,North,T1,2025-02-01,,"], SE);
    expect(p).toMatchObject({ code: "E_EPISODES_OVERLAP", where: { row: 4, column: "AdmitDate" } });
    expect(p!.message).toBe(text("E_EPISODES_OVERLAP", { previousRow: "2", open: false }));
    // A finding points at rows, never at a person's dates (docs/privacy.md).
    expect(p!.message).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it("refuses a discharge without a reason", async () => {
    const [p] = await problems(["C1,North,T1,2025-01-06,2025-03-01,", EP[1]!], SE);
    expect(p).toMatchObject({ code: "E_REASON_MISSING", where: { row: 2, column: "DischargeReason" } });
  });

  it("lists every failing cell, not just the first", async () => {
    const found = await problems(EP, ["C1,2025-01-07,x,20", "C1,2025-01-14,y,z"]);
    expect(found.map((p) => `${p.where?.row}:${p.where?.column}`)).toEqual([
      "2:SRS_Total",
      "3:SRS_Total",
      "3:ORS_Total",
    ]);
  });

  it("excludes and counts sessions after the cutoff, duplicates and orphans, each once, by precedence", async () => {
    const sessions = [
      ...SE,
      "C1,2025-01-14,34,22",
      "C9,2025-01-20,30,20",
      "C2,2026-01-05,30,20",
      "C2,2025-01-01,30,20",
    ];
    const { validated } = await ingestAndValidate(writeTinyStudy(EP, sessions).study);
    expect(validated?.ok && validated.value.excluded.sessions).toEqual([
      { code: "W_SESSION_NO_EPISODE", reason: "no matching episode", n: 1 },
      { code: "W_SESSION_AFTER_CUTOFF", reason: "session after the data cutoff", n: 1 },
      { code: "W_SESSION_BEFORE_ADMIT", reason: "session before admission", n: 1 },
      { code: "W_SESSION_DUPLICATE", reason: "duplicate session (same client and day)", n: 1 },
    ]);
  });

  it("excludes episodes admitted after the cutoff and counts them", async () => {
    const { validated } = await ingestAndValidate(writeTinyStudy([...EP, "C3,North,T1,2026-01-05,,"], SE).study);
    expect(validated?.ok && validated.value.excluded.episodes).toEqual([
      { code: "W_ADMIT_AFTER_CUTOFF", reason: "admitted after the data cutoff", n: 1 },
    ]);
  });
});

describe("validate on a large file", () => {
  it("keeps file order through DuckDB's parallel CSV reader, so row numbers stay exact", async () => {
    const sessions = Array.from(
      { length: 200_000 },
      (_, i) => `C1,2025-01-${String((i % 28) + 1).padStart(2, "0")},${i === 187_654 ? "bad" : 30},20`,
    );
    const [p] = await problems(["C1,N,T1,2025-01-01,,"], sessions);
    expect(p!.where).toEqual({ file: "sessions.csv", row: 187_656, column: "SRS_Total" });
  });
});
