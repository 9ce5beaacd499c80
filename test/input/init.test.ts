/**
 * `alliance init` on the demo files writes a config that runs the demo unchanged: the same numbers as
 * the demo's own hand-written config (data/demo/study.yaml). Expected values: that config's results.
 */
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../pipeline/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const quiet = { out: () => {}, err: () => {} };

/** results.json without what a config only names: provenance, the study's name and the settings echo. */
function numbers(path: string) {
  const { provenance: _p, study: _s, settings: _t, ...rest } = JSON.parse(readFileSync(path, "utf8"));
  return rest;
}

describe("alliance init", () => {
  it("proposes a config for the demo files that runs the demo with the demo's own results", async () => {
    const dir = tempDir("alliance-init-");
    for (const f of ["episodes.csv", "sessions.csv"]) copyFileSync(join("data/demo", f), join(dir, f));
    const lines: string[] = [];
    expect(
      await main(["init", join(dir, "episodes.csv"), join(dir, "sessions.csv")], {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      }),
    ).toBe(0);
    const config = readFileSync(join(dir, "study.yaml"), "utf8");
    expect(config).toContain('admit_date: "AdmitDate"');
    expect(config).toContain('dropout_reasons: ["dropped out", "left against advice"]');
    expect(lines.join("\n")).toContain("TODO"); // the other rater's instrument name is left for the user
    expect(await main(["run", "--config", join(dir, "study.yaml"), "--out", join(dir, "out"), "--no-pdf"], quiet)).toBe(
      0,
    );
    expect(await main(["run", "--config", "data/demo/study.yaml", "--out", join(dir, "demo"), "--no-pdf"], quiet)).toBe(
      0,
    );
    expect(numbers(join(dir, "out", "results.json"))).toEqual(numbers(join(dir, "demo", "results.json")));
  }, 120_000);

  it("proposes scoring the alliance from item columns WAI_1 … WAI_12, and that config runs", async () => {
    const dir = tempDir("alliance-init-");
    const { writeFileSync } = await import("node:fs");
    copyFileSync(join("data/demo", "episodes.csv"), join(dir, "episodes.csv"));
    // The demo's sessions with the SRS replaced by twelve WAI items answered 1–5.
    const [header, ...rows] = readFileSync(join("data/demo", "sessions.csv"), "utf8").trimEnd().split("\n");
    const cols = header!.split(",");
    const keep = ["ClientID", "SessionDate", "ORS_Total"].map((c) => cols.indexOf(c));
    const items = Array.from({ length: 12 }, (_, k) => `WAI_${k + 1}`);
    const text =
      [
        [...keep.map((i) => cols[i]), ...items].join(","),
        ...rows.map((r, n) => {
          const cells = r.split(",");
          return [...keep.map((i) => cells[i]), ...items.map((_, k) => 1 + ((n + k * 3) % 5))].join(",");
        }),
      ].join("\n") + "\n";
    writeFileSync(join(dir, "sessions.csv"), text);
    const lines: string[] = [];
    expect(
      await main(["init", join(dir, "episodes.csv"), join(dir, "sessions.csv")], {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      }),
    ).toBe(0);
    const config = readFileSync(join(dir, "study.yaml"), "utf8");
    expect(config).toMatch(/instrument: wai-sr +# 12 WAI items, answers seen 1–5.*TODO: confirm the form/);
    expect(config).toContain('columns: "WAI_{i}"');
    expect(config).not.toMatch(/^\s+alliance: "/m);
    expect(lines.join("\n")).toContain("alliance.items.instrument");
    expect(await main(["run", "--config", join(dir, "study.yaml"), "--out", join(dir, "out"), "--no-pdf"], quiet)).toBe(
      0,
    );
    expect(readFileSync(join(dir, "out", "results.json"), "utf8")).toContain(
      "Working Alliance Inventory–Short Revised (WAI-SR)",
    );
  }, 120_000);

  it("marks what it cannot decide as TODO blanks that validate then names", async () => {
    const dir = tempDir("alliance-init-");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(dir, "visits.csv"), "Person,When,Score,Other\nP1,03/04/2025,5,x\nP1,04/05/2025,6,y\n");
    const lines: string[] = [];
    expect(
      await main(["init", join(dir, "visits.csv")], { out: (l) => lines.push(l), err: (l) => lines.push(l) }),
    ).toBe(0);
    const config = readFileSync(join(dir, "study.yaml"), "utf8");
    expect(config).toMatch(/date_format: iso +# TODO/);
    expect(config).toMatch(/site: "" # TODO/);
    expect(lines.join("\n")).toMatch(/fill in the \d+ blanks marked TODO: .*columns\.episodes\.site/);
  }, 60_000);

  it("maps a therapist column written as persons' names, and drops a column of clients' names", async () => {
    const dir = tempDir("alliance-init-");
    const { writeFileSync } = await import("node:fs");
    // The demo's episodes with its therapist codes replaced by made-up names (30 therapists), and a
    // made-up next-of-kin name per episode.
    const first = ["Ana", "Ben", "Chloé", "Dmitri", "Eve", "Farah"];
    const family = ["Okafor", "Lindqvist", "O'Neil", "Park", "Reyes"];
    const person = (k: number) => `${first[k % 6]} ${family[Math.floor(k / 6) % 5]}`;
    const [header, ...rows] = readFileSync(join("data/demo", "episodes.csv"), "utf8").trimEnd().split("\n");
    const at = header!.split(",").indexOf("Clinician");
    const text =
      [
        `${header},NextOfKin`,
        ...rows.map((r, n) => {
          const cells = r.split(",");
          cells[at] = person(Number(cells[at]!.slice(1)) - 1);
          return [...cells, person(n)].join(",");
        }),
      ].join("\n") + "\n";
    writeFileSync(join(dir, "episodes.csv"), text);
    copyFileSync(join("data/demo", "sessions.csv"), join(dir, "sessions.csv"));
    const lines: string[] = [];
    expect(
      await main(["init", join(dir, "episodes.csv"), join(dir, "sessions.csv")], {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      }),
    ).toBe(0);
    const config = readFileSync(join(dir, "study.yaml"), "utf8");
    expect(config).toContain('therapist_id: "Clinician"');
    expect(config).toContain(`drop_columns: ["NextOfKin"]   # NextOfKin: a person's name`);
    expect(await main(["run", "--config", join(dir, "study.yaml"), "--out", join(dir, "out"), "--no-pdf"], quiet)).toBe(
      0,
    );
  }, 120_000);
});
