/**
 * The retention analyses on the demo study against R's survival package, at the demo's cutoff
 * and at a mid-study cutoff. Expected values: test/reference/survival-reference-<cutoff>.json,
 * written by test/reference/survival-reference.R (each block names its R call).
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { describe, expect, it } from "vitest";
import { loadStudyConfig } from "../../pipeline/config/load-config.ts";
import type { Study } from "../../pipeline/config/study.ts";
import { DEMO_CONFIG } from "../../pipeline/cli.ts";
import { analyzeRetention, type RetentionAnalysis } from "../../pipeline/phases/analyze/analyze-retention.ts";
import { deriveAll } from "../helpers/run-stages.ts";
import late from "../reference/survival-reference-2025-12-31.json" with { type: "json" };
import mid from "../reference/survival-reference-2025-06-30.json" with { type: "json" };

type Reference = typeof late;

function demoStudy(change: (s: Study) => Study): Study {
  const loaded = loadStudyConfig(DEMO_CONFIG);
  if (!loaded.ok) throw new Error("demo config invalid");
  return change(loaded.value);
}

async function retentionAt(cutoff: string, confType: "log-log" | "log" = "log-log"): Promise<RetentionAnalysis> {
  const study = demoStudy((s) => ({ ...s, cutoffDate: cutoff, retention: { ...s.retention, confType } }));
  return analyzeRetention(await deriveAll(study), study);
}

/** R's JSON has null where R has NA, NaN or Inf. */
const close = (got: number | null, want: number | null, digits = 10) =>
  want === null ? expect(got === null || !Number.isFinite(got)).toBe(true) : expect(got).toBeCloseTo(want, digits);

