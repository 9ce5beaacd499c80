/**
 * Alliance subscales and other raters (config alliance.subscales / other_raters): validated at the
 * config edge, range-checked per cell like the total, and each derived as its own early mean.
 * Expected values are worked by hand from the rows below.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseStudyConfig } from "../../pipeline/config/load-config.ts";
import { demoLikeConfig, writeTinyStudy } from "../helpers/tiny-study.ts";
import { deriveAll, ingestAndValidate } from "../helpers/run-stages.ts";

const withComponents = (c: Record<string, any>) => {
  c.alliance.subscales = [{ name: "bond", label: "Bond", column: "Bond", min: 0, max: 10 }];
  c.alliance.other_raters = [
    { rater: "therapist", instrument: "Therapist form", column: "TherapistRating", min: 0, max: 40 },
  ];
};
const HEADERS = {
  episodes: "ClientID,Site,Clinician,AdmitDate,DischargeDate,DischargeReason",
  sessions: "ClientID,SessionDate,SRS_Total,ORS_Total,Bond,TherapistRating",
};
const EP = ["C1,North,T1,2025-01-06,2025-03-01,completed", "C2,North,T1,2025-02-03,,"];

function configProblems(change: (c: Record<string, any>) => void) {
  const config = demoLikeConfig();
  withComponents(config);
  change(config);
  const result = parseStudyConfig(stringify(config), "study.yaml");
  if (result.ok) throw new Error("expected the config to be refused");
  return result.problems;
}

describe("alliance subscales and other raters in the config", () => {
  it("are keyed subscale_<name> and rater_<perspective>, subscales first", () => {
    const { study } = writeTinyStudy([], [], withComponents, HEADERS);
    expect(study.allianceComponents.map((c) => [c.key, c.label])).toEqual([
      ["subscale_bond", "Bond"],
      ["rater_therapist", "Therapist-rated"],
    ]);
    expect(study.allianceRater).toBe("client");
  });

  it("refuse a rater perspective that is already the alliance column's", () => {
    const [p] = configProblems((c) => (c.alliance.other_raters[0].rater = "client"));
    expect(p).toMatchObject({ code: "E_CONFIG_VALUE", where: { key: "alliance.other_raters[0].rater" } });
  });

  it("refuse a column that another field already uses", () => {
    const [p] = configProblems((c) => (c.alliance.subscales[0].column = "SRS_Total"));
    expect(p).toMatchObject({
      where: { key: "alliance.subscales[0].column" },
      message: '"SRS_Total" is already used by columns.sessions.alliance',
    });
  });

  it("refuse a subscale name that is not a plain lower-case word", () => {
    const [p] = configProblems((c) => (c.alliance.subscales[0].name = "Bond Scale"));
    expect(p!.where).toMatchObject({ key: "alliance.subscales[0].name" });
  });
});

describe("alliance subscales and other raters in the data", () => {
  it("name file, row and column of a subscale score outside its range", async () => {
    const { ingested, validated } = await ingestAndValidate(
      writeTinyStudy(EP, ["C1,2025-01-07,33,20,12,30"], withComponents, HEADERS).study,
    );
    expect(ingested.ok).toBe(true);
    expect(!validated!.ok && validated!.problems[0]).toMatchObject({
      code: "E_SCORE_OUT_OF_RANGE",
      message: "12 is outside the Session Rating Scale (SRS) Bond subscale range 0–10",
      where: { file: "sessions.csv", row: 2, column: "Bond" },
    });
  });

  it("derive each as the mean of its own first three non-missing ratings", async () => {
    const sessions = [
      "C1,2025-01-07,33,20,8,30",
      "C1,2025-01-14,34,22,,28", // no bond rating this week
      "C1,2025-01-21,35,23,9,", // no therapist rating
      "C1,2025-01-28,36,24,6,26",
      "C1,2025-02-04,30,25,10,20",
      "C2,2025-02-04,30,18,,",
    ];
    const derived = await deriveAll(writeTinyStudy(EP, sessions, withComponents, HEADERS).study);
    expect(derived[0]!.early_alliance).toBeCloseTo(34, 12); // (33 + 34 + 35) / 3
    expect(derived[0]!.early_components.subscale_bond).toBeCloseTo(23 / 3, 9); // (8 + 9 + 6) / 3
    expect(derived[0]!.early_components.rater_therapist).toBeCloseTo(28, 12); // (30 + 28 + 26) / 3
    expect(derived[1]!.early_components).toEqual({ subscale_bond: null, rater_therapist: null });
  });
});
