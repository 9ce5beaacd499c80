/**
 * Builds one quarterly report's results.json (the program's, or one site's) from the batch's exact
 * figures and its suppression masks: the only place the quarterly report's numbers are made
 * shareable. A figure is shown only when every count it rests on is shown; a change only when both
 * of its figures are; a p-chart point or funnel point only when its dropouts and discharges are.
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { wilson } from "../../analyses/wilson.ts";
import { isSmallCell } from "../../analyses/suppress.ts";
import { pChart } from "../../analyses/p-chart.ts";
import { RULE_TEXT, specialCauses } from "../../analyses/special-causes.ts";
import { funnelLimits } from "../../analyses/funnel-limits.ts";
import {
  correlationDifference,
  countDifference,
  meanDifference,
  proportionDifference,
  survivalDifference,
  type Difference,
} from "../../analyses/difference-intervals.ts";
import type { Study } from "../config/study.ts";
import type { Provenance } from "../results.ts";
import { PROGRAM, type FunnelColumn, type Mask, type PeriodColumn } from "./batch-suppression.ts";
import type { PeriodFigures } from "./period-figures.ts";
import type { Period } from "./periods.ts";
import {
  QUARTERLY_SCHEMA_VERSION,
  type Change,
  type Cohort,
  type FigureKey,
  type FigureValue,
  type FunnelResults,
  type PChartResults,
  type QuarterlyResults,
  type Revision,
  type TrendPeriod,
} from "./quarterly-results.ts";

export interface BatchFigures {
  study: Study;
  program: string;
  period: Period;
  /** Trend periods, oldest first; the last is `period`. */
  periods: Period[];
  /** The same period a year earlier; null when the data start after it. */
  yearEarlier: Period | null;
  cutoff: string;
  groupBy: string;
  /** Exact figures by group (PROGRAM = "") and period label. */
  figures: Map<string, Map<string, PeriodFigures>>;
  masks: Map<string, Mask<PeriodColumn>>;
  funnel: {
    window: { start: string; end: string };
    counts: Map<string, { dropouts: number; discharges: number }>;
    mask: Mask<FunnelColumn>;
  } | null;
  exclusions: { episodes: { reason: string; n: number }[]; sessions: { reason: string; n: number }[] };
  groupsLeftOut: { group: string; errors: number }[];
  provenance: Provenance;
}

const LEVEL = 0.95;

export function figureLabels(study: Study): { key: FigureKey; label: string; short: string; cohort: Cohort }[] {
  return [
    { key: "admissions", label: "Admissions", short: "Admissions", cohort: "admitted" },
    { key: "active", label: "Clients active", short: "Clients active", cohort: "active" },
    {
      key: "early_alliance",
      label: `Mean early alliance (${study.alliance.instrument})`,
      short: "Mean early alliance",
      cohort: "admitted",
    },
    {
      key: "lowest_tier",
      label: `Share in the lowest alliance tier (${study.tiers.labels[0]})`,
      short: "Lowest alliance tier (%)",
      cohort: "admitted",
    },
    { key: "dropout", label: "Dropout rate among discharges", short: "Dropout at discharge (%)", cohort: "discharged" },
    {
      key: "unrepaired",
      label: "Clients with an alliance rupture not (yet) repaired",
      short: "Unrepaired rupture (%)",
      cohort: "active",
    },
    ...study.retention.days.map((d) => ({
      key: `retention_${d}` as FigureKey,
      label: `Retained at ${d} days`,
      short: `Retained at ${d} days (%)`,
      cohort: "admitted" as Cohort,
    })),
    {
      key: "correlation",
      label: "Alliance–outcome correlation (r)",
      short: "Alliance–outcome r",
      cohort: "discharged",
    },
  ];
}

