/**
 * What the quarterly report template shows, worded for a board: the one-page summary in plain
 * language, the change table, the p-chart's signals, the sites, data-quality notes and methods.
 * Built from the suppressed results.json only.
 */
import { releaseCheckText } from "./research-view.ts";
import { readFileSync } from "node:fs";
import { logoType } from "../config/branding-files.ts";
import { problem } from "../messages.ts";
import { ProblemError } from "../problem.ts";
import { ciText, joinList, noLeadingZero } from "./apa.ts";
import type { QuarterlyCharts } from "./quarterly-charts.ts";
import type { Change, FigureValue, QuarterlyResults } from "../quarterly/quarterly-results.ts";

export interface QuarterlyBranding {
  footer: string | null;
  logo: string | null;
}

const isShare = (key: string) =>
  key === "lowest_tier" || key === "dropout" || key === "unrepaired" || key.startsWith("retention_");

/** A figure's value as a reader sees it: "71", "37.5%", "33.1", ".31". */
export function showValue(key: string, v: number | null): string {
  if (v === null) return "—";
  if (key === "admissions" || key === "active") return String(v);
  if (isShare(key)) return `${(100 * v).toFixed(1)}%`;
  if (key === "correlation") return noLeadingZero(v);
  return v.toFixed(1);
}

function showInterval(f: { key: string; ci_low: number | null; ci_high: number | null }): string {
  if (f.ci_low === null || f.ci_high === null) return "";
  if (f.key === "correlation") return ciText(f.ci_low, f.ci_high);
  return `[${showValue(f.key, f.ci_low)}, ${showValue(f.key, f.ci_high)}]`;
}

const STATUS_TEXT = {
  withheld: "withheld (small cell)",
  not_yet_observable: "not yet observable",
  not_estimable: "not estimable",
  shown: "",
};

function showFigure(f: FigureValue): string {
  return f.status === "shown" ? showValue(f.key, f.value) : STATUS_TEXT[f.status];
}

/** "up 4.2 points", "down 3", in the figure's own unit. */
function showDifference(c: Change): string {
  if (c.difference === null) return "";
  const d = c.difference;
  const size = isShare(c.key)
    ? `${Math.abs(100 * d).toFixed(1)} percentage points`
    : c.key === "correlation"
      ? noLeadingZero(Math.abs(d))
      : c.key === "admissions" || c.key === "active"
        ? String(Math.abs(d))
        : Math.abs(d).toFixed(1);
  return d === 0 ? "no change" : `${d > 0 ? "up" : "down"} ${size}`;
}

function changeVerdict(c: Change): string {
  if (c.difference === null) return "not compared";
  if (c.supported === null) return "no interval";
  return c.supported ? "a change the data support" : "within chance variation";
}

function changeInterval(c: Change): string {
  if (c.ci_low === null || c.ci_high === null) return "";
  const unit = isShare(c.key)
    ? (v: number) => `${(100 * v).toFixed(1)}`
    : c.key === "correlation"
      ? (v: number) => noLeadingZero(v)
      : (v: number) => v.toFixed(1);
  return `[${unit(c.ci_low)}, ${unit(c.ci_high)}]${isShare(c.key) ? " points" : ""}`;
}

const KEY_FIGURES = ["admissions", "dropout", "early_alliance", "lowest_tier", "retention_90"];

/** The current period's figures, and the change of each since the previous period. */
function periodLookup(r: QuarterlyResults) {
  const current = r.trends[r.trends.length - 1]!;
  const fig = (key: string) => current.figures.find((f) => f.key === key);
  const prevChange = (key: string) => r.changes.find((c) => c.key === key && c.against === "previous");
  const previousTitle = r.trends.length > 1 ? r.trends[r.trends.length - 2]!.title : null;

  return { current, fig, prevChange, previousTitle };
}

/** The key figures of the board's page, each with its direction since the previous period. */
function keyFiguresView(r: QuarterlyResults) {
  const { fig, prevChange, previousTitle } = periodLookup(r);
  const keyFigures = KEY_FIGURES.map((k) => fig(k))
    .filter((f): f is FigureValue => f !== undefined)
    .map((f) => {
      const c = prevChange(f.key);
      const dir = c && c.difference !== null ? showDifference(c) : "";
      return {
        label: f.label,
        value: showFigure(f),
        direction: dir ? `${dir} since ${previousTitle}` : "not compared with last period",
        verdict: c ? changeVerdict(c) : "",
        arrow: c?.supported ? (c.difference! > 0 ? "▲" : "▼") : c?.difference !== null && c !== undefined ? "→" : "",
      };
    });

  return keyFigures;
}

