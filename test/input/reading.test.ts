/**
 * How input files are read: formats, delimiters, encodings, missing-value codes, date forms and
 * decimal marks. Expected values are the fixture's own cells, read by eye.
 */
import { describe, expect, it } from "vitest";
import writeExcelFile from "write-excel-file/node";
import { detectDelimiter, detectFormat, isUtf8 } from "../../pipeline/phases/read/detect-format.ts";
import { deriveAll, ingestAndValidate, refusal } from "../helpers/run-stages.ts";
import { TABLES } from "../../pipeline/phases/tables.ts";
import { EPISODE_HEADER, SESSION_HEADER, writeStudyFiles } from "../helpers/tiny-study.ts";
import { queryRows } from "../../pipeline/db.ts";

const EP = [EPISODE_HEADER, "C1,North,T1,2025-01-06,2025-03-01,completed"].join("\n") + "\n";
const SE = (rows: string[]) => [SESSION_HEADER, ...rows].join("\n") + "\n";

describe("format detection", () => {
  it("knows xlsx, SPSS and Parquet by their first bytes, whatever the file is called", () => {
    expect(detectFormat("export.dat", Buffer.from("PK\x03\x04rest", "latin1"))).toBe("xlsx");
    expect(detectFormat("export.dat", Buffer.from("$FL2@(#) SPSS", "latin1"))).toBe("sav");
    expect(detectFormat("export.dat", Buffer.from("PAR1....", "latin1"))).toBe("parquet");
  });

  it("tells a JSON array from newline-delimited JSON", () => {
    expect(detectFormat("a.json", Buffer.from('[{"a":1},\n{"a":2}]'))).toBe("json");
    expect(detectFormat("a.json", Buffer.from('{"a":1}\n{"a":2}\n'))).toBe("ndjson");
    expect(detectFormat("a.ndjson", Buffer.from('{"a":1}\n'))).toBe("ndjson");
  });

  it("takes the delimiter that the header line uses most, ignoring quoted text", () => {
    expect(detectDelimiter('ClientID;Site;"Notes, free text"\nC1;N;x')).toBe(";");
    expect(detectDelimiter("ClientID\tSite\tDate\n")).toBe("\t");
    expect(detectDelimiter("ClientID,Site\n")).toBe(",");
  });

  it("recognises a Latin-1 file as not UTF-8", () => {
    expect(isUtf8(Buffer.from("Montréal", "latin1"))).toBe(false);
    expect(isUtf8(Buffer.from("Montréal", "utf8"))).toBe(true);
  });
});