/** The shareable figures of one group in one period. */
export function shareFigures(study: Study, f: PeriodFigures, hidden: Set<PeriodColumn>): FigureValue[] {
  const min = study.minCellSize;
  const shown = (c: PeriodColumn) => !hidden.has(c);
  const c = f.counts;
  const labels = figureLabels(study);
  const base = (key: FigureKey) => {
    const l = labels.find((x) => x.key === key)!;
    return { key, label: l.label, cohort: l.cohort };
  };
  const withheld = (key: FigureKey, n: number | null = null): FigureValue => ({
    ...base(key),
    value: null,
    ci_low: null,
    ci_high: null,
    n,
    status: "withheld",
  });
  const share = (key: FigureKey, x: number, n: number, ok: boolean): FigureValue => {
    if (!ok) return { ...withheld(key), numerator: null };
    if (n === 0)
      return { ...base(key), value: null, ci_low: null, ci_high: null, n: 0, numerator: 0, status: "not_estimable" };
    const w = wilson(x, n, LEVEL);
    return { ...base(key), value: w.rate, ci_low: w.ci_low, ci_high: w.ci_high, n, numerator: x, status: "shown" };
  };
  const out: FigureValue[] = [];
  out.push(
    shown("admissions")
      ? { ...base("admissions"), value: c.admissions, ci_low: null, ci_high: null, n: c.admissions, status: "shown" }
      : withheld("admissions"),
  );
  out.push(
    shown("active")
      ? { ...base("active"), value: c.active, ci_low: null, ci_high: null, n: c.active, status: "shown" }
      : withheld("active"),
  );
  if (!shown("rated")) out.push(withheld("early_alliance"));
  else if (!f.early_alliance)
    out.push({
      ...base("early_alliance"),
      value: null,
      ci_low: null,
      ci_high: null,
      n: c.rated,
      status: "not_estimable",
    });
  else {
    const { mean, sd, n } = f.early_alliance;
    const half = tQuantile((1 + LEVEL) / 2, n - 1) * (sd / Math.sqrt(n));
    out.push({ ...base("early_alliance"), value: mean, ci_low: mean - half, ci_high: mean + half, n, status: "shown" });
  }
  out.push(share("lowest_tier", c.lowest_tier, c.rated, shown("lowest_tier") && shown("rated")));
  out.push(share("dropout", c.dropouts, c.discharges, shown("dropouts") && shown("discharges")));
  out.push(share("unrepaired", c.unrepaired, c.followed, shown("unrepaired") && shown("followed")));
  for (const r of f.retention) {
    const key = `retention_${r.day}` as FigureKey;
    if (!shown("admissions")) out.push(withheld(key));
    else if (r.n_risk === 0 || r.surv === null)
      out.push({ ...base(key), value: null, ci_low: null, ci_high: null, n: 0, status: "not_yet_observable" });
    else if (r.n_risk < min) out.push(withheld(key));
    else out.push({ ...base(key), value: r.surv, ci_low: r.ci_low, ci_high: r.ci_high, n: r.n_risk, status: "shown" });
  }
  const cor = f.correlation;
  if (!cor)
    out.push({ ...base("correlation"), value: null, ci_low: null, ci_high: null, n: null, status: "not_estimable" });
  else if (cor.n < min) out.push(withheld("correlation"));
  else
    out.push({
      ...base("correlation"),
      value: cor.r,
      ci_low: cor.ci_low,
      ci_high: cor.ci_high,
      n: cor.n,
      status: "shown",
    });
  return out;
}

/** The difference of one figure between two periods, with its interval, and how it was computed. */
function differenceOf(
  key: FigureKey,
  now: PeriodFigures,
  then: PeriodFigures,
): { d: Difference | null; method: string } {
  let d: Difference | null = null;
  let method = "";
  switch (key) {
    case "admissions":
      d = countDifference(now.counts.admissions, then.counts.admissions, LEVEL);
      method = "difference of two Poisson counts (normal approximation)";
      break;
    case "active":
    case "unrepaired":
      method = "no interval: the same clients are active in consecutive periods";
      break;
    case "early_alliance":
      d = meanDifference(now.early_alliance!, then.early_alliance!, LEVEL);
      method = "Welch's t interval";
      break;
    case "lowest_tier":
    case "dropout": {
      const [x, n] = key === "dropout" ? (["dropouts", "discharges"] as const) : (["lowest_tier", "rated"] as const);
      d = proportionDifference(now.counts[x], now.counts[n], then.counts[x], then.counts[n], LEVEL);
      method = "Newcombe's hybrid score interval";
      break;
    }
    case "correlation":
      d = correlationDifference(
        now.correlation!.r,
        now.correlation!.n,
        then.correlation!.r,
        then.correlation!.n,
        LEVEL,
      );
      method = "Zou's interval for independent correlations";
      break;
    default: {
      const day = Number(key.slice("retention_".length));
      const x = now.retention.find((r) => r.day === day)!;
      const y = then.retention.find((r) => r.day === day)!;
      d = survivalDifference({ surv: x.surv!, se: x.se! }, { surv: y.surv!, se: y.se! }, LEVEL);
      method = "difference of Kaplan–Meier estimates, Greenwood standard errors";
    }
  }
  return { d, method };
}

