/**
 * Families: a failure in the middle of a quarterly batch, paths from the config or the flags trusted,
 * the user's own work overwritten, and ambiguity resolved silently. Each is refused with its code
 * before any work, or handled as docs/failures.md says, and nothing published before is lost.
 */
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { DEMO_CONFIG } from "../../pipeline/cli.ts";
import { releaseCheck } from "../../pipeline/privacy/release-check.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { cli, codesOf, expectAsDocumented, leftovers, snapshot } from "../helpers/faults.ts";

/** A copy of the demo study (its files beside its config), with a change to the config. */
function demoCopy(
  change: (c: any) => void = () => {},
  files: Record<string, string> = {},
): { dir: string; config: string } {
  const dir = tempDir("alliance-input-");
  for (const f of ["episodes.csv", "sessions.csv"])
    writeFileSync(join(dir, f), files[f] ?? readFileSync(join("data/demo", f), "utf8"));
  const config = parse(readFileSync(DEMO_CONFIG, "utf8"));
  change(config);
  writeFileSync(join(dir, "study.yaml"), stringify(config));
  return { dir, config: join(dir, "study.yaml") };
}

const batch = (config: string, out: string, extra: string[] = []) => [
  "report",
  "--config",
  config,
  "--period",
  "latest",
  "--by",
  "site",
  "--out",
  out,
  "--no-pdf",
  ...extra,
];

