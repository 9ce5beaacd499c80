/**
 * The random-intercept model fitted from size classes (analyses/random-intercept-by-size.ts)
 * against lmerTest::lmer (REML, Satterthwaite df) on a simulated session-level study with a strong
 * within-client effect: test/reference/dynamics-lagged-reference.R, its sessions in
 * dynamics-lagged-sessions.csv and its output in dynamics-lagged-reference.out. To 1e-5.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { randomInterceptBySize, sizeClasses } from "../../analyses/random-intercept-by-size.ts";
import { randomInterceptModel } from "../../analyses/random-intercept-model.ts";
import { ROOT } from "../../pipeline/root.ts";
import { laggedReference } from "../helpers/lagged-reference.ts";

const ref = (name: string) => join(ROOT, "test/reference", name);

/** The pairs (t, t+1) of each client's consecutive sessions, built as the R script builds them. */
function pairs() {
  const rows = readFileSync(ref("dynamics-lagged-sessions.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(",").map((v) => (v === "" ? null : Number(v))));
  const byClient = new Map<number, (number | null)[][]>();
  for (const r of rows) byClient.set(r[0]!, [...(byClient.get(r[0]!) ?? []), r]);
  const y: number[] = [];
  const x: number[][] = [];
  const client: number[] = [];
  for (const [c, s] of byClient) {
    const rated = s.filter((r) => r[2] !== null).map((r) => r[2]!);
    const mean = rated.reduce((a, b) => a + b, 0) / rated.length;
    for (let i = 0; i + 1 < s.length; i++) {
      const [, t, a, yNow] = s[i]!;
      const yNext = s[i + 1]![3];
      if (a === null || yNow === null || yNext === null || s[i + 1]![1] !== t! + 1) continue;
      y.push(yNext!);
      x.push([1, a! - mean, mean, yNow!, t!]);
      client.push(c);
    }
  }
  return { y, x, client };
}

const NAMES = ["(Intercept)", "within", "between", "outcome", "session"];

describe("the lagged within-client model from size classes, as lmerTest::lmer", () => {
  const { y, x, client } = pairs();
  const fit = randomInterceptBySize(sizeClasses(y, x, client), NAMES);
  const { coef, other } = laggedReference("forward");

  it("has lmer's n and groups", () => {
    expect(fit.n).toBe(other.get("n"));
    expect(fit.groups).toBe(other.get("groups"));
  });

  it("matches the fixed effects, SEs and Satterthwaite df to 1e-5", () => {
    const r = NAMES.map((nm) => coef.get(nm)!);
    for (const [j, c] of fit.coefficients.entries()) {
      expect(c.estimate).toBeCloseTo(r[j]![0], 5);
      expect(c.se).toBeCloseTo(r[j]![1], 5);
      expect(Math.abs(c.df - r[j]![2]) / r[j]![2]).toBeLessThan(1e-5);
    }
  });

  it("matches the variance components to 1e-5", () => {
    expect(fit.var_group).toBeCloseTo(other.get("var_group")!, 5);
    expect(fit.var_residual).toBeCloseTo(other.get("var_residual")!, 5);
  });

  it("gives what the per-group fit gives, to the optimiser's tolerance (1e-6)", () => {
    const rows = randomInterceptModel(y, x, client, NAMES);
    for (const [j, c] of fit.coefficients.entries()) {
      expect(c.estimate).toBeCloseTo(rows.coefficients[j]!.estimate, 6);
      expect(c.se).toBeCloseTo(rows.coefficients[j]!.se, 6);
      expect(c.df).toBeCloseTo(rows.coefficients[j]!.df, 3);
    }
  });
});