describe("delimited text", () => {
  it("reads a semicolon file with a byte-order mark, decimal commas and day-first dates when the config declares them", async () => {
    const episodes = "\uFEFF" + EP.replaceAll(",", ";").replace("2025-01-06", "06.01.2025");
    const sessions =
      "\uFEFF" +
      SE(["C1;07/01/2025;33,5;20", "C1;14/01/2025;34,5;22"])
        .replaceAll(",", ";")
        .replace("ClientID;SessionDate;SRS_Total;ORS_Total", "ClientID;SessionDate;SRS_Total;ORS_Total");
    // The scores' decimal commas became semicolons above; write them back.
    const fixed = sessions.replace("33;5", "33,5").replace("34;5", "34,5");
    const { study } = writeStudyFiles(
      { "episodes.csv": episodes, "sessions.csv": fixed },
      (c) => (c.values = { decimal_mark: ",", date_format: "day_first" }),
    );
    const [e] = await deriveAll(study);
    expect(e).toMatchObject({ admit_date: "2025-01-06", n_sessions: 2, early_alliance: 34 });
  });

  it("reads a Latin-1 export without garbling accented letters", async () => {
    const episodes = Buffer.from(EP.replace("North", "Montréal"), "latin1");
    const { study } = writeStudyFiles({ "episodes.csv": episodes, "sessions.csv": SE(["C1,2025-01-07,33,20"]) });
    const [e] = await deriveAll(study);
    expect(e!.site).toBe("Montréal");
  });

  it("reads a Latin-1 export that begins with a UTF-8 byte-order mark, the mark not part of the first column's name", async () => {
    const episodes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(EP.replace("North", "Montréal"), "latin1"),
    ]);
    const { study } = writeStudyFiles({ "episodes.csv": episodes, "sessions.csv": SE(["C1,2025-01-07,33,20"]) });
    const [e] = await deriveAll(study);
    expect(e!.site).toBe("Montréal");
  });

  it("reads the configured missing-value codes as empty, and only those", async () => {
    const { study } = writeStudyFiles(
      {
        "episodes.csv": EP,
        "sessions.csv": SE(["C1,2025-01-07,-9,20", "C1,2025-01-14,999,22", "C1,2025-01-21,30,NA"]),
      },
      (c) => (c.values = { missing: ["-9", "999", "NA"] }),
    );
    const [e] = await deriveAll(study);
    expect([e!.early_alliance, e!.early_alliance_n, e!.outcome_n]).toEqual([30, 1, 2]);
  });

  it("refuses an undeclared missing-value code as out of range, and says how to declare it", async () => {
    const { study } = writeStudyFiles({ "episodes.csv": EP, "sessions.csv": SE(["C1,2025-01-07,999,20"]) });
    const { validated } = await ingestAndValidate(study);
    const p = !validated!.ok ? validated!.problems[0] : undefined;
    expect(p).toMatchObject({ code: "E_SCORE_OUT_OF_RANGE", where: { row: 2, column: "SRS_Total" } });
  });
});

describe("a file that cannot be parsed", () => {
  it("names a letter in a score, an impossible date, an extra cell and an unclosed quote, each at its line and column", async () => {
    const sessions = SE([
      "C1,2025-01-07,33,20", // line 2: clean
      "C1,2025-01-14,3x,20", // line 3: not a number
      "C1,2025-02-30,33,20", // line 4: not on the calendar
      "C1,2025-01-21,33,20,9", // line 5: a fifth cell under a four-column header
      'C1,2025-01-28,"33,20', // line 6: a quote that never closes
    ]);
    const problems = refusal(
      await ingestAndValidate(writeStudyFiles({ "episodes.csv": EP, "sessions.csv": sessions }).study),
    );
    const at = problems.map((p) => [p.where?.row, p.where?.column, p.code]).sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(at).toEqual([
      [3, "SRS_Total", "E_SCORE_NOT_NUMBER"],
      [4, "SessionDate", "E_DATE_INVALID"],
      [5, "5", "E_ROW_RAGGED"],
      [6, "SRS_Total", "E_QUOTE_UNCLOSED"],
    ]);
    expect(problems.every((p) => p.where?.file === "sessions.csv" && p.fix)).toBe(true);
  });

  it("is refused naming the file and the line, whichever stage first reads it", async () => {
    // An opening quote that never closes, after more rows than DuckDB samples to detect the format:
    // the error comes when the file is read in full, not when it is opened.
    const sessions = SE([
      "C1,2025-01-07,33,20",
      ...Array.from({ length: 30_000 }, (_, i) => `C1,2025-02-${String((i % 27) + 1).padStart(2, "0")},33,20`),
      'C1,2025-01-14,"34,22',
    ]);
    const problems = refusal(
      await ingestAndValidate(writeStudyFiles({ "episodes.csv": EP, "sessions.csv": sessions }).study),
    );
    expect(problems).toHaveLength(1);
    // Line 1 is the header, then 30,001 rows: the broken row is line 30,003.
    expect(problems[0]).toMatchObject({ code: "E_QUOTE_UNCLOSED", where: { file: "sessions.csv", row: 30_003 } });
  });

  it("does not quote the broken line: no value of the file is printed before the identifier check", async () => {
    const sessions = SE([
      "C1,2025-01-07,33,20",
      ...Array.from({ length: 30_000 }, () => "C1,2025-02-01,33,20"),
      'C1,123-45-6789,"34,22',
    ]);
    const problems = refusal(
      await ingestAndValidate(writeStudyFiles({ "episodes.csv": EP, "sessions.csv": sessions }).study),
    );
    expect(problems.map((p) => p.code)).toEqual(["E_QUOTE_UNCLOSED"]);
    expect(JSON.stringify(problems)).not.toContain("123-45-6789");
  });
});