/** The change of each figure between two periods, when both are shown. */
function changes(
  study: Study,
  now: PeriodFigures,
  nowShown: FigureValue[],
  then: PeriodFigures,
  thenShown: FigureValue[],
  against: "previous" | "year_earlier",
): Change[] {
  return nowShown.map((a): Change => {
    const b = thenShown.find((x) => x.key === a.key)!;
    const both = a.status === "shown" && b.status === "shown";
    let d: Difference | null = null;
    let method = "";
    if (both) {
      ({ d, method } = differenceOf(a.key, now, then));
    }
    return {
      key: a.key,
      label: a.label,
      against,
      period: then.period.label,
      current: a.value,
      earlier: b.value,
      difference: both ? a.value! - b.value! : null,
      ci_low: d?.ci_low ?? null,
      ci_high: d?.ci_high ?? null,
      supported: d ? d.ci_low > 0 || d.ci_high < 0 : null,
      method: method || (both ? "" : "not compared: a figure is withheld or not available"),
    };
  });
}

/** A p-chart point whose quarter's dropout figure is withheld or has no discharges. */
function withheldPoint(r: { period: string }): PChartResults["points"][number] {
  return { period: r.period, discharges: null, dropouts: null, rate: null, lower: null, upper: null, withheld: true };
}

function pChartOf(trends: TrendPeriod[]): PChartResults {
  const rows = trends.map((t) => ({ period: t.period, f: t.figures.find((x) => x.key === "dropout")! }));
  const visible = rows.filter((r) => r.f.status === "shown" && r.f.n! > 0);
  const rules = Object.values(RULE_TEXT);
  if (!visible.length)
    return {
      center: null,
      points: rows.map(withheldPoint),
      signals: [],
      rules,
    };
  const chart = pChart(
    visible.map((r) => r.f.numerator!),
    visible.map((r) => r.f.n!),
  );
  const points = rows.map((r) => {
    const k = visible.indexOf(r);
    if (k < 0) return withheldPoint(r);
    const p = chart.points[k]!;
    return {
      period: r.period,
      discharges: p.n,
      dropouts: p.x,
      rate: p.p,
      lower: p.lower,
      upper: p.upper,
      withheld: false,
    };
  });
  const signals = specialCauses(
    points.map((p) => ({ value: p.rate, center: chart.center, lower: p.lower ?? 0, upper: p.upper ?? 1 })),
  ).map((s) => ({
    rule: s.rule,
    text: RULE_TEXT[s.rule],
    periods: s.points.map((i) => points[i]!.period),
  }));
  return { center: chart.center, points, signals, rules };
}

/** Each batch's funnel, computed once: every report of the batch reads it. */
const funnels = new WeakMap<BatchFigures, FunnelResults | null>();

/**
 * The funnel a group's report shows: the program's shows every site; a site's shows its own point
 * against the same limits (the program's report has the others), so that a batch's outputs grow
 * with the number of sites, not with its square.
 */
function funnelFor(batch: BatchFigures, min: number, group: string): FunnelResults | null {
  if (!funnels.has(batch)) funnels.set(batch, funnelOf(batch, min));
  const all = funnels.get(batch)!;
  if (!all || group === PROGRAM) return all;
  return { ...all, points: all.points.filter((p) => p.group === group) };
}

function funnelOf(batch: BatchFigures, min: number): FunnelResults | null {
  if (!batch.funnel) return null;
  const { counts, mask, window } = batch.funnel;
  const visible = (g: string) => !mask.get(g)!.has("dropouts") && !mask.get(g)!.has("discharges");
  const program = counts.get(PROGRAM)!;
  const target = visible(PROGRAM) && program.discharges > 0 ? program.dropouts / program.discharges : null;
  const groups = [...counts.keys()].filter((g) => g !== PROGRAM).sort();
  const points = groups.map((g) => {
    const c = counts.get(g)!;
    if (!visible(g) || c.discharges === 0 || target === null)
      return {
        group: g,
        discharges: visible(g) ? c.discharges : null,
        dropouts: null,
        rate: null,
        outside: null,
        withheld: !visible(g),
      };
    const rate = c.dropouts / c.discharges;
    const l998 = funnelLimits(target, c.discharges, 0.998);
    const l95 = funnelLimits(target, c.discharges, 0.95);
    const outside =
      rate < l998.lower || rate > l998.upper
        ? ("99.8%" as const)
        : rate < l95.lower || rate > l95.upper
          ? ("95%" as const)
          : null;
    return { group: g, discharges: c.discharges, dropouts: c.dropouts, rate, outside, withheld: false };
  });
  const maxN = Math.max(min, ...points.map((p) => p.discharges ?? 0));
  const limits =
    target === null || target <= 0 || target >= 1
      ? []
      : Array.from({ length: 60 }, (_, i) =>
          Math.max(1, Math.round(Math.exp(Math.log(min) + ((Math.log(maxN * 1.15) - Math.log(min)) * i) / 59))),
        )
          .filter((n, i, a) => a.indexOf(n) === i)
          .map((n) => {
            const a = funnelLimits(target, n, 0.95);
            const b = funnelLimits(target, n, 0.998);
            return { n, lower95: a.lower, upper95: a.upper, lower998: b.lower, upper998: b.upper };
          });
  return { window, target, points, limits };
}

