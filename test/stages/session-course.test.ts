/**
 * Derive's session-level work in SQL (pipeline/phases/derive/session-course.ts) gives the answers of
 * the pure rules it is written from: ruptures as analyses/ruptures.ts finds them and sudden shifts
 * as analyses/sudden-gains.ts does, on generated courses (any order of sessions, missing ratings and
 * scores, ties at the threshold); and its lagged models' sums, fitted, match lmerTest on the R
 * reference study (test/reference/dynamics-lagged-reference.R) to 1e-5.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { episodeSd, findRuptures, pooledWithinSd } from "../../analyses/ruptures.ts";
import { suddenShifts } from "../../analyses/sudden-gains.ts";
import { randomInterceptBySize } from "../../analyses/random-intercept-by-size.ts";
import type { Study } from "../../pipeline/config/study.ts";
import { loadStudyConfig } from "../../pipeline/config/load-config.ts";
import { DEMO_CONFIG } from "../../pipeline/cli.ts";
import { sessionCourse } from "../../pipeline/phases/derive/session-course.ts";
import { RUPTURE_OUTCOMES } from "../../pipeline/phases/handoff.ts";
import { ROOT } from "../../pipeline/root.ts";
import { testDb } from "../helpers/test-db.ts";
import { laggedReference } from "../helpers/lagged-reference.ts";

const demo = (): Study => {
  const loaded = loadStudyConfig(DEMO_CONFIG);
  if (!loaded.ok) throw new Error("demo config");
  return loaded.value;
};

interface Course {
  /** Per session in date order: alliance and outcome (null when missing). */
  sessions: { alliance: number | null; outcome: number | null }[];
}

/** Loads courses as v_course (sessions a week apart, shuffled) and a derived-episodes table beside it. */
async function load(courses: Course[]) {
  const db = await testDb();
  await db.run(`CREATE TABLE v_course (ep INTEGER, session_date DATE, alliance DOUBLE, outcome DOUBLE)`);
  await db.run(`CREATE TABLE eps (src_row INTEGER, admit_date VARCHAR, tier VARCHAR, outcome_first DOUBLE)`);
  const rows: string[] = [];
  courses.forEach((c, e) => {
    c.sessions.forEach((s, i) => {
      const day = `DATE '2025-01-01' + INTERVAL ${7 * i} DAY`;
      rows.push(`(${e}, ${day}, ${s.alliance ?? "NULL"}, ${s.outcome ?? "NULL"})`);
    });
  });
  // Any order in the table: the rules order by date.
  rows.reverse();
  if (rows.length) await db.run(`INSERT INTO v_course VALUES ${rows.join(", ")}`);
  const first = (c: Course) => c.sessions.find((s) => s.outcome !== null)?.outcome ?? null;
  await db.run(
    `INSERT INTO eps VALUES ${courses.map((c, e) => `(${e}, '2025-01-01', '${e % 2 ? "low" : "high"}', ${first(c) ?? "NULL"})`).join(", ")}`,
  );
  return db;
}

const score = fc.option(
  fc.integer({ min: 0, max: 8 }).map((v) => v * 5),
  { nil: null, freq: 5 },
);
const courseArb = fc.record({
  sessions: fc.array(fc.record({ alliance: score, outcome: score }), { minLength: 0, maxLength: 14 }),
});

