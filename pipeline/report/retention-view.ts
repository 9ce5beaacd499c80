/** The retention section of the report as formatted text, from results.json alone. */
import Handlebars from "handlebars";
import type { Results } from "../results.ts";
import { apaHtml, formatPercent, pCell } from "./apa.ts";

export interface RetentionView {
  riskDays: number[];
  riskRows: { tier: string; cells: string[] }[];
  kmRows: {
    tier: string;
    episodes: string;
    dropouts: string;
    active: string;
    completion: string;
    other: string;
    median: string;
    atDays: string[];
  }[];
  days: number[];
  retentionRows: { tier: string; cells: { eligible: string; rate: string }[] }[];
  shortFollowup: string;
  tests: { name: string; apaHtml: string }[];
  hazardRows: {
    tier: string;
    reference: string;
    hr: string;
    ci: string;
    p: string;
    robustCi: string;
    robustP: string;
  }[];
  incidenceRows: { tier: string; cause: string; cells: string[] }[];
  summaryHtml: string;
  methods: string;
}

export function buildRetentionView(r: Results, show: (n: number | null) => string): RetentionView {
  const ret = r.retention;
  const tiers = r.dropout_by_tier.map((t) => t.tier);
  const riskDays = [...new Set(ret.risk_table.map((x) => x.day))];
  const pct = (v: number | null) => (v === null ? "—" : formatPercent(v));
  const withCi = (v: number | null, lo: number | null, hi: number | null) =>
    v === null ? "—" : lo === null || hi === null ? pct(v) : `${pct(v)} [${pct(lo)}, ${pct(hi)}]`;
  const days = (v: number | null, withheld: boolean) => (v !== null ? `${v}` : withheld ? "—" : "not reached");
  const eligibleShort = ret.days.map(
    (d) =>
      `${d} days: ${ret.retention_at
        .filter((x) => x.day === d)
        .map((x) => `${Handlebars.escapeExpression(x.tier)} ${show(x.short_followup)}`)
        .join(", ")}`,
  );
  return {
    riskDays,
    riskRows: tiers.map((tier) => ({
      tier,
      cells: riskDays.map((d) => {
        const x = ret.risk_table.find((y) => y.tier === tier && y.day === d);
        return x ? show(x.n_risk) : "0";
      }),
    })),
    kmRows: ret.kaplan_meier.map((k, i) => {
      const c = ret.censoring[i]!;
      return {
        tier: k.tier,
        episodes: show(c.episodes),
        dropouts: show(c.dropouts),
        active: show(c.censored_active),
        completion: show(c.censored_completion),
        other: show(c.censored_other),
        median: k.suppressed
          ? "—"
          : `${days(k.median.estimate, k.median_withheld)} [${days(k.median.ci_low, k.median_withheld)}, ${days(k.median.ci_high, k.median_withheld)}]`,
        atDays: k.at_days.map((a) => withCi(a.surv, a.ci_low, a.ci_high)),
      };
    }),
    days: ret.days,
    retentionRows: tiers.map((tier) => ({
      tier,
      cells: ret.days.map((d) => {
        const x = ret.retention_at.find((y) => y.tier === tier && y.day === d)!;
        return { eligible: show(x.eligible), rate: withCi(x.rate, x.ci_low, x.ci_high) };
      }),
    })),
    shortFollowup: `Left out for short follow-up (admitted fewer than d days before the cutoff) — ${eligibleShort.join("; ")}.`,
    tests: retentionTests(r),
    hazardRows: ret.hazard_ratios.map((h) => ({
      tier: h.tier,
      reference: h.reference,
      hr: h.hr === null ? "—" : h.hr.toFixed(2),
      ci: h.ci_low === null || h.ci_high === null ? "—" : `[${h.ci_low.toFixed(2)}, ${h.ci_high.toFixed(2)}]`,
      p: h.p === null ? "—" : pCell(h.p),
      robustCi: h.robust ? `[${h.robust.ci_low.toFixed(2)}, ${h.robust.ci_high.toFixed(2)}]` : "—",
      robustP: h.robust ? pCell(h.robust.p) : "—",
    })),
    incidenceRows: ret.cumulative_incidence.map((c) => ({
      tier: c.tier,
      cause: { dropout: "Dropout", completion: "Completion", other: "Other discharge" }[c.cause],
      cells: c.at_days.map((a) => pct(a.incidence)),
    })),
    summaryHtml: summary(r),
    methods: methods(r),
  };
}