/** The summary's plain sentences: admissions, early alliance, dropout, the p-chart and the funnel. */
function summarySentences(r: QuarterlyResults): string[] {
  const { fig, prevChange, previousTitle } = periodLookup(r);
  const sentences: string[] = [];
  const adm = fig("admissions");
  const low = fig("lowest_tier");
  const drop = fig("dropout");
  const ea = fig("early_alliance");
  const where = r.group.value === null ? "the program" : r.group.label;
  if (adm?.status === "shown") {
    const lowPart =
      low?.status === "shown"
        ? `; of the ${low.n} with an alliance rating, ${low.numerator} (${showValue("lowest_tier", low.value)}) began in the lowest alliance tier`
        : low?.status === "withheld"
          ? "; how many began in the lowest alliance tier is withheld (small numbers)"
          : "";
    sentences.push(
      `${where[0]!.toUpperCase()}${where.slice(1)} admitted ${adm.value} clients in ${r.period.title}${lowPart}.`,
    );
  } else sentences.push(`The number of admissions in ${r.period.title} is withheld because it is small.`);
  if (ea?.status === "shown")
    sentences.push(
      `Their mean early alliance was ${showValue("early_alliance", ea.value)} (95% CI ${showInterval(ea)}).`,
    );
  if (drop?.status === "shown") {
    const c = prevChange("dropout");
    const since =
      c && c.difference !== null
        ? c.supported
          ? ` That is ${showDifference(c)} since ${previousTitle}, a change the data support.`
          : ` That is ${showDifference(c)} since ${previousTitle}, within chance variation.`
        : "";
    sentences.push(
      `Of ${drop.n} clients discharged in the period, ${drop.numerator} (${showValue("dropout", drop.value)}) dropped out.${since}`,
    );
  } else if (drop) sentences.push(`The dropout rate among this period's discharges is ${STATUS_TEXT[drop.status]}.`);
  const unrepaired = fig("unrepaired");
  if (unrepaired?.status === "shown")
    sentences.push(
      `Of ${unrepaired.n} clients in treatment whose alliance was rated at three or more sessions, ${unrepaired.numerator} (${showValue("unrepaired", unrepaired.value)}) had an alliance rupture this period that was not repaired (or not yet).`,
    );
  const signals = r.p_chart.signals;
  sentences.push(
    signals.length
      ? `The dropout p-chart shows ${signals.length === 1 ? "a special-cause signal" : `${signals.length} special-cause signals`}: ${joinList(signals.map((s) => `${s.text} (${joinList(s.periods)})`))}.`
      : "The dropout p-chart shows no special-cause signal: variation between periods is within what chance alone produces.",
  );
  const outside = r.funnel?.points.filter((p) => p.outside !== null) ?? [];
  if (r.funnel && r.funnel.target !== null) {
    sentences.push(
      outside.length
        ? `Over the last 12 months, ${joinList(outside.map((p) => `${p.group} (${showValue("dropout", p.rate)})`))} lay outside the ${joinList([...new Set(outside.map((p) => p.outside!))])} limits of the funnel plot.`
        : r.group.value === null
          ? "Over the last 12 months no site's dropout rate lay outside the funnel plot's 95% limits."
          : r.funnel.points.some((p) => p.rate !== null)
            ? `Over the last 12 months ${r.group.label}'s dropout rate lay within the funnel plot's 95% limits.`
            : `${r.group.label}'s dropout rate over the last 12 months is withheld (small numbers), so the funnel plot does not place it.`,
    );
  }

  return sentences;
}

/** The data-quality notes: exclusions, admissions without a rating, sites left out, revisions. */
function qualityNotes(r: QuarterlyResults): string[] {
  const quality: string[] = [];
  const excluded = [
    ...r.data_quality.excluded_episodes.map((e) => ({ ...e, what: "episodes" })),
    ...r.data_quality.excluded_sessions.map((e) => ({ ...e, what: "session records" })),
  ];
  for (const e of excluded)
    quality.push(
      `${e.n === null ? "Fewer than " + r.suppression.min_cell_size : e.n} ${e.what} excluded: ${e.reason}.`,
    );
  if (r.data_quality.admissions_without_rating !== null && r.data_quality.admissions_without_rating > 0)
    quality.push(
      `${r.data_quality.admissions_without_rating} of this period's admissions have no alliance rating yet.`,
    );
  for (const g of r.data_quality.groups_left_out)
    quality.push(
      `${g.group} is left out of this batch: its records have ${g.errors} validation error${g.errors === 1 ? "" : "s"} to correct.`,
    );
  if (r.revisions.length)
    quality.push(
      `${r.revisions.length} figure${r.revisions.length === 1 ? " has" : "s have"} been revised since the last published report (late data entry); see Revisions.`,
    );
  if (!quality.length) quality.push("No records were excluded.");

  return quality;
}