describe("dates", () => {
  it("never guesses an ambiguous date: 03/04/2025 is refused until the config says which part is the month", async () => {
    const files = {
      "episodes.csv": EP.replace("2025-01-06", "01/06/2025"),
      "sessions.csv": SE(["C1,2025-01-07,33,20"]),
    };
    const refused = await ingestAndValidate(writeStudyFiles(files).study);
    const p = !refused.validated!.ok ? refused.validated!.problems[0] : undefined;
    expect(p).toMatchObject({ code: "E_DATE_INVALID", where: { row: 2, column: "AdmitDate" } });
    expect(p!.fix).toContain("values.date_format");
    const [us] = await deriveAll(writeStudyFiles(files, (c) => (c.values = { date_format: "us" })).study);
    expect(us!.admit_date).toBe("2025-01-06");
  });

  it("reads Excel serial numbers when declared: 45663 is 2025-01-06 (serial 45658 = 2025-01-01 in Excel's 1900 system)", async () => {
    const files = { "episodes.csv": EP.replace("2025-01-06", "45663"), "sessions.csv": SE(["C1,2025-01-07,33,20"]) };
    const [e] = await deriveAll(writeStudyFiles(files, (c) => (c.values = { excel_serial_dates: true })).study);
    expect(e!.admit_date).toBe("2025-01-06");
  });
});

describe("xlsx", () => {
  it("reads the named sheet, with date cells as dates and its own row numbers in findings", async () => {
    const dir = writeStudyFiles({ "episodes.csv": EP, "sessions.csv": SE([]) }).dir;
    const sheet = [
      ["ClientID", "SessionDate", "SRS_Total", "ORS_Total"],
      ["C1", { value: new Date(Date.UTC(2025, 0, 7)), type: Date, format: "dd/mm/yyyy" }, 33, 20],
      ["C1", { value: new Date(Date.UTC(2025, 0, 14)), type: Date, format: "dd/mm/yyyy" }, "3x", 22],
    ];
    await writeExcelFile([
      { data: [["notes"], ["not the data"]], sheet: "Readme" },
      { data: sheet, sheet: "Sessions" },
    ] as never).toFile(`${dir}/sessions.xlsx`);
    const { study } = writeStudyFiles(
      { "episodes.csv": EP },
      (c) => (c.files.sessions = { path: `${dir}/sessions.xlsx`, sheet: "Sessions" }),
    );
    const { validated } = await ingestAndValidate(study);
    const p = !validated!.ok ? validated!.problems : [];
    expect(p.map((x) => [x.code, x.where?.file, x.where?.row, x.where?.column])).toEqual([
      ["E_SCORE_NOT_NUMBER", "sessions.xlsx", 3, "SRS_Total"],
    ]);
  });
});

