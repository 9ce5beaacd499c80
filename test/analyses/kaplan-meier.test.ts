import { describe, expect, it } from "vitest";
import { kaplanMeier, survivalAt } from "../../analyses/kaplan-meier.ts";
import { survivalQuantile } from "../../analyses/survival-quantile.ts";
import { AML_EVENT, AML_TIME } from "./aml.ts";

// Expected values: test/reference/aml-reference.out, R survival::survfit(Surv(time, status) ~ 1, data = aml).
describe("kaplanMeier on survival::aml", () => {
  const km = kaplanMeier(AML_TIME, AML_EVENT, 0.95, "log");

  it("has one row per distinct time with the numbers at risk, events and censorings of survfit", () => {
    expect(km.steps.map((s) => s.time)).toEqual([5, 8, 9, 12, 13, 16, 18, 23, 27, 28, 30, 31, 33, 34, 43, 45, 48, 161]);
    expect(km.steps.map((s) => s.n_risk)).toEqual([23, 21, 19, 18, 17, 15, 14, 13, 11, 10, 9, 8, 7, 6, 5, 4, 2, 1]);
    expect(km.steps.map((s) => s.n_event)).toEqual([2, 2, 1, 1, 1, 0, 1, 2, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(km.steps.map((s) => s.n_censor)).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1]);
  });

  it("matches survfit's survival and Greenwood std.err at every step", () => {
    const surv = [
      0.913043478260869512, 0.826086956521739135, 0.782608695652173836, 0.739130434782608647, 0.695652173913043459,
      0.695652173913043459, 0.645962732919254656, 0.546583850931677051, 0.496894409937888193, 0.496894409937888193,
      0.441683919944789505, 0.386473429951690817, 0.331262939958592129, 0.27605244996549344, 0.220841959972394752,
      0.165631469979296064, 0.082815734989648032, 0.082815734989648032,
    ];
    const se = [
      0.064348945208778693, 0.095672974646987971, 0.109896745565964502, 0.123876020852300095, 0.137919321091842628,
      0.137919321091842628, 0.156576641377123293, 0.196219924092723735, 0.218158583837224584, 0.218158583837224584,
      0.247955755308789383, 0.281672148867961547, 0.321167749404293268, 0.369434779887806763, 0.431835682396385867,
      0.519437570766772216, 0.877391241080104245, 0.877391241080104245,
    ];
    km.steps.forEach((s, i) => {
      expect(s.surv).toBeCloseTo(surv[i]!, 14);
      expect(s.std_err).toBeCloseTo(se[i]!, 14);
    });
  });

  it("matches the log interval (survfit's default conf.type) with the upper limit capped at 1", () => {
    expect([km.steps[0]!.lower, km.steps[0]!.upper]).toEqual([expect.closeTo(0.804854797782957765, 14), 1]);
    expect(km.steps[16]!.lower).toBeCloseTo(0.014834608254847221, 14);
    expect(km.steps[16]!.upper).toBeCloseTo(0.46232740656529359, 14);
  });

  it("matches the log-log interval, conf.type = 'log-log'", () => {
    const ll = kaplanMeier(AML_TIME, AML_EVENT, 0.95, "log-log");
    expect(ll.steps[0]!.lower).toBeCloseTo(0.6949475375320587345, 14);
    expect(ll.steps[0]!.upper).toBeCloseTo(0.97751566990071348, 14);
    expect(ll.steps[16]!.lower).toBeCloseTo(0.0069559667985364575, 14);
    expect(ll.steps[16]!.upper).toBeCloseTo(0.28676036798091808, 14);
  });

  it("matches the plain interval clipped to [0, 1], conf.type = 'plain'", () => {
    const pl = kaplanMeier(AML_TIME, AML_EVENT, 0.95, "plain");
    expect(pl.steps[1]!.lower).toBeCloseTo(0.671182777937552544, 14);
    expect(pl.steps[1]!.upper).toBeCloseTo(0.98099113510592573, 14);
    expect(pl.steps[15]!.lower).toBe(0);
    expect(pl.steps[15]!.upper).toBeCloseTo(0.33425737986250081, 14);
  });

  it("gives the median and its CI of quantile(fit, 0.5) for the log interval: 27 [18, 48]", () => {
    expect(survivalQuantile(km)).toEqual({ p: 0.5, estimate: 27, lower: 18, upper: 48 });
  });

  it("gives the median and its CI for the log-log interval: 27 [13, 34]", () => {
    expect(survivalQuantile(kaplanMeier(AML_TIME, AML_EVENT))).toEqual({ p: 0.5, estimate: 27, lower: 13, upper: 34 });
  });

  it("takes the midpoint of a flat exactly at one half, as quantile.survfit does (hand-worked: 1, 2, 3, 4 all events)", () => {
    expect(survivalQuantile(kaplanMeier([1, 2, 3, 4], [true, true, true, true])).estimate).toBe(2.5);
  });

  it("reads survival at a day from the last step at or before it", () => {
    expect(survivalAt(km, 20)).toMatchObject({ surv: km.steps[6]!.surv, n_risk: 13 });
    expect(survivalAt(km, 2)).toMatchObject({ surv: 1, n_risk: 23 });
  });
});
