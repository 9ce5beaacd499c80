/**
 * `alliance report` end to end on the demo study: the batch of program and site reports, its
 * reproducibility, failure isolation, revisions against a published report, and branding.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadStudyConfig } from "../../pipeline/config/load-config.ts";
import { DEMO_CONFIG, main } from "../../pipeline/cli.ts";
import { runQuarterly } from "../../pipeline/drivers/quarterly.ts";
import type { QuarterlyResults } from "../../pipeline/quarterly/quarterly-results.ts";
import { findBrowser } from "../../pipeline/report/find-browser.js";
import { tempDir } from "../helpers/temp-dir.ts";
import { Ajv } from "ajv";
import quarterlySchema from "../../schema/quarterly-results.schema.json" with { type: "json" };

const demo = () => {
  const s = loadStudyConfig(DEMO_CONFIG);
  if (!s.ok) throw new Error("demo config invalid");
  return s.value;
};
const tmp = (name: string) => tempDir(`alliance-q-${name}-`);
const readResults = (dir: string, report = "program") =>
  JSON.parse(readFileSync(join(dir, report, "results.json"), "utf8")) as QuarterlyResults;
const SITES = ["site-eastgate", "site-hillcrest", "site-northside", "site-riverside"];

/** A copy of the demo data whose episodes file is changed by `edit` (CSV lines, header first). */
function demoCopy(edit: (lines: string[]) => string[]): string {
  const dir = tmp("data");
  cpSync(resolve(DEMO_CONFIG, ".."), dir, { recursive: true });
  const path = join(dir, "episodes.csv");
  writeFileSync(path, edit(readFileSync(path, "utf8").trimEnd().split("\n")).join("\n") + "\n");
  return join(dir, "study.yaml");
}