/** The tests across tiers, each with its APA text or the plain reason it could not be done. */
function retentionTests(r: Results): { name: string; apaHtml: string }[] {
  const ret = r.retention;
  const whyNot = (key: string) => ret.not_estimable.find((x) => x.test === key)?.reason;
  const test = (name: string, key: string, t: { apa: string } | null) => {
    if (t) return [{ name, apaHtml: apaHtml(t.apa) }];
    const reason = whyNot(key);
    return reason ? [{ name, apaHtml: `not estimable: ${Handlebars.escapeExpression(reason)}` }] : [];
  };
  return [
    ...test("Log-rank test across tiers", "logrank", ret.logrank),
    ...test("Log-rank test for trend across ordered tiers", "logrank_trend", ret.logrank_trend),
    ...(r.clustering.unit === "none"
      ? []
      : test(
          `Log-rank test allowing for clustering by ${r.clustering.unit} (robust score test)`,
          "logrank_robust",
          ret.logrank_robust,
        )),
    ...test("Cochran–Armitage trend in dropout among closed episodes", "cochran_armitage", ret.cochran_armitage),
    ...(ret.hazard_ratios.length ? [] : test("Hazard ratios of the Cox model", "hazard_ratios", null)),
    ...test(
      "Proportional hazards of the Cox model (scaled Schoenfeld residuals, global)",
      "proportional_hazards",
      ret.proportional_hazards,
    ),
  ];
}

function summary(r: Results): string {
  const ret = r.retention;
  const parts: string[] = [];
  const logrankWhyNot = ret.not_estimable.find((x) => x.test === "logrank")?.reason;
  if (ret.logrank)
    parts.push(
      `Time to dropout differed across early-alliance tiers, log-rank ${apaHtml(ret.logrank.apa)}${ret.logrank_robust ? `; allowing for clients nested in ${ret.logrank_robust.clusters} ${r.clustering.unit === "site" ? "sites" : "therapists"}, ${apaHtml(ret.logrank_robust.apa)}` : ""}.`,
    );
  else if (logrankWhyNot)
    parts.push(`Retention comparisons across tiers are not estimable: ${Handlebars.escapeExpression(logrankWhyNot)}.`);
  const hrs = ret.hazard_ratios.filter((h) => !h.suppressed);
  if (hrs.length) {
    parts.push(
      `Compared with the ${Handlebars.escapeExpression(ret.reference)} tier, the hazard of dropout was ` +
        hrs.map((h) => `${apaHtml(h.apa)} in the ${Handlebars.escapeExpression(h.tier)} tier`).join(" and ") +
        ".",
    );
  }
  return parts.join(" ");
}

function methods(r: Results): string {
  const ret = r.retention;
  const s = r.settings;
  const completion = s.completion_reasons.map((c) => `“${c}”`).join(", ");
  const noShow = ret.no_show
    ? [
        `Dropout also includes the no-show rule: an episode with no session for more than ${ret.no_show.days} days while open counts as a dropout on the day after its last session, whatever its recorded reason (${ret.no_show.dropouts === null ? "a withheld number of" : ret.no_show.dropouts} episode(s) counted this way).`,
      ]
    : [];
  return [
    ...noShow,
    `Time to dropout was counted in days from admission. Episodes discharged for a reason other than dropout (completion: ${completion}; or any other reason, such as transfer) were censored at discharge, and episodes still active at the data cutoff (${s.cutoff_date}) were censored at the cutoff; discharges after the cutoff count as active.`,
    `Moving the cutoff earlier therefore censors more episodes as active and shortens follow-up, which widens the intervals; it does not by itself bias the estimates, provided censoring is unrelated to the risk of dropout.`,
    `Survival free of dropout was estimated by Kaplan–Meier with Greenwood standard errors and ${ret.conf_type} 95% confidence intervals; median times and their CIs follow R's survival package. Tiers were compared by the log-rank test, its trend version across ordered tiers, and a Cox proportional-hazards model (Efron ties) with the ${ret.reference} tier as reference.`,
    `The proportional-hazards assumption was checked with the global test on scaled Schoenfeld residuals (Grambsch & Therneau, KM time transform); a small p means the hazard ratios change over time and are averages.`,
    `Retention at ${ret.days.join(", ")} days is the share of episodes still in treatment or discharged as completed on that day, among episodes admitted at least that many days before the cutoff (Wilson 95% CIs); the Cochran–Armitage test concerns dropout among closed episodes.`,
    `Because completion ends the risk of dropout, dropout and completion are also shown as competing outcomes (Aalen–Johansen cumulative incidence).`,
    `Curves are drawn only while at least ${r.suppression.min_cell_size} episodes remain at risk, and a median or CI limit reached only after that is shown as “—”; “not reached” means the curve or band never fell to 50%.`,
  ].join(" ");
}