/** The changes' table, and the trends' table with revised cells marked. */
function changeAndTrendTables(r: QuarterlyResults) {
  const changeRows = r.changes.map((c) => ({
    label: c.label,
    against: c.against === "previous" ? "previous period" : "a year earlier",
    period: r.trends.find((t) => t.period === c.period)?.title ?? c.period,
    current: showValue(c.key, c.current),
    earlier: showValue(c.key, c.earlier),
    difference: showDifference(c) || "—",
    interval: changeInterval(c),
    verdict: changeVerdict(c),
    supported: c.supported === true,
  }));

  const trendTable = {
    periods: r.trends.map((t) => t.period),
    rows: r.cohorts.map((c) => ({
      label: c.label,
      cohort: c.cohort,
      cells: r.trends.map((t) => {
        const f = t.figures.find((x) => x.key === c.key)!;
        const revised = r.revisions.some((v) => v.period === t.period && v.key === c.key);
        return {
          text: f.status === "shown" ? showValue(f.key, f.value) : f.status === "withheld" ? "s" : "…",
          revised,
        };
      }),
    })),
  };

  return { changeRows, trendTable };
}

export function buildQuarterlyView(
  r: QuarterlyResults,
  charts: QuarterlyCharts,
  branding: QuarterlyBranding,
  generatedAt: string,
) {
  const { current } = periodLookup(r);
  const sentences = summarySentences(r);
  const keyFigures = keyFiguresView(r);
  const quality = qualityNotes(r);
  const { changeRows, trendTable } = changeAndTrendTables(r);
  const comparison = r.program_comparison?.map((p) => {
    const mine = current.figures.find((f) => f.key === p.key)!;
    return { label: p.label, site: showFigure(mine), program: showFigure(p) };
  });

  return {
    title: `${r.program}: quarterly report`,
    groupLabel:
      r.group.value === null ? "Program report" : `${r.group.by === "site" ? "Site" : r.group.by}: ${r.group.label}`,
    program: r.program,
    periodTitle: r.period.title,
    cutoffDate: r.cutoff_date,
    generatedAt,
    sentences,
    keyFigures,
    quality,
    changeRows,
    trendTable,
    comparison: comparison ?? null,
    charts,
    signals: r.p_chart.signals,
    rules: r.p_chart.rules,
    funnelPoints:
      r.funnel?.points.map((p) => ({
        group: p.group,
        discharges: p.discharges ?? "s",
        dropouts: p.dropouts ?? "s",
        rate: p.rate === null ? "—" : showValue("dropout", p.rate),
        outside: p.outside ?? "",
      })) ?? [],
    funnelWindow: r.funnel?.window ?? null,
    // A site's report shows its own point against the program's limits; the program's shows every site.
    funnelHeading: r.group.value === null ? "Sites side by side" : "This site in the program's funnel plot",
    funnelNote: r.group.value === null ? "" : " The program's report shows every site against the same limits.",
    revisions: r.revisions.map((v) => ({
      period: v.period,
      label: v.label,
      published: showValue(v.key, v.published),
      now: showValue(v.key, v.now),
    })),
    minCell: r.suppression.min_cell_size,
    withheld: r.suppression.cells_suppressed,
    footer: branding.footer,
    logo: branding.logo ? logoDataUri(branding.logo) : null,
    provenance: r.provenance,
    releaseCheck: releaseCheckText(r.provenance),
  };
}

/** The logo as a data: URI, so the page stays self-contained; its type from its bytes (checked before the run). */
function logoDataUri(path: string): string {
  const bytes = readFileSync(path);
  const type = logoType(bytes);
  if (!type.ok)
    throw new ProblemError([problem("E_LOGO", { why: type.why }, { file: path, key: "reporting.branding.logo" })]);
  return `data:${type.type};base64,${bytes.toString("base64")}`;
}

export type QuarterlyView = ReturnType<typeof buildQuarterlyView>;