describe("alliance report --period latest --by site on the demo", () => {
  const out = tmp("batch");
  const lines: string[] = [];
  let code = -1;
  beforeAll(async () => {
    code = await main(
      [
        "report",
        "--config",
        DEMO_CONFIG,
        "--period",
        "latest",
        "--by",
        "site",
        "--out",
        out,
        ...(findBrowser() ? [] : ["--no-pdf"]),
      ],
      { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    );
  }, 120_000);

  it("exits 0 and names the period it reported: the last complete quarter before the cutoff", () => {
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^2025 Q4 \(Oct–Dec 2025\): wrote 5 report\(s\)/);
  });

  it("writes the program report and one per site, each with HTML, PDF and results.json", () => {
    for (const folder of ["program", ...SITES]) {
      for (const f of ["report.html", "results.json", ...(findBrowser() ? ["report.pdf"] : [])])
        expect(existsSync(join(out, folder, f)), `${folder}/${f}`).toBe(true);
    }
  });

  it("writes results.json files that the published quarterly schema accepts", () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(quarterlySchema);
    for (const folder of ["program", ...SITES])
      expect(validate(readResults(out, folder)), `${folder}: ${JSON.stringify(validate.errors)}`).toBe(true);
    // The schema is strict: a field it does not describe, or a missing one, is refused.
    expect(validate({ ...readResults(out), extra: 1 })).toBe(false);
    const { trends: _, ...withoutTrends } = readResults(out);
    expect(validate(withoutTrends)).toBe(false);
  });

  it("writes an index.html that links every report", () => {
    const index = readFileSync(join(out, "index.html"), "utf8");
    for (const folder of ["program", ...SITES]) expect(index).toContain(`href="${folder}/report.html"`);
  });

  it("opens every report with the board summary, then trends, the p-chart and the funnel plot", () => {
    const html = readFileSync(join(out, "program", "report.html"), "utf8");
    const order = [
      "<h2>Summary for the board",
      "<h2>Trends over the last 8 periods",
      "<h2>Dropout over time: process-control view",
      "<h2>Sites side by side",
      "(funnel plot)",
    ].map((s) => html.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("says on the board page what share of followed clients had a rupture not repaired this period", () => {
    const f = readResults(out)
      .trends.at(-1)!
      .figures.find((x) => x.key === "unrepaired")!;
    // The demo's 2025 Q4: clients in treatment with 3 or more ratings, and those with a rupture not repaired.
    expect(f.status).toBe("shown");
    expect(f.n).toBeGreaterThanOrEqual(11);
    expect(f.numerator).toBeGreaterThanOrEqual(11);
    expect(f.value).toBeCloseTo(f.numerator! / f.n!, 12);
    const html = readFileSync(join(out, "program", "report.html"), "utf8");
    expect(html).toContain(
      `Of ${f.n} clients in treatment whose alliance was rated at three or more sessions, ${f.numerator} (`,
    );
  });

  it("gives each site report the program's figures beside its own", () => {
    const r = readResults(out, "site-northside");
    expect(r.group).toEqual({ by: "site", value: "Northside", label: "Northside" });
    expect(r.program_comparison?.find((f) => f.key === "admissions")?.value).toBe(
      readResults(out)
        .trends.at(-1)!
        .figures.find((f) => f.key === "admissions")!.value,
    );
  });

  it("withholds the same program figures in every report of the batch", () => {
    const program = readResults(out)
      .trends.at(-1)!
      .figures.map((f) => [f.key, f.status]);
    for (const site of SITES)
      expect(readResults(out, site).program_comparison!.map((f) => [f.key, f.status])).toEqual(program);
  });

  it("puts no row-level value in any shareable file: no client id appears", () => {
    const ids = readFileSync(resolve(DEMO_CONFIG, "../episodes.csv"), "utf8")
      .split("\n")
      .slice(1, 50)
      .map((l) => l.split(",")[0]!)
      .filter(Boolean);
    for (const folder of ["program", ...SITES]) {
      for (const f of ["report.html", "results.json"]) {
        const text = readFileSync(join(out, folder, f), "utf8");
        for (const id of ids) expect(text.includes(id), `${id} in ${folder}/${f}`).toBe(false);
      }
    }
  });
});

describe("reruns", () => {
  it("give results.json files that differ only in the run timestamp", async () => {
    const dirs = [tmp("r1"), tmp("r2")];
    for (const [i, outDir] of dirs.entries()) {
      const run = await runQuarterly(demo(), {
        period: "2025Q4",
        by: "site",
        outDir,
        previous: null,
        pdf: false,
        now: new Date(Date.UTC(2026, 0, 10 + i)),
      });
      expect(run.ok).toBe(true);
    }
    for (const folder of ["program", ...SITES]) {
      const [a, b] = dirs.map((d) => readFileSync(join(d, folder, "results.json"), "utf8"));
      expect(a).not.toBe(b);
      const strip = (t: string) => t.replace(/"run_at": "[^"]*"/, '"run_at": ""');
      expect(strip(a!)).toBe(strip(b!));
    }
  }, 60_000);
});

describe("a site whose records are broken", () => {
  // The first Hillcrest episode gets an admission date that is not a date.
  const config = demoCopy((lines) => {
    const i = lines.findIndex((l) => l.split(",")[1] === "Hillcrest");
    const cells = lines[i]!.split(",");
    cells[3] = "2025-13-45";
    lines[i] = cells.join(",");
    return lines;
  });

  it("still gets every other site's report written, and the command exits 1 naming the broken site", async () => {
    const out = tmp("broken");
    const lines: string[] = [];
    const code = await main(
      ["report", "--config", config, "--period", "2025Q4", "--by", "site", "--out", out, "--no-pdf"],
      { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    );
    expect(code).toBe(1);
    expect(lines.join("\n")).toMatch(/the report for Hillcrest was not written: 1 problem/);
    expect(lines.join("\n")).toMatch(/episodes\.csv, row \d+, column AdmitDate/);
    for (const folder of ["program", "site-eastgate", "site-northside", "site-riverside"])
      expect(existsSync(join(out, folder, "report.html")), folder).toBe(true);
    expect(existsSync(join(out, "site-hillcrest"))).toBe(false);
    expect(readResults(out).data_quality.groups_left_out).toEqual([{ group: "Hillcrest", errors: 1 }]);
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain("Hillcrest");
  }, 60_000);
});

describe("revisions against the published report", () => {
  it("marks the figures that late data entry changed, with the published and the new value", async () => {
    // Published 2025Q3 report: three 2025Q3 admissions were not yet entered.
    let dropped = 0;
    const late = demoCopy((lines) =>
      lines.filter((l, i) => i === 0 || !(l.split(",")[3]!.startsWith("2025-08") && dropped++ < 3)),
    );
    const lateStudy = loadStudyConfig(late);
    if (!lateStudy.ok) throw new Error("config");
    const published = tmp("published");
    expect(
      (
        await runQuarterly(lateStudy.value, {
          period: "2025Q3",
          by: null,
          outDir: published,
          previous: null,
          pdf: false,
        })
      ).ok,
    ).toBe(true);
    const out = tmp("revised");
    expect(
      (
        await runQuarterly(demo(), {
          period: "2025Q4",
          by: null,
          outDir: out,
          previous: join(published, "program", "results.json"),
          pdf: false,
        })
      ).ok,
    ).toBe(true);
    const revisions = readResults(out).revisions;
    const admissions = revisions.find((r) => r.period === "2025Q3" && r.key === "admissions")!;
    expect(admissions.now! - admissions.published!).toBe(3);
    expect(revisions.every((r) => r.period !== "2025Q4")).toBe(true);
    expect(readFileSync(join(out, "program", "report.html"), "utf8")).toContain("<h3>Revisions</h3>");
  }, 60_000);
});

describe("branding", () => {
  it("renders the example's logo, colours and footer from its override folder, leaving the default templates alone", async () => {
    const study = loadStudyConfig("docs/examples/branding/study.yaml");
    if (!study.ok) throw new Error(JSON.stringify(study.problems));
    const out = tmp("brand");
    expect(
      (await runQuarterly(study.value, { period: "latest", by: null, outDir: out, previous: null, pdf: false })).ok,
    ).toBe(true);
    const html = readFileSync(join(out, "program", "report.html"), "utf8");
    expect(html).toContain('<img class="logo" src="data:image/svg+xml;base64,');
    expect(html).toContain("--accent: #7a1f5c");
    expect(html).toContain("Riverbend Recovery Services · Quality &amp; Evaluation");
    expect(html).toContain("<h1>Riverbend Recovery Services</h1>");
    expect(readResults(out).period.label).toBe("FY2026Q2");
    expect(readdirSync("templates/partials")).not.toContain("brand.css");
    expect(readFileSync("templates/partials/quarterly-footer.hbs", "utf8")).not.toContain("Riverbend");
  }, 60_000);
});

describe("a period near the start of the data", () => {
  it("shows no trend periods before the first admission, and no change against a year with no data", async () => {
    const out = tmp("early");
    expect(
      (await runQuarterly(demo(), { period: "2024Q2", by: null, outDir: out, previous: null, pdf: false })).ok,
    ).toBe(true);
    const r = readResults(out);
    expect(r.trends.map((t) => t.period)).toEqual(["2024Q1", "2024Q2"]);
    expect(r.changes.some((c) => c.against === "year_earlier")).toBe(false);
  }, 60_000);
});