function revisionsAgainst(previous: QuarterlyResults | null, trends: TrendPeriod[]): Revision[] {
  if (!previous) return [];
  const out: Revision[] = [];
  for (const old of previous.trends) {
    const now = trends.find((t) => t.period === old.period);
    if (!now) continue;
    for (const f of now.figures) {
      const was = old.figures.find((x) => x.key === f.key);
      if (!was) continue;
      const same =
        was.value === f.value || (was.value !== null && f.value !== null && Math.abs(was.value - f.value) < 1e-9);
      if (!same) out.push({ period: old.period, key: f.key, label: f.label, published: was.value, now: f.value });
    }
  }
  return out;
}

/** The results.json of one report of the batch: `group` is PROGRAM or a value of the grouping column. */
export function quarterlyResults(
  batch: BatchFigures,
  group: string,
  previous: QuarterlyResults | null,
): QuarterlyResults {
  const { study, period } = batch;
  const byPeriod = batch.figures.get(group)!;
  const share = (g: string, p: Period) =>
    shareFigures(study, batch.figures.get(g)!.get(p.label)!, batch.masks.get(p.label)!.get(g)!);
  const trends: TrendPeriod[] = batch.periods.map((p) => ({
    period: p.label,
    title: p.title,
    start: p.start,
    end: p.end,
    figures: share(group, p),
  }));
  const current = trends[trends.length - 1]!.figures;
  const prev = batch.periods[batch.periods.length - 2];
  const changeRows = [
    ...(prev
      ? changes(
          study,
          byPeriod.get(period.label)!,
          current,
          byPeriod.get(prev.label)!,
          trends[trends.length - 2]!.figures,
          "previous",
        )
      : []),
    ...(batch.yearEarlier
      ? changes(
          study,
          byPeriod.get(period.label)!,
          current,
          byPeriod.get(batch.yearEarlier.label)!,
          share(group, batch.yearEarlier),
          "year_earlier",
        )
      : []),
  ];
  const admissions = byPeriod.get(period.label)!.counts;
  const hidden = batch.masks.get(period.label)!.get(group)!;
  const trendWithheld = trends.flatMap((t) => t.figures).filter((f) => f.status === "withheld").length;
  const funnel = funnelFor(batch, study.minCellSize, group);
  const funnelWithheld = funnel?.points.filter((p) => p.withheld).length ?? 0;
  const showCount = (n: number) => (isSmallCell(n, study.minCellSize) ? null : n);
  return {
    schema_version: QUARTERLY_SCHEMA_VERSION,
    kind: "quarterly",
    study: { name: study.name, title: study.title },
    program: batch.program,
    group:
      group === PROGRAM
        ? { by: null, value: null, label: batch.program }
        : { by: batch.groupBy, value: group, label: group },
    period: { label: period.label, title: period.title, kind: period.kind, start: period.start, end: period.end },
    cutoff_date: batch.cutoff,
    cohorts: figureLabels(study),
    trends,
    changes: changeRows,
    p_chart: pChartOf(trends),
    funnel,
    program_comparison: group === PROGRAM ? null : share(PROGRAM, period),
    data_quality: {
      excluded_episodes: batch.exclusions.episodes.map((e) => ({ reason: e.reason, n: showCount(e.n) })),
      excluded_sessions: batch.exclusions.sessions.map((e) => ({ reason: e.reason, n: showCount(e.n) })),
      admissions_without_rating: hidden.has("admissions") ? null : admissions.admissions - admissions.rated,
      groups_left_out: batch.groupsLeftOut,
    },
    revisions: revisionsAgainst(previous, trends),
    suppression: { min_cell_size: study.minCellSize, cells_suppressed: trendWithheld + funnelWithheld },
    provenance: batch.provenance,
  };
}