for (const ref of [late, mid] as Reference[]) {
  describe(`retention analyses with cutoff ${ref.cutoff}, against R survival`, async () => {
    const r = await retentionAt(ref.cutoff);
    const rLog = await retentionAt(ref.cutoff, "log");

    it("counts episodes, dropouts and both kinds of censoring as R does", () => {
      expect(r.tiers.reduce((a, t) => a + t.n, 0)).toBe(ref.n);
      expect(r.tiers.reduce((a, t) => a + t.dropouts, 0)).toBe(ref.events);
      expect(r.tiers.reduce((a, t) => a + t.censored_active, 0)).toBe(ref.censored_active);
      expect(r.tiers.reduce((a, t) => a + t.censored_completion + t.censored_other, 0)).toBe(
        ref.censored_other_discharge,
      );
    });

    for (const km of ref.km) {
      it(`matches every step of ${km.r_call} in the ${km.tier} tier`, () => {
        const t = r.tiers.find((x) => x.tier === km.tier)!;
        expect(t.steps.map((s) => s.time)).toEqual(km.time);
        expect(t.steps.map((s) => s.n_risk)).toEqual(km.n_risk);
        expect(t.steps.map((s) => s.n_event)).toEqual(km.n_event);
        expect(t.steps.map((s) => s.n_censor)).toEqual(km.n_censor);
        t.steps.forEach((s, i) => {
          close(s.surv, km.surv[i]!, 12);
          close(s.std_err, km.std_err[i]!, 12);
          close(s.lower, km.lower[i]!, 12);
          close(s.upper, km.upper[i]!, 12);
        });
      });

      it(`matches the log intervals (conf.type = 'log') in the ${km.tier} tier`, () => {
        const t = rLog.tiers.find((x) => x.tier === km.tier)!;
        t.steps.forEach((s, i) => {
          close(s.lower, km.lower_log[i]!, 12);
          close(s.upper, km.upper_log[i]!, 12);
        });
      });

      it(`matches the median time to dropout and its CI in the ${km.tier} tier (summary(fit)$table)`, () => {
        const m = r.tiers.find((x) => x.tier === km.tier)!.median;
        expect([m.estimate, m.lower, m.upper]).toEqual([km.median, km.median_lower, km.median_upper]);
      });

      it(`matches survival at 30, 60 and 90 days in the ${km.tier} tier (summary(fit, times = …))`, () => {
        const at = r.tiers.find((x) => x.tier === km.tier)!.at_days;
        at.forEach((a, i) => {
          close(a.surv, km.at_surv[i]!, 12);
          close(a.lower, km.at_lower[i]!, 12);
          close(a.upper, km.at_upper[i]!, 12);
          expect(a.n_risk).toBe(km.at_n_risk[i]);
        });
      });
    }

    it(`matches ${ref.logrank.r_call}`, () => {
      expect(r.logrank!.observed).toEqual(ref.logrank.observed);
      r.logrank!.expected.forEach((e, i) => close(e, ref.logrank.expected[i]!, 10));
      close(r.logrank!.chisq, ref.logrank.chisq, 10);
      expect(r.logrank!.p / ref.logrank.p).toBeCloseTo(1, 8);
    });

    it("matches the log-rank test for trend across ordered tiers (from survdiff's O, E and V)", () => {
      close(r.logrank_trend!.chisq, ref.logrank_trend.chisq, 10);
      expect(r.logrank_trend!.p / ref.logrank_trend.p).toBeCloseTo(1, 8);
    });

    it(`matches ${ref.cochran_armitage.r_call}`, () => {
      expect([r.cochran_armitage!.x, r.cochran_armitage!.n]).toEqual([ref.cochran_armitage.x, ref.cochran_armitage.n]);
      close(r.cochran_armitage!.chisq, ref.cochran_armitage.chisq, 10);
      expect(r.cochran_armitage!.p / ref.cochran_armitage.p).toBeCloseTo(1, 8);
    });

    it(`matches ${ref.cox.r_call}: hazard ratios against the low tier, SEs, CIs and p`, () => {
      const terms = r.cox!.terms;
      expect(terms.map((t) => `tier${t.tier}`)).toEqual(ref.cox.terms);
      terms.forEach((t, j) => {
        close(t.coef, ref.cox.coef[j]!, 8);
        close(t.se, ref.cox.se[j]!, 8);
        close(t.hr, ref.cox.hr[j]!, 8);
        close(t.lower, ref.cox.lower[j]!, 8);
        close(t.upper, ref.cox.upper[j]!, 8);
        expect(t.p / ref.cox.p[j]!).toBeCloseTo(1, 6);
      });
      close(r.cox!.loglik[1], ref.cox.loglik[1]!, 8);
    });

    it(`matches ${ref.cox_robust.r_call}: robust SEs grouped by therapist, and the robust log-rank`, () => {
      const g = ref.cox_robust.clusters;
      r.cox!.terms.forEach((t, j) => {
        close(t.robust!.se, ref.cox_robust.se[j]!, 8);
        // The CI: R's coef and robust se with √(G/(G − 1)) and qt(.975, G − 1) (R's own uses qnorm, which undercovers with 30 therapists).
        const s = ref.cox_robust.se[j]! * Math.sqrt(g / (g - 1));
        const q = tQuantile(0.975, g - 1);
        close(t.robust!.lower, Math.exp(ref.cox.coef[j]! - q * s), 8);
        close(t.robust!.upper, Math.exp(ref.cox.coef[j]! + q * s), 8);
        expect(t.robust!.df).toBe(g - 1);
      });
      close(r.logrank_robust!.chisq, ref.cox_robust.robust_score, 8);
      expect(r.logrank_robust!.p / ref.cox_robust.robust_score_p).toBeCloseTo(1, 6);
      expect(r.logrank_robust!.clusters).toBe(ref.cox_robust.clusters);
    });

    it(`matches ${ref.zph.r_call}: the global test of proportional hazards`, () => {
      close(r.cox!.zph!.chisq, ref.zph.chisq.at(-1)!, 8);
      expect(r.cox!.zph!.df).toBe(ref.zph.df.at(-1));
      expect(r.cox!.zph!.p / ref.zph.p.at(-1)!).toBeCloseTo(1, 6);
    });

    for (const aj of ref.aalen_johansen) {
      it(`matches the Aalen–Johansen cumulative incidence of dropout, completion and transfer in the ${aj.tier} tier`, () => {
        const inc = r.incidence.find((x) => x.tier === aj.tier)!;
        [...r.days, 120].forEach((day, i) => {
          close(valueAt(inc.times, inc.incidence.dropout, day), aj.dropout[i]!, 12);
          close(valueAt(inc.times, inc.incidence.completion, day), aj.completed[i]!, 12);
          close(valueAt(inc.times, inc.incidence.other, day), aj.transferred[i]!, 12);
        });
      });
    }
  });
}