describe("ruptures in SQL are the rule of analyses/ruptures.ts", () => {
  it("on generated courses: the same sessions, drops and outcomes, at k = 1 and 2", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(courseArb, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(1, 2),
        async (courses, k) => {
          const db = await load(courses);
          const study = demo();
          study.dynamics = { ...study.dynamics, ruptureSd: k };
          const course = await sessionCourse(db, study, "eps");
          const rated = courses.map((c) => c.sessions.map((s) => s.alliance).filter((a): a is number => a !== null));
          const pooled = pooledWithinSd(rated);
          const expected =
            pooled === null
              ? []
              : rated.flatMap((a, ep) =>
                  findRuptures(a, episodeSd(a, pooled), { k, repairSessions: 3 }).map((r) => ({
                    ep,
                    at: r.at,
                    drop: r.drop,
                    outcome: r.outcome,
                  })),
                );
          const r = course.ruptures;
          const got = Array.from({ length: r.n }, (_, j) => ({
            ep: r.ep[j],
            at: r.at[j],
            drop: r.drop[j],
            outcome: RUPTURE_OUTCOMES[r.outcome[j]!],
          }));
          expect(got).toEqual(expected);
          expect(course.rated.few + course.rated.enough + course.rated.none).toBe(courses.length);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("sudden gains and losses in SQL are the rule of analyses/sudden-gains.ts", () => {
  it("on generated courses (higher is better, cut-off 7): the same shifts, magnitudes and reversals", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(courseArb, { minLength: 1, maxLength: 12 }), async (courses) => {
        const db = await load(courses);
        const study = demo();
        study.dynamics = { ...study.dynamics, suddenGainCutoff: 7 };
        const course = await sessionCourse(db, study, "eps");
        const expected = courses.flatMap((c, ep) =>
          suddenShifts(
            c.sessions.map((s) => s.outcome),
            { cutoff: 7, higherIsBetter: true },
          ).map((s) => ({ ep, kind: s.kind, at: s.at + 1, magnitude: s.magnitude, reversal: s.reversal })),
        );
        const got = course.shifts.map((s) => ({
          ep: s.ep,
          kind: s.kind,
          at: s.at,
          magnitude: s.magnitude,
          reversal: s.reversal,
        }));
        expect(got).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});

describe("the lagged models' sums in SQL, fitted, are lmerTest's", () => {
  it("forward, reverse and detrended, to 1e-5 (test/reference/dynamics-lagged-reference.out)", async () => {
    const rows = readFileSync(join(ROOT, "test/reference/dynamics-lagged-sessions.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",").map((v) => (v === "" ? null : Number(v))));
    const byClient = new Map<number, Course>();
    for (const [client, , alliance, outcome] of rows) {
      const c = byClient.get(client!) ?? { sessions: [] };
      c.sessions.push({ alliance: alliance!, outcome: outcome! });
      byClient.set(client!, c);
    }
    const db = await load([...byClient.values()]);
    const study = demo();
    study.dynamics = { ...study.dynamics, detrend: true };
    const course = await sessionCourse(db, study, "eps");
    const names = ["(Intercept)", "within", "between", "now", "session"];
    const models = {
      forward: course.lagged.forward,
      reverse: course.lagged.reverse,
      detrended: course.lagged.detrended!,
    };
    for (const [model, classes] of Object.entries(models)) {
      const fit = randomInterceptBySize(classes, names);
      const { coef, other } = laggedReference(model);
      const r = [...coef.values()];
      fit.coefficients.forEach((c, j) => {
        expect(c.estimate, `${model} ${names[j]}`).toBeCloseTo(r[j]![0], 5);
        expect(c.se, `${model} ${names[j]} se`).toBeCloseTo(r[j]![1], 5);
        expect(Math.abs(c.df - r[j]![2]) / r[j]![2], `${model} ${names[j]} df`).toBeLessThan(1e-5);
      });
      expect(fit.var_group).toBeCloseTo(other.get("var_group")!, 5);
      expect(fit.var_residual).toBeCloseTo(other.get("var_residual")!, 5);
      expect(fit.n).toBe(other.get("n"));
    }
  });
});

describe("dynamics.enabled: false", () => {
  it("skips the session-level work: results.json's dynamics is null and no dynamics table is written", async () => {
    const { runStudy } = await import("../../pipeline/drivers/run-study.ts");
    const { tempDir } = await import("../helpers/temp-dir.ts");
    const { existsSync } = await import("node:fs");
    const study = demo();
    study.dynamics = { ...study.dynamics, enabled: false };
    const outDir = tempDir("alliance-no-dynamics-");
    const run = await runStudy(study, { outDir, pdf: false });
    expect(run.ok).toBe(true);
    const results = JSON.parse(readFileSync(join(outDir, "results.json"), "utf8"));
    expect(results.dynamics).toBeNull();
    expect(existsSync(join(outDir, "tables", "dynamics_ruptures.csv"))).toBe(false);
    expect(readFileSync(join(outDir, "report.html"), "utf8")).not.toContain("Alliance over the sessions");
  }, 60_000);
});
