/**
 * Everything in the folder a user shares is safe to share: no client id in any file, no withheld
 * count that subtraction gives back, a release check that refuses what slips through, and working
 * files only where the user asked for them, readable by the user alone.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { main, DEMO_CONFIG } from "../../pipeline/cli.ts";
import { findBrowser } from "../../pipeline/report/find-browser.js";
import { pdfText } from "../../pipeline/privacy/release-check.ts";
import { recoverableCounts } from "../../pipeline/privacy/disclosure.ts";
import type { Results } from "../../pipeline/results.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { filesUnder } from "../property/outputs.ts";

const DEMO_DIR = fileURLToPath(new URL("../../data/demo/", import.meta.url));
const BRANDING = fileURLToPath(new URL("../../docs/examples/branding/", import.meta.url));
const pdf = findBrowser() !== null || Boolean(process.env.CI);

async function alliance(...args: string[]) {
  const lines: string[] = [];
  const code = await main(args, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
  return { code, output: lines.join("\n") };
}

/** The demo's client ids, from its episodes file (every session's client has an episode). */
const demoIds = readFileSync(join(DEMO_DIR, "episodes.csv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(",")[0]!);

/** The words of every file under a folder, PDFs by their text. */
async function wordsUnder(dir: string): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const f of filesUnder(dir)) {
    const text = f.endsWith(".pdf") ? await pdfText(readFileSync(join(dir, f))) : readFileSync(join(dir, f), "utf8");
    out.set(f, new Set(text.match(/[\p{L}\p{N}_-]+/gu) ?? []));
  }
  return out;
}

describe("the folders `alliance demo`, `alliance run` and `alliance report --by site` write", () => {
  const root = tempDir("alliance-share-");
  const folders = { demo: join(root, "demo"), run: join(root, "run"), report: join(root, "report") };
  beforeAll(async () => {
    const noPdf = pdf ? [] : ["--no-pdf"];
    expect((await alliance("demo", "--out", folders.demo, ...noPdf)).code).toBe(0);
    expect((await alliance("run", "--config", DEMO_CONFIG, "--out", folders.run, ...noPdf)).code).toBe(0);
    expect(
      (
        await alliance(
          "report",
          "--config",
          DEMO_CONFIG,
          "--period",
          "latest",
          "--by",
          "site",
          "--out",
          folders.report,
          ...noPdf,
        )
      ).code,
    ).toBe(0);
  }, 180_000);

  for (const [name, dir] of Object.entries(folders)) {
    it(`${name}: holds no file with a client id (any of the demo's ${demoIds.length}), and no working file`, async () => {
      const words = await wordsUnder(dir);
      expect(words.size).toBeGreaterThan(3);
      for (const [file, set] of words)
        expect(
          demoIds.filter((id) => set.has(id)),
          file,
        ).toEqual([]);
      expect([...words.keys()].filter((f) => /internal|derived|\.duckdb/.test(f))).toEqual([]);
    });
  }

  it("records in each report's provenance that the release check passed", () => {
    const results: Results = JSON.parse(readFileSync(join(folders.run, "results.json"), "utf8"));
    expect(results.provenance.release_check.checks).toContain("no value of the client-id column");
    expect(readFileSync(join(folders.run, "report.html"), "utf8")).toContain("Release check");
  });
});