describe("family: a failure in the middle of a quarterly batch", () => {
  it("--previous cannot be read, or is not a quarterly results.json", () => {
    const { dir, config } = demoCopy();
    const out = join(dir, "batch");
    expect(cli(batch(config, out)).status).toBe(0);
    const before = snapshot(out);
    writeFileSync(join(dir, "garbage.json"), "{ not json");
    for (const previous of [join(dir, "missing.json"), join(dir, "garbage.json"), join(dir, "study.yaml"), dir]) {
      const r = cli(batch(config, out, ["--previous", previous]));
      expectAsDocumented("--previous cannot be read, or is not a quarterly results.json", r);
      expect(snapshot(out)).toEqual(before);
    }
    expect(leftovers(dir)).toEqual([]);
  });

  it("a report of a quarterly batch cannot be written", () => {
    const { dir, config } = demoCopy();
    const out = join(dir, "batch");
    expect(cli(batch(config, out)).status).toBe(0);
    const before = snapshot(out);
    // A previous batch whose program report reads, but one of whose sites' does not: the batch fails
    // halfway through its reports, and nothing of it is published.
    const previous = join(dir, "previous");
    cpSync(out, previous, { recursive: true });
    const site = readdirSync(previous).find((n) => n.startsWith("site-"))!;
    writeFileSync(join(previous, site, "results.json"), "{ broken");
    const r = cli(batch(config, out, ["--previous", previous]));
    expectAsDocumented("a report of a quarterly batch cannot be written", r);
    expect(codesOf(r.stderr)).toContain("E_PREVIOUS_UNREADABLE");
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe("family: paths from the config or the flags are trusted", () => {
  it("the logo is not an image (by its bytes), or is too large", () => {
    const cases: [string, string | Buffer][] = [
      ["logo.png", readFileSync("data/demo/episodes.csv")], // a data file named as an image
      ["logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("http://x")</script></svg>'],
      ["logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/a.png"/></svg>'],
      [
        "logo.png",
        Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(600 * 1024)]),
      ],
    ];
    for (const [name, bytes] of cases) {
      const { dir, config } = demoCopy((c) => (c.reporting = { branding: { logo: name } }));
      writeFileSync(join(dir, name), bytes);
      const out = join(dir, "batch");
      const r = cli(batch(config, out));
      expectAsDocumented("the logo is not an image (by its bytes), or is too large", r);
      expect(existsSync(out)).toBe(false);
    }
    const { dir, config } = demoCopy((c) => (c.reporting = { branding: { logo: "logo.svg" } }));
    copyFileSync("docs/examples/branding/logo.svg", join(dir, "logo.svg"));
    expect(cli(batch(config, join(dir, "batch"))).status).toBe(0);
  });

  it("--keep-internal is inside the output folder (a link into it counts)", () => {
    const { dir, config } = demoCopy();
    const out = join(dir, "out");
    expect(cli(["run", "--config", config, "--out", out, "--no-pdf", "--quiet"]).status).toBe(0);
    const before = snapshot(out);
    symlinkSync(out, join(dir, "looks-outside"));
    const r = cli([
      "run",
      "--config",
      config,
      "--out",
      out,
      "--no-pdf",
      "--quiet",
      "--keep-internal",
      join(dir, "looks-outside", "work"),
    ]);
    expectAsDocumented("--keep-internal is inside the output folder (a link into it counts)", r);
    expect(snapshot(out)).toEqual(before);
  });

  it("an output embeds a client id (in a data: URI, say)", async () => {
    // A branding partial that embeds a "picture" which is really the clients' ids: the release check
    // decodes what the page embeds, so the batch is refused and the published one stays.
    const { dir: study, config } = demoCopy((c) => (c.reporting = { branding: { templates: "brand" } }));
    const out = join(study, "batch");
    mkdirSync(join(study, "brand", "partials"), { recursive: true });
    expect(cli(batch(config, out)).status).toBe(0);
    const published = snapshot(out);
    const ids = Buffer.from(
      readFileSync(join(study, "episodes.csv"), "utf8")
        .split("\n")
        .map((l) => l.split(",")[0])
        .join("\n"),
    ).toString("base64");
    writeFileSync(
      join(study, "brand", "partials", "quarterly-footer.hbs"),
      `<footer><img alt="" src="data:image/png;base64,${ids}"></footer>`,
    );
    const refusedRun = cli(batch(config, out));
    expectAsDocumented("an output embeds a client id (in a data: URI, say)", refusedRun);
    expect(snapshot(out)).toEqual(published);

    // The check itself, on a page alone.
    const dir = tempDir("alliance-input-");
    const hidden = Buffer.from("ClientID\nC00001\nC00002\n").toString("base64");
    writeFileSync(
      join(dir, "report.html"),
      `<html><body><img alt="logo" src="data:image/png;base64,${hidden}"></body></html>`,
    );
    const checked = await releaseCheck(dir, {
      kind: "quarterly",
      minCellSize: 11,
      clientIds: Object.assign(new Set(["C00001", "C00002"]), { skipped: 0 }) as never,
      allowedDates: new Set(),
    });
    expect(checked.problems.map((p) => p.code)).toEqual(["E_RELEASE_CLIENT_ID"]);
  });
});

describe("family: the user's own work is overwritten", () => {
  it("alliance init where the config exists", () => {
    const { dir, config } = demoCopy();
    const mine = readFileSync(config, "utf8") + "# completed by hand\n";
    writeFileSync(config, mine);
    const r = cli(["init", join(dir, "episodes.csv"), join(dir, "sessions.csv")]);
    expectAsDocumented("alliance init where the config exists", r);
    expect(readFileSync(config, "utf8")).toBe(mine);
    expect(existsSync(join(dir, "study.proposed.yaml"))).toBe(true);
    expect(r.stdout).toMatch(/study\.proposed\.yaml beside your .*study\.yaml, which was left as it was/);
    // A second proposal does not replace the first either.
    cli(["init", join(dir, "episodes.csv"), join(dir, "sessions.csv")]);
    expect(existsSync(join(dir, "study.proposed-2.yaml"))).toBe(true);
  });

  it("alliance init --force where the config exists", () => {
    const { dir, config } = demoCopy();
    const mine = readFileSync(config, "utf8") + "# completed by hand\n";
    writeFileSync(config, mine);
    const r = cli(["init", join(dir, "episodes.csv"), join(dir, "sessions.csv"), "--force"]);
    expectAsDocumented("alliance init --force where the config exists", r);
    expect(readFileSync(join(dir, "study.yaml.bak"), "utf8")).toBe(mine);
    expect(readFileSync(config, "utf8")).toMatch(/Proposed by `alliance init`/);
  });
});

describe("family: ambiguity is resolved silently", () => {
  it("two columns of a file have the same name", () => {
    const episodes = readFileSync("data/demo/episodes.csv", "utf8")
      .split("\n")
      .map((l, i) => (l ? `${l},${i === 0 ? "site" : "x"}` : l))
      .join("\n");
    const { dir, config } = demoCopy(() => {}, { "episodes.csv": episodes });
    const r = cli(["run", "--config", config, "--out", join(dir, "out"), "--no-pdf", "--quiet"]);
    expectAsDocumented("two columns of a file have the same name", r);
    expect(r.stderr).toContain('has two columns named "Site": column 2 (B) and column 7 (G)');
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("two sites whose names make the same folder name", () => {
    const names = ["東區", "西區", "North Side", "north-side"];
    const lines = readFileSync("data/demo/episodes.csv", "utf8").trimEnd().split("\n");
    const sites = [...new Set(lines.slice(1).map((l) => l.split(",")[1]))].sort();
    const renamed =
      [
        lines[0],
        ...lines.slice(1).map((l) =>
          l
            .split(",")
            .map((c, j) => (j === 1 ? names[sites.indexOf(c)]! : c))
            .join(","),
        ),
      ].join("\n") + "\n";
    const { dir, config } = demoCopy(() => {}, { "episodes.csv": renamed });
    const out = join(dir, "batch");
    const r = cli(batch(config, out));
    expectAsDocumented("two sites whose names make the same folder name", r);
    const folders = readdirSync(out)
      .filter((n) => n.startsWith("site-"))
      .sort();
    expect(folders).toHaveLength(4);
    expect(folders.filter((f) => f === "site-東區" || f === "site-西區")).toHaveLength(2);
    expect(folders.filter((f) => /^site-north-side-[0-9a-f]{6}$/.test(f))).toHaveLength(2);
    const index = readFileSync(join(out, "index.html"), "utf8");
    for (const f of folders) expect(index).toContain(`${f}/report.html`);
    // The same names give the same folders in every batch.
    mkdirSync(join(dir, "again"));
    expect(cli(batch(config, join(dir, "again", "batch"))).status).toBe(0);
    expect(
      readdirSync(join(dir, "again", "batch"))
        .filter((n) => n.startsWith("site-"))
        .sort(),
    ).toEqual(folders);
  });
});
