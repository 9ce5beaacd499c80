/**
 * `alliance meta` on a real published table: Molloy, O'Carroll & Ferguson (2014, Ann Behav Med
 * 47:92–101), 16 correlations of conscientiousness with medication adherence, shipped as
 * data/meta/molloy2014.csv (written from metadat::dat.molloy2014 by test/reference/meta-reference.R).
 * Expected values: the published abstract; metafor's documented example output for the dataset
 * (metafor 2.2.7 reference page); and metafor 3.8-1 to many digits (test/reference/meta-reference.out).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../pipeline/cli.ts";
import { text } from "../../pipeline/messages.ts";
import type { MetaResults } from "../../pipeline/meta/meta-results.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const out = tempDir("alliance-meta-");
const lines: string[] = [];
let code: number;
let m: MetaResults;

beforeAll(async () => {
  code = await main(["meta", "--studies", "data/meta/molloy2014.csv", "--out", out, "--by", "design", "--no-pdf"], {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
  });
  m = JSON.parse(readFileSync(join(out, "meta-results.json"), "utf8"));
}, 60_000);

describe("alliance meta reproduces Molloy et al. (2014)", () => {
  it("exits 0 and writes the report, meta-results.json and the study table", () => {
    expect(code, lines.join("\n")).toBe(0);
    for (const f of ["meta.html", "meta-results.json", "tables/studies.csv"])
      expect(existsSync(join(out, f)), f).toBe(true);
  });

  it("gives the published pooled r = 0.15, 95% CI 0.09–0.21 over k = 16 studies (abstract)", () => {
    expect(m.k).toBe(16);
    expect(m.reml.r.toFixed(2)).toBe("0.15");
    expect([m.reml.ci_low.toFixed(2), m.reml.ci_high.toFixed(2)]).toEqual(["0.09", "0.21"]);
  });

  it("gives metafor's documented τ² = 0.0081, I² = 61.73%, Q(15) = 38.1595, z estimate 0.1499 [0.0881, 0.2118]", () => {
    expect(m.reml.tau2.toFixed(4)).toBe("0.0081");
    expect(m.reml.i2.toFixed(2)).toBe("61.73");
    expect(m.reml.q.toFixed(4)).toBe("38.1595");
    expect(m.reml.q_df).toBe(15);
    expect(m.reml.z.toFixed(4)).toBe("0.1499");
  });

  it("matches rma(method = 'REML') and predict(transf = transf.ztor) to 9 digits", () => {
    expect(m.reml.r).toBeCloseTo(0.14880401769001181, 9);
    expect(m.reml.ci_low).toBeCloseTo(0.087833838895711974, 9);
    expect(m.reml.ci_high).toBeCloseTo(0.20866343931015496, 9);
    expect(m.reml.pi_low).toBeCloseTo(-0.037091911658996377, 9);
    expect(m.reml.pi_high).toBeCloseTo(0.32474571415074083, 9);
    expect(m.reml.tau2).toBeCloseTo(0.008109560824303929, 10);
  });

  it("matches rma(method = 'DL')", () => {
    expect(m.dl.r).toBeCloseTo(0.14849226644117347, 9);
    expect(m.dl.tau2).toBeCloseTo(0.0077625440549592062, 10);
    expect(m.dl.i2).toBeCloseTo(60.691324736485079, 6);
  });

  it("matches the REML weights of weights(res), in percent", () => {
    const want = [
      5.67748610502634, 10.5399630851082, 3.64308361922754, 5.61937462131119, 4.4067658999834, 4.10927763956582,
      7.13616395280886, 8.88874107099197, 3.78843226689319, 10.5829658346237, 3.69208275960719, 5.11488214321556,
      5.8731301081398, 9.97805183261637, 6.84032142131503, 4.10927763956582,
    ];
    m.studies.forEach((s, i) => expect(s.weight_reml).toBeCloseTo(want[i]!, 8));
  });

  it("matches Egger's test, regtest(model = 'lm'): t(14) = 1.3450, p = .19999872", () => {
    expect(m.egger!.t).toBeCloseTo(1.3450344270499277, 9);
    expect(m.egger!.p).toBeCloseTo(0.19999872332970159, 9);
  });

  it("pools within each design as rma(subset = design == level): cross-sectional .16518, prospective .14207", () => {
    const [cs, pr] = m.subgroups!.groups;
    expect([cs!.level, cs!.k, pr!.level, pr!.k]).toEqual(["cross-sectional", 5, "prospective", 11]);
    expect(cs!.pooled!.r).toBeCloseTo(0.16517575991628286, 8);
    expect(pr!.pooled!.r).toBeCloseTo(0.14207047948734505, 8);
    expect(pr!.pooled!.tau2).toBeCloseTo(0.011945240906315055, 9);
  });

  it("reports Σn = 3,509 over the 16 rows (the abstract gives N = 3,476; the dataset's documentation does not explain the difference)", () => {
    expect(m.total_n).toBe(3509);
  });

  it("prints the pooled result in APA style", () => {
    expect(lines[0]).toBe("pooled 16 studies: r = .15, 95% CI [.09, .21], p < .001 (REML)");
  });
});

describe("alliance meta refuses a malformed table, naming file, row and column", () => {
  const run = async (csv: string, extra: string[] = []) => {
    const dir = tempDir("alliance-meta-bad-");
    writeFileSync(join(dir, "studies.csv"), csv);
    const err: string[] = [];
    const c = await main(
      ["meta", "--studies", join(dir, "studies.csv"), "--out", join(dir, "out"), "--no-pdf", ...extra],
      { out: () => {}, err: (l) => err.push(l) },
    );
    return { c, err: err.join("\n") };
  };

  it("names a missing column", async () => {
    const { c, err } = await run("study,n\nA,50\nB,60\n");
    expect(c).toBe(1);
    expect(err).toContain(
      `studies.csv, row 1, column r: ${text("E_META_COLUMN", { column: "r", columns: ["study", "n"] })}`,
    );
  });

  it("names a correlation outside (-1, 1) and an n too small for Fisher's z", async () => {
    const { c, err } = await run("study,n,r\nA,50,0.3\nB,3,0.2\nC,40,1.2\n");
    expect(c).toBe(1);
    expect(err).toContain(`row 3, column n: ${text("E_META_N", { value: "3" })}`);
    expect(err).toContain(`row 4, column r: ${text("E_META_R", { value: "1.2" })}`);
  });

  it("refuses a --by column the table does not have", async () => {
    const { c, err } = await run("study,n,r\nA,50,0.3\nB,60,0.2\n", ["--by", "design"]);
    expect(c).toBe(1);
    expect(err).toContain(text("E_META_BY", { column: "design", moderators: [] }));
  });
});