describe("a study in which 6 of 572 analysed episodes fall in the low tier", () => {
  // The demo with the low tier's cut point moved to 24.78: the six lowest early alliances (21.6–24.77) fall below it.
  const dir = tempDir("alliance-tier6-");
  cpSync(DEMO_DIR, dir, { recursive: true });
  const config = join(dir, "study.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace("cut_points: [30, 36]", "cut_points: [24.78, 36]"));
  const out = join(dir, "out");
  let results: Results;
  beforeAll(async () => {
    expect(
      (await alliance("run", "--config", config, "--out", out, "--no-pdf", "--keep-internal", join(dir, "internal")))
        .code,
    ).toBe(0);
    results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
  }, 60_000);

  it("has six low-tier episodes, by the run's own exact working files", () => {
    const exact = JSON.parse(readFileSync(join(dir, "internal", "04-analysis.json"), "utf8"));
    expect(exact.dropout_by_tier[0]).toMatchObject({ tier: "low", episodes: 6, closed: 6 });
    expect(exact.episodes_analyzed).toBe(572);
  });

  it("withholds them, and the audit finds no withheld count in results.json that the rest determine", () => {
    expect(results.dropout_by_tier[0]).toMatchObject({ tier: "low", episodes: null, closed: null });
    expect(recoverableCounts(results)).toEqual([]);
  });

  it("gives no way to the low tier's episodes or closed by subtracting the other tiers from the totals, in results.json, the CSV or the HTML", () => {
    const tiers = results.dropout_by_tier;
    const tryEpisodes = (total: number | null, others: (number | null)[]) =>
      total === null || others.some((x) => x === null) ? null : total - others.reduce<number>((a, b) => a + b!, 0);
    // results.json: the flow's totals less the moderate and high tiers.
    expect(tryEpisodes(results.flow.episodes_analyzed, [tiers[1]!.episodes, tiers[2]!.episodes])).toBeNull();
    expect(tryEpisodes(results.flow.analysis_sets.closed, [tiers[1]!.closed, tiers[2]!.closed])).toBeNull();
    // The censoring table gives each tier's episodes as dropouts + censored: no help either.
    const c = results.retention.censoring[0]!;
    expect(
      [c.episodes, c.dropouts, c.censored_active, c.censored_completion, c.censored_other].some((x) => x === null),
    ).toBe(true);
    // The CSV tables: the flow's analysed and the tiers' episodes.
    const csv = (name: string) =>
      readFileSync(join(out, "tables", name), "utf8")
        .trim()
        .split(/\r?\n/)
        .map((l) => l.split(","));
    const flow = csv("participant_flow.csv");
    const analysed = flow.find((r) => r[1] === "analysed")![3]!;
    const byTier = csv("dropout_by_tier.csv").slice(1);
    const num = (s: string) => (s === "" ? null : Number(s));
    expect(
      tryEpisodes(
        num(analysed),
        byTier.slice(1).map((r) => num(r[1]!)),
      ),
    ).toBeNull();
    // The HTML: the dropout table's count cells.
    const html = readFileSync(join(out, "report.html"), "utf8");
    const rows = [
      ...html.matchAll(
        /<tr><td>(low|moderate|high)<\/td><td>[^<]*<\/td><td class="num count">([^<]*)<\/td><td class="num count">([^<]*)<\/td>/g,
      ),
    ].map((m) => ({ tier: m[1], episodes: m[2]!, closed: m[3]! }));
    expect(rows.map((r) => r.tier)).toEqual(["low", "moderate", "high"]);
    expect(rows[0]).toMatchObject({ episodes: "s", closed: "s" });
    const shown = (s: string) => (s === "s" ? null : Number(s.replace(/,/g, "")));
    expect(
      tryEpisodes(
        shown(/Episodes analysed<\/td><td class="num count">([^<]*)</.exec(html)![1]!),
        rows.slice(1).map((r) => shown(r.episodes)),
      ),
    ).toBeNull();
  });
});

describe("the release check", () => {
  /** The branding example with one change, for a quarterly batch. */
  function brandedStudy(change: (dir: string) => void) {
    const dir = tempDir("alliance-brand-");
    cpSync(BRANDING, dir, { recursive: true });
    for (const f of ["episodes.csv", "sessions.csv"]) cpSync(join(DEMO_DIR, f), join(dir, f));
    const config = join(dir, "study.yaml");
    writeFileSync(
      config,
      readFileSync(config, "utf8")
        .replace(/episodes: [^\n]*\n/, "episodes: episodes.csv\n")
        .replace(/sessions: [^\n]*\n/, "sessions: sessions.csv\n"),
    );
    change(dir);
    return { dir, config };
  }

  it("refuses a batch whose footer names a client, naming the file, and publishes nothing", async () => {
    const { dir, config } = brandedStudy((d) =>
      writeFileSync(
        join(d, "study.yaml"),
        readFileSync(join(d, "study.yaml"), "utf8").replace(
          /footer: "[^"]*"/,
          'footer: "Questions about client C00012: call the office"',
        ),
      ),
    );
    const out = join(dir, "out");
    const r = await alliance("report", "--config", config, "--period", "latest", "--out", out, "--no-pdf");
    expect(r.code).toBe(1);
    expect(r.output).toMatch(
      /program\/report\.html: holds a value of the client-id column, so nothing was published .*\[E_RELEASE_CLIENT_ID\]/,
    );
    expect(r.output).not.toContain("C00012");
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a batch whose own template shows a small count in a table, naming the file", async () => {
    const { dir, config } = brandedStudy((d) =>
      writeFileSync(
        join(d, "partials", "quarterly-footer.hbs"),
        '<footer class="q-footer"><table><tr><td>Clients seen by the new clinic</td><td class="num count">7</td></tr></table></footer>',
      ),
    );
    const r = await alliance("report", "--config", config, "--period", "latest", "--out", join(dir, "out"), "--no-pdf");
    expect(r.code).toBe(1);
    expect(r.output).toMatch(
      /program\/report\.html: shows a count below the minimum cell size 11 \(a table cell shows 7\).*\[E_RELEASE_SMALL_COUNT\]/,
    );
  });
});

describe("working files", () => {
  it("are written with --keep-internal to the folder named, readable by the user only, and nowhere else", async () => {
    const root = tempDir("alliance-keep-");
    const r = await alliance("demo", "--out", join(root, "out"), "--no-pdf", "--keep-internal", join(root, "work"));
    expect(r.code).toBe(0);
    expect(statSync(join(root, "work")).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(root, "work")).sort()).toEqual([
      "01-read.json",
      "02-validation.json",
      "03-derived-episodes.csv",
      "04-analysis.json",
      "05-exact-results.json",
      "README.txt",
    ]);
    expect(readdirSync(join(root, "out")).sort()).toEqual(["report.html", "results.json", "tables"]);
  });

  it("are refused inside the output folder", async () => {
    const root = tempDir("alliance-keep-");
    const r = await alliance(
      "demo",
      "--out",
      join(root, "out"),
      "--no-pdf",
      "--keep-internal",
      join(root, "out", "work"),
    );
    expect(r.code).toBe(1);
    expect(r.output).toContain("[E_INTERNAL_INSIDE_OUTPUT]");
    expect(existsSync(join(root, "out"))).toBe(false);
  });

  it("are not kept without --keep-internal: the output folder and the temporary folder hold nothing row-level after the run", async () => {
    const root = tempDir("alliance-keep-");
    const r = await alliance("demo", "--out", join(root, "out"), "--no-pdf");
    expect(r.code).toBe(0);
    expect(readdirSync(join(root, "out")).sort()).toEqual(["report.html", "results.json", "tables"]);
    expect(readdirSync(root)).toEqual(["out"]); // no staging folder beside it
  });
});