describe("several episodes per client", () => {
  const episodes =
    [EPISODE_HEADER, "C1,North,T1,2025-01-06,2025-03-01,completed", "C1,North,T2,2025-06-02,,"].join("\n") + "\n";

  it("gives each session to the episode whose dates it falls in (client + admission date)", async () => {
    const sessions = SE([
      "C1,2025-01-07,30,20",
      "C1,2025-02-07,32,24",
      "C1,2025-06-03,20,10",
      "C1,2025-06-10,22,12",
      "C1,2025-06-17,24,15",
    ]);
    const eps = await deriveAll(writeStudyFiles({ "episodes.csv": episodes, "sessions.csv": sessions }).study);
    expect(eps.map((e) => [e.admit_date, e.n_sessions, e.early_alliance, e.outcome_change])).toEqual([
      ["2025-01-06", 2, 31, 4],
      ["2025-06-02", 3, 22, 5],
    ]);
  });

  it("links sessions by episode id when both files carry one", async () => {
    const ep = episodes
      .replace(EPISODE_HEADER, `${EPISODE_HEADER},EpisodeID`)
      .replace("completed\n", "completed,E1\n")
      .replace("T2,2025-06-02,,\n", "T2,2025-06-02,,,E2\n");
    const sessions =
      [
        `${SESSION_HEADER},EpisodeID`,
        "C1,2025-01-07,30,20,E1",
        "C1,2025-06-03,20,10,E2",
        "C1,2025-06-10,22,12,E2",
      ].join("\n") + "\n";
    const eps = await deriveAll(
      writeStudyFiles({ "episodes.csv": ep, "sessions.csv": sessions }, (c) => {
        c.columns.episodes.episode_id = "EpisodeID";
        c.columns.sessions.episode_id = "EpisodeID";
      }).study,
    );
    expect(eps.map((e) => e.n_sessions)).toEqual([1, 2]);
  });

  it("notes an episode whose therapist changes, once, at the first session with the new therapist", async () => {
    const sessions =
      [
        `${SESSION_HEADER},Therapist`,
        "C1,2025-01-07,30,20,T1",
        "C1,2025-01-14,30,20,T9",
        "C1,2025-01-21,30,20,T9",
      ].join("\n") + "\n";
    const { db, validated } = await ingestAndValidate(
      writeStudyFiles(
        { "episodes.csv": EP, "sessions.csv": sessions },
        (c) => (c.columns.sessions.therapist_id = "Therapist"),
      ).study,
    );
    const notes = validated!.ok ? validated!.value.findings.filter((f) => f.severity === "note") : [];
    expect(notes.map((n) => [n.code, n.where?.row, n.where?.column])).toEqual([
      ["N_THERAPIST_CHANGED", 3, "Therapist"],
    ]);
    const [{ n }] = (await queryRows<{ n: number }>(
      db,
      `SELECT sum(n_sessions)::INTEGER AS n FROM ${TABLES.sessionSummary.name}`,
    )) as [{ n: number }];
    expect(n).toBe(3);
  });
});

describe("a file that is not text, or not text in its encoding", () => {
  it("refuses a spreadsheet saved under a .csv name, naming the file", async () => {
    const zip = Buffer.concat([Buffer.from("PK\x03\x04", "latin1"), Buffer.alloc(64)]);
    const { ingested } = await ingestAndValidate(
      writeStudyFiles(
        { "episodes.csv": EP, "sessions.csv": zip },
        (c) => (c.files.sessions = { path: "sessions.csv", format: "csv" }),
      ).study,
    );
    expect(!ingested.ok && ingested.problems.map((p) => [p.code, p.where?.file])).toEqual([
      ["E_FILE_NOT_TEXT", "sessions.csv"],
    ]);
  });

  it("names the line of a byte that is not UTF-8, past the part read to detect the encoding", async () => {
    // 40,000 clean rows (more than the 64 KB head), then a row with a Latin-1 é: line 40,002 with the header.
    const rows = Array.from({ length: 40_000 }, (_, i) => `C1,2025-02-${String((i % 27) + 1).padStart(2, "0")},33,20`);
    const bytes = Buffer.concat([Buffer.from(SE(rows)), Buffer.from("C1,2025-01-07,33,20\xe9\n", "latin1")]);
    const problems = refusal(
      await ingestAndValidate(writeStudyFiles({ "episodes.csv": EP, "sessions.csv": bytes }).study),
    );
    expect(problems.map((p) => [p.code, p.where?.file, p.where?.row])).toEqual([
      ["E_ENCODING_INVALID", "sessions.csv", 40_002],
    ]);
  });
});
