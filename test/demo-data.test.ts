import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EPISODE_COLUMNS, SESSION_COLUMNS, generateDemoStudy } from "../data/demo/model.ts";
import { plainCsv } from "../data/demo/generate.ts";

const demo = (f: string) => readFileSync(fileURLToPath(new URL(`../data/demo/${f}`, import.meta.url)), "utf8");

describe("the embedded demo study", () => {
  const study = generateDemoStudy();

  it("is exactly what the seeded generator writes (npm run generate-demo)", () => {
    expect(plainCsv(study.episodes, EPISODE_COLUMNS)).toBe(demo("episodes.csv"));
    expect(plainCsv(study.sessions, SESSION_COLUMNS)).toBe(demo("sessions.csv"));
  });

  it("has the documented shape: 600 episodes, 4 sites, 30 therapists, 8 quarters of admissions", () => {
    expect(study.episodes).toHaveLength(600);
    expect(new Set(study.episodes.map((e) => e.Site)).size).toBe(4);
    expect(new Set(study.episodes.map((e) => e.Clinician)).size).toBe(30);
    const quarters = new Set(
      study.episodes.map((e) => `${e.AdmitDate.slice(0, 4)}Q${Math.ceil(Number(e.AdmitDate.slice(5, 7)) / 3)}`),
    );
    expect([...quarters].sort()).toEqual([
      "2024Q1",
      "2024Q2",
      "2024Q3",
      "2024Q4",
      "2025Q1",
      "2025Q2",
      "2025Q3",
      "2025Q4",
    ]);
  });

  it("has every kind of discharge: completed, dropout, left against advice, transferred, and active", () => {
    const reasons = new Set(study.episodes.map((e) => e.DischargeReason));
    expect([...reasons].sort()).toEqual(["", "completed", "dropped out", "left against advice", "transferred"]);
  });
});
