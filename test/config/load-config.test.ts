import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { stringify } from "yaml";
import { loadStudyConfig, parseStudyConfig } from "../../pipeline/config/load-config.ts";
import { DEMO_CONFIG } from "../../pipeline/cli.ts";
import { demoLikeConfig } from "../helpers/tiny-study.ts";

function problemsOf(change: (c: Record<string, any>) => void) {
  const config = demoLikeConfig();
  change(config);
  const result = parseStudyConfig(stringify(config), "study.yaml");
  if (result.ok) throw new Error("expected the config to be refused");
  return result.problems;
}

describe("study config", () => {
  it("accepts the demo config and resolves its files next to it", () => {
    const result = loadStudyConfig(DEMO_CONFIG);
    expect(result.ok && result.value.files.episodes.endsWith("data/demo/episodes.csv")).toBe(true);
  });

  it("fills in the minimum cell size of 11 when privacy is left out", () => {
    const config = demoLikeConfig();
    delete config.privacy;
    const result = parseStudyConfig(stringify(config), "study.yaml");
    expect(result.ok && result.value.minCellSize).toBe(11);
  });

  it("names a missing key by its full path", () => {
    const [p] = problemsOf((c) => delete c.columns.sessions.session_date);
    expect(p).toMatchObject({
      code: "E_CONFIG_KEY",
      message: "is missing",
      where: { file: "study.yaml", key: "columns.sessions.session_date" },
    });
  });

  it("asks for the alliance column unless the alliance is scored from items", () => {
    const [p] = problemsOf((c) => delete c.columns.sessions.alliance);
    expect(p).toMatchObject({
      code: "E_CONFIG_VALUE",
      message: "is missing",
      where: { key: "columns.sessions.alliance" },
    });
    expect(p!.fix).toContain("alliance.items");
  });

  it("names a value of the wrong type and says which type is wanted", () => {
    const [p] = problemsOf((c) => (c.alliance.max = "forty"));
    expect(p).toMatchObject({ where: { key: "alliance.max" }, message: "must be a number" });
  });

  it("names an unknown key so a misspelling is caught", () => {
    const [p] = problemsOf((c) => (c.tiers.cutpoints = [30]));
    expect(p).toMatchObject({ where: { key: "tiers.cutpoints" }, message: "is not a known key" });
  });

  it("refuses a cutoff date that is not YYYY-MM-DD", () => {
    const [p] = problemsOf((c) => (c.cutoff_date = "31/12/2025"));
    expect(p).toMatchObject({ where: { key: "cutoff_date" }, message: "must be a date written YYYY-MM-DD" });
  });

  it("refuses a cutoff date that does not exist on the calendar", () => {
    const [p] = problemsOf((c) => (c.cutoff_date = "2025-02-29"));
    expect(p!.where?.key).toBe("cutoff_date");
  });

  it("refuses a minimum cell size that is not a whole number", () => {
    const [p] = problemsOf((c) => (c.privacy.min_cell_size = 10.5));
    expect(p).toMatchObject({ where: { key: "privacy.min_cell_size" }, message: "must be a whole number" });
  });

  it("refuses cut points that do not increase, naming the one at fault", () => {
    const [p] = problemsOf((c) => (c.tiers.cut_points = [36, 30]));
    expect(p!.where?.key).toBe("tiers.cut_points[1]");
  });

  it("refuses a label count that does not match the cut points", () => {
    const [p] = problemsOf((c) => (c.tiers.labels = ["low", "high"]));
    expect(p).toMatchObject({ where: { key: "tiers.labels" } });
    expect(p!.message).toContain("2 cut point(s) make 3 tiers");
  });

  it("refuses an instrument range whose max is not above its min", () => {
    const [p] = problemsOf((c) => (c.outcome.min = 40));
    expect(p!.where?.key).toBe("outcome.max");
  });

  it("reports YAML syntax errors with the line", () => {
    const result = parseStudyConfig("study:\n  name: [unclosed\n", "bad.yaml");
    expect(!result.ok && result.problems[0]).toMatchObject({ code: "E_CONFIG_YAML", where: { file: "bad.yaml" } });
  });

  it("says when the config file cannot be read", () => {
    const result = loadStudyConfig("/nonexistent/study.yaml");
    expect(!result.ok && result.problems[0]!.code).toBe("E_CONFIG_READ");
  });

  it("ships a demo config that names the schema for editors", () => {
    expect(readFileSync(DEMO_CONFIG, "utf8")).toContain("$schema=../../schema/study-config.schema.json");
  });
});
