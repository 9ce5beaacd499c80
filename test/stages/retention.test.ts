/**
 * The retention analyses on the demo study against R's survival package, at the demo's cutoff
 * and at a mid-study cutoff. Expected values: test/reference/survival-reference-<cutoff>.json,
 * written by test/reference/survival-reference.R (each block names its R call).
 */
import { describe, expect, it } from "vitest";
import { loadStudyConfig } from "../../pipeline/config/load-config.ts";
import type { Study } from "../../pipeline/config/study.ts";
import { DEMO_CONFIG } from "../../pipeline/cli.ts";
import { analyzeRetention, type RetentionAnalysis } from "../../pipeline/stages/analyze-retention.ts";
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
const close = (got: number | null, want: number | null, digits = 10) => (want === null ? expect(got === null || !Number.isFinite(got)).toBe(true) : expect(got).toBeCloseTo(want, digits));

for (const ref of [late, mid] as Reference[]) {
  describe(`retention analyses with cutoff ${ref.cutoff}, against R survival`, async () => {
    const r = await retentionAt(ref.cutoff);
    const rLog = await retentionAt(ref.cutoff, "log");

    it("counts episodes, dropouts and both kinds of censoring as R does", () => {
      expect(r.tiers.reduce((a, t) => a + t.n, 0)).toBe(ref.n);
      expect(r.tiers.reduce((a, t) => a + t.dropouts, 0)).toBe(ref.events);
      expect(r.tiers.reduce((a, t) => a + t.censored_active, 0)).toBe(ref.censored_active);
      expect(r.tiers.reduce((a, t) => a + t.censored_completion + t.censored_other, 0)).toBe(ref.censored_other_discharge);
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

    for (const aj of ref.aalen_johansen) {
      it(`matches the Aalen–Johansen cumulative incidence of dropout, completion and transfer in the ${aj.tier} tier`, () => {
        const inc = r.incidence.find((x) => x.tier === aj.tier)!;
        const at = [...r.days, 120].map((d) => ({ day: d, ...(Object.fromEntries((["dropout", "completion", "other"] as const).map((c) => [c, valueAt(inc.times, inc.incidence[c], d)]))) }));
        at.forEach((a, i) => {
          close(a.dropout, aj.dropout[i]!, 12);
          close(a.completion, aj.completed[i]!, 12);
          close(a.other, aj.transferred[i]!, 12);
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