function valueAt(times: number[], values: number[], t: number): number {
  let v = 0;
  times.forEach((x, i) => {
    if (x <= t) v = values[i]!;
  });
  return v;
}

describe("moving the data cutoff from 2025-12-31 to mid-study (2025-06-30), as the methods text describes", async () => {
  const full = await retentionAt("2025-12-31");
  const mid = await retentionAt("2025-06-30");
  const share = (r: RetentionAnalysis) =>
    r.tiers.reduce((a, t) => a + t.censored_active, 0) / r.tiers.reduce((a, t) => a + t.n, 0);

  it("says in the methods text what an earlier cutoff does", async () => {
    const { buildRetentionView } = await import("../../pipeline/report/retention-view.ts");
    const golden = (await import("../golden/demo-results.json", { with: { type: "json" } })).default;
    expect(buildRetentionView(golden as never, String).methods).toContain(
      "Moving the cutoff earlier therefore censors more episodes as active and shortens follow-up, which widens the intervals; it does not by itself bias the estimates",
    );
  });

  it("censors a larger share of episodes as still active", () => {
    expect(share(mid)).toBeGreaterThan(share(full));
  });

  it("widens every tier's interval for survival at 30, 60 and 90 days", () => {
    full.tiers.forEach((t, i) =>
      t.at_days.forEach((a, j) => {
        const m = mid.tiers[i]!.at_days[j]!;
        expect(m.upper! - m.lower!).toBeGreaterThan(a.upper! - a.lower!);
      }),
    );
  });

  it("leaves each estimate inside the full-data interval: censoring by itself does not bias it", () => {
    full.tiers.forEach((t, i) =>
      t.at_days.forEach((a, j) => {
        const m = mid.tiers[i]!.at_days[j]!.surv;
        expect(m).toBeGreaterThan(a.lower!);
        expect(m).toBeLessThan(a.upper!);
      }),
    );
  });
});

describe("retention at a fixed day (hand-worked)", () => {
  const study = demoStudy((s) => ({ ...s, cutoffDate: "2025-12-31", retention: { ...s.retention, days: [30] } }));
  const episode = (
    id: string,
    admit: string,
    days: number,
    reason: string | null,
  ): import("../../pipeline/phases/derive/derive.ts").DerivedEpisode => ({
    src_row: 0,
    site: "N",
    therapist_id: "T",
    admit_date: admit,
    discharge_date: reason ? "x" : null,
    discharge_reason: reason,
    n_sessions: 3,
    early_alliance: 32,
    early_alliance_n: 3,
    mean_alliance: 32,
    last_alliance: 32,
    outcome_first: null,
    outcome_last: null,
    outcome_n: 0,
    outcome_change: null,
    days_in_treatment: days,
    closed: reason !== null,
    dropout: reason === "dropped out",
    dropout_by: reason === "dropped out" ? "reason" : null,
    tier: "moderate",
    early_components: {},
  });
  const r = analyzeRetention(
    [
      episode("dropped at day 20", "2025-06-01", 20, "dropped out"),
      episode("transferred at day 10", "2025-06-01", 10, "transferred"),
      episode("completed at day 25", "2025-06-01", 25, "completed"),
      episode("dropped at day 45", "2025-06-01", 45, "dropped out"),
      episode("active, 100 days", "2025-09-22", 100, null),
      episode("admitted 10 days before cutoff", "2025-12-21", 10, null),
    ],
    study,
  ).retention.find((x) => x.tier === "moderate")!;

  it("counts only episodes whose 30 days were observed, and says how many were left out", () => {
    expect([r.eligible, r.short_followup]).toEqual([5, 1]);
  });

  it("counts as retained those still in treatment on day 30 or discharged as completed, not transfers or dropouts", () => {
    expect(r.retained).toBe(3);
    expect(r.proportion!.rate).toBe(3 / 5);
  });
});
