/**
 * Everything the report templates print, as formatted text, computed from results.json
 * alone: the report can show nothing that results.json does not hold.
 */
import Handlebars from "handlebars";
import type { Results } from "../results.ts";
import { apaHtml, ciText, formatP, joinList, formatPercent, noLeadingZero, pCell } from "./apa.ts";
import { buildRetentionView, type RetentionView } from "./retention-view.ts";
import { buildTherapistView, type TherapistView } from "./therapist-view.ts";
import { buildPredictorsView } from "./predictors-view.ts";
import { buildDynamicsView, dynamicsMethods, type DynamicsView } from "./dynamics-view.ts";
import {
  buildClusteringView,
  clusteredCi,
  clusterRow,
  hasClusterIntervals,
  unitPlural,
  type ClusteringView,
} from "./clustering-view.ts";

/**
 * How a withheld count is printed. Not "<11": a count is also withheld when it would let a small one be
 * worked out by subtraction, and saying which kind it is would say too much.
 */
const suppressedText = (_r: Results) => "s";

/** What the release check verified, for the provenance table (docs/privacy.md). */
export function releaseCheckText(p: Results["provenance"]): string {
  const caveat = p.release_check.plain_number_ids_not_checked
    ? " Client ids written as plain numbers of five digits or fewer cannot be told apart from counts and were not looked for."
    : "";
  return `passed before publication: ${p.release_check.checks.join("; ")} (docs/privacy.md).${caveat}`;
}

/** A count as text: with thousands separators, or "(withheld)" in running text. */
const countText = (r: Results, n: number | null) => (n === null ? "(withheld)" : n.toLocaleString("en-US"));

export interface ReportView {
  title: string;
  generatedAt: string;
  cutoffDate: string;
  methods: string;
  /** HTML: statistics in APA italics; every text from the config is escaped. */
  resultsHtml: string;
  flow: { label: string; n: string; indent: boolean }[];
  sessionFlow: { label: string; n: string; indent: boolean }[];
  correlations: {
    y: string;
    method: string;
    n: string;
    estimate: string;
    ci: string;
    clusteredCi: string;
    p: string;
    pHolm: string;
    apaHtml: string;
  }[];
  /** "therapists" or "sites": what the cluster-aware intervals allow for. */
  clusteringUnit: string;
  /** Whether the tables carry cluster-aware columns (not for inference.cluster: none, or too few clusters). */
  clustered: boolean;
  clustering: ClusteringView;
  powerText: string;
  sites: {
    rows: { site: string; n: string; r: string; ci: string }[];
    pooled: { method: string; r: string; ci: string; pi: string; tau2: string; i2: string; q: string }[];
    text: string;
  };
  dropout: {
    tier: string;
    range: string;
    episodes: string;
    closed: string;
    dropouts: string;
    rate: string;
    ci: string;
    clusteredCi: string;
  }[];
  suppressionNote: string;
  provenance: { label: string; value: string }[];
  charts: ReportCharts;
  scatterCaption: string;
  retention: RetentionView;
  therapists: TherapistView;
  benchmarks: { text: string; references: { reference: string; checked: string }[] };
  predictors: ReturnType<typeof buildPredictorsView>;
  /** The alliance over the sessions; null when the run did not look at it. */
  dynamics: DynamicsView | null;
}

/** The report's charts as SVG markup. */
export interface ReportCharts {
  scatter: string;
  dropout: string;
  km: string;
  incidence: string;
  forest: string;
  benchmarks: string;
  /** The alliance over the sessions ("" without it): by session, ruptures, around shifts, within/between. */
  allianceCourse: string;
  ruptures: string;
  shiftCourse: string;
  within: string;
}

export function buildReportView(r: Results, charts: ReportCharts): ReportView {
  const show = (n: number | null) => (n === null ? suppressedText(r) : n.toLocaleString("en-US"));
  return {
    title: r.study.title,
    generatedAt: r.provenance.run_at,
    cutoffDate: r.settings.cutoff_date,
    methods: methodsText(r),
    resultsHtml: resultsHtml(r),
    ...flowView(r, show),
    correlations: correlationRows(r, show),
    clusteringUnit: unitPlural(r.clustering.unit),
    clustered: hasClusterIntervals(r),
    clustering: buildClusteringView(r, show),
    powerText: powerText(r),
    sites: sitesView(r, show),
    dropout: dropoutRows(r, show),
    suppressionNote:
      `“${suppressedText(r)}” marks a withheld count: one from 1 to ${r.suppression.min_cell_size - 1} (minimum cell size ${r.suppression.min_cell_size}), or one withheld as well so that no small count can be worked out by subtraction, within a table or across tables that share a total; rates and curves built on a withheld count are shown as “—”. ` +
      `${r.suppression.cells_suppressed} count(s) in this report are withheld. The report holds no row-level data.`,
    provenance: provenanceRows(r),
    charts,
    retention: buildRetentionView(r, show),
    therapists: buildTherapistView(r, show),
    benchmarks: benchmarksView(r),
    predictors: buildPredictorsView(r, show),
    dynamics: buildDynamicsView(r, show),
    scatterCaption:
      `Points are means of ${r.binned_scatter.length} equal-size groups of episodes ordered by early alliance (each of at least ${r.suppression.min_cell_size} episodes), ` +
      `so that no single client's scores are shown; bars are 95% CIs of each group's mean. The line is the least-squares fit on every episode with both scores.`,
  };
}

type Show = (n: number | null) => string;

/** The participant flow: episodes and session records, each exclusion by reason. */
function flowView(r: Results, show: Show) {
  const excludedEpisodes = r.flow.excluded.map((e) => ({ label: `Excluded: ${e.reason}`, n: show(e.n), indent: true }));
  const excludedSessions = r.flow.sessions.excluded.map((e) => ({
    label: `Excluded: ${e.reason}`,
    n: show(e.n),
    indent: true,
  }));
  return {
    flow: [
      { label: "Episodes in the episodes file", n: show(r.flow.episodes_ingested), indent: false },
      ...excludedEpisodes,
      { label: "Episodes analysed", n: show(r.flow.episodes_analyzed), indent: false },
      {
        label: "with outcome change (≥ 2 outcome ratings)",
        n: show(r.flow.analysis_sets.with_outcome_change),
        indent: true,
      },
      { label: "closed by the cutoff (dropout denominator)", n: show(r.flow.analysis_sets.closed), indent: true },
      { label: "still active at the cutoff", n: show(r.flow.analysis_sets.active_at_cutoff), indent: true },
    ],
    sessionFlow: [
      { label: "Session records in the sessions file", n: show(r.flow.sessions.ingested), indent: false },
      ...excludedSessions,
      { label: "Session records used", n: show(r.flow.sessions.used), indent: false },
    ],
  };
}

/** The correlations table: each with its CI, cluster-aware CI, p-values and APA text. */
function correlationRows(r: Results, show: Show) {
  return [...r.correlations, r.partial_correlation].map((c) => ({
    y:
      c.y === "outcome_change"
        ? "Outcome change"
        : c.method === "partial"
          ? "Last outcome, first held constant"
          : "Last outcome score",
    method: { pearson: "Pearson r", spearman: "Spearman ρ", partial: "Partial r" }[c.method],
    n: show(c.n),
    estimate: c.estimate === null ? "—" : noLeadingZero(c.estimate),
    ci: ciText(c.ci_low, c.ci_high),
    clusteredCi: clusteredCi(
      clusterRow(r, c.method === "partial" ? "partial" : "primary", "early_alliance", c.y, c.method),
    ),
    p: c.p === null ? "—" : pCell(c.p),
    pHolm: c.p_holm === null ? "—" : pCell(c.p_holm),
    apaHtml: apaHtml(c.apa),
  }));
}

/** Dropout by tier: each tier's range, counts, rate and CIs. */
function dropoutRows(r: Results, show: Show) {
  return r.dropout_by_tier.map((t, i) => {
    const tier = r.settings.tiers[i]!;
    return {
      tier: t.tier,
      range:
        tier.from === null && tier.below === null
          ? "from the data"
          : tier.from === null
            ? `< ${round2(tier.below!)}`
            : tier.below === null
              ? `≥ ${round2(tier.from)}`
              : `${round2(tier.from)} to < ${round2(tier.below)}`,
      episodes: show(t.episodes),
      closed: show(t.closed),
      dropouts: show(t.dropouts),
      rate: t.rate === null ? "—" : formatPercent(t.rate),
      ci: t.ci_low === null || t.ci_high === null ? "—" : `[${formatPercent(t.ci_low)}, ${formatPercent(t.ci_high)}]`,
      clusteredCi: ((k) =>
        k && k.ci_low !== null && k.ci_high !== null
          ? `[${formatPercent(k.ci_low)}, ${formatPercent(k.ci_high)}]`
          : "—")(r.clustering.dropout_by_tier.find((k) => k.tier === t.tier)),
    };
  });
}

/** The provenance table: tool, run time, inputs' and config's SHA-256, schema, release check. */
function provenanceRows(r: Results) {
  return [
    {
      label: "Tool",
      value: `${r.provenance.package} ${r.provenance.package_version} (Node ${r.provenance.node_version}, DuckDB ${r.provenance.duckdb_version})`,
    },
    { label: "Run at", value: r.provenance.run_at },
    ...r.provenance.inputs.map((f) => ({ label: `Input: ${f.file}`, value: `SHA-256 ${f.sha256}` })),
    { label: `Config: ${r.provenance.config.file}`, value: `SHA-256 ${r.provenance.config.sha256}` },
    { label: "Results schema", value: r.schema_version },
    { label: "Release check", value: releaseCheckText(r.provenance) },
  ];
}

/** The primary benchmark and whether its r lies inside this study's 95% CI; null without an estimate. */
function benchmarkPlacement(r: Results) {
  const study = r.benchmarks.this_study;
  const benchmark = r.benchmarks.published[0];
  if (!study || !benchmark) return null;
  return { study, benchmark, inside: study.ci_low <= benchmark.r && benchmark.r <= study.ci_high };
}

function benchmarksView(r: Results): ReportView["benchmarks"] {
  const at = benchmarkPlacement(r);
  const text = !at
    ? "This study's correlation is not shown (suppressed or not estimable)."
    : `This study's correlation of early alliance with outcome change, r = ${noLeadingZero(at.study.r)} ${ciText(at.study.ci_low, at.study.ci_high)}, ` +
      (at.inside
        ? `is consistent with the meta-analytic benchmark of ${at.benchmark.short}, r = ${noLeadingZero(at.benchmark.r, 3)}: the benchmark lies inside this study's 95% CI.`
        : `${at.study.ci_high < at.benchmark.r ? "is below" : "is above"} the meta-analytic benchmark of ${at.benchmark.short}, r = ${noLeadingZero(at.benchmark.r, 3)}, which lies outside this study's 95% CI.`);
  return {
    text: `${text} Benchmarks pool many studies with different alliance measures, raters, times and outcomes, so they are a yardstick, not a prediction for one program.`,
    references: r.benchmarks.published.map((p) => ({ reference: p.reference, checked: p.checked })),
  };
}

function sitesView(r: Results, show: (n: number | null) => string): ReportView["sites"] {
  const pooled = [r.sites.reml, r.sites.dl].filter((p): p is NonNullable<typeof p> => p !== null);
  const reml = r.sites.reml;
  return {
    rows: r.sites.per_site.map((s) => ({
      site: s.site,
      n: show(s.n),
      r: s.r === null ? "—" : noLeadingZero(s.r),
      ci: ciText(s.ci_low, s.ci_high),
    })),
    pooled: pooled.map((p) => ({
      method: p.method === "REML" ? "REML" : "DerSimonian–Laird",
      r: noLeadingZero(p.r),
      ci: ciText(p.ci_low, p.ci_high),
      pi: ciText(p.pi_low, p.pi_high),
      tau2: p.tau2.toFixed(4),
      i2: `${p.i2.toFixed(1)}%`,
      q: `Q(${p.q_df}) = ${p.q.toFixed(2)}, ${formatP(p.q_p)}`,
    })),
    text: reml
      ? `Across ${reml.k} sites the pooled correlation (random effects, REML, on Fisher z) was r = ${noLeadingZero(reml.r)}, 95% CI ${ciText(reml.ci_low, reml.ci_high)}, with a 95% prediction interval for a new site of ${ciText(reml.pi_low, reml.pi_high)}; τ² = ${reml.tau2.toFixed(4)}, I² = ${reml.i2.toFixed(1)}%. Sites whose count is withheld are pooled but not shown.`
      : "Fewer than two sites had enough episodes to pool.",
  };
}

/** The power and bootstrap paragraph of the results section. */
export function powerText(r: Results): string {
  const pw = r.power;
  const smallest =
    pw.smallest_detectable_r === null || pw.n === null
      ? ""
      : `With ${pw.n} episodes, the correlation of early alliance with outcome change can detect |r| ≥ ${noLeadingZero(pw.smallest_detectable_r)} with ${Math.round(pw.power * 100)}% power (two-sided α = ${noLeadingZero(pw.alpha)}). `;
  const bs = r.bootstrap;
  const boot = bs
    ? `Bootstrap 95% CIs for the correlation with outcome change (B = ${bs.b.toLocaleString("en-US")} resamples of pairs, seed ${bs.seed}): percentile ${ciText(bs.percentile.ci_low, bs.percentile.ci_high)}, BCa ${ciText(bs.bca.ci_low, bs.bca.ci_high)}. `
    : pw.n !== null && pw.n > r.bootstrap_max_n
      ? `The correlation with outcome change rests on more than ${r.bootstrap_max_n.toLocaleString("en-US")} episodes, the most the config bootstraps (bootstrap.max_n), so its Fisher-z CI stands without a bootstrap interval. `
      : "";
  return `${boot}${smallest}Detecting the meta-analytic benchmark r = ${noLeadingZero(pw.benchmark.r, 3)} (${pw.benchmark.short}) with the same power needs ${pw.pairs_needed_for_benchmark} episodes. Holm-adjusted p-values are across the five correlations in the table.`;
}

/** Cut points as the reader needs them: at most two decimals (computed quantiles rarely fall on whole scores). */
const round2 = (v: number) => String(Math.round(v * 100) / 100);

const SCORE_NAMES = {
  early_alliance: "early alliance",
  mean_alliance: "mean alliance over all sessions",
  last_alliance: "last alliance rating",
} as const;

function tierRuleText(r: Results): string {
  const s = r.settings;
  const rule = s.tier_rule;
  const labels = s.tiers.map((t) => t.label);
  if (rule.method === "column")
    return `Episodes were grouped into the tiers recorded in the data (column “${rule.column}”: ${labels.join(", ")}).`;
  const cuts = s.tiers.slice(1).map((t) => t.from!);
  const ranges = labels.map((label, i) => (i < cuts.length ? `${label} < ${round2(cuts[i]!)} ≤ ` : label)).join("");
  const how =
    rule.method === "quantiles"
      ? `at the sample ${rule.quantiles}-quantiles of ${SCORE_NAMES[rule.by]} (R's type 7)`
      : `by ${SCORE_NAMES[rule.by]}`;
  return `Episodes were grouped into tiers ${how} (${ranges}).`;
}

function listText(items: string[]): string {
  const quoted = items.map((i) => `“${i}”`);
  return joinList(quoted, "or");
}

function methodsText(r: Results): string {
  const s = r.settings;
  const direction = s.outcome.higher_is_better
    ? "last minus first"
    : "first minus last (lower scores are better, so the sign is reversed)";
  return [
    `Data were the ${countText(r, r.flow.episodes_ingested)} treatment episodes and ${countText(r, r.flow.sessions.ingested)} session records of the study export, with a data cutoff of ${s.cutoff_date}.`,
    `Records were checked against the tool's documented validation rules; every record left out is counted by reason in the participant-flow tables.`,
    `Early alliance was the mean of the first ${s.early_alliance_window} non-missing ${s.alliance.instrument} ratings of each episode, sessions ordered by date (fewer when fewer existed); episodes with no rating were not analysed.`,
    `Outcome change was the ${direction} ${s.outcome.measure} score, so that positive values mean improvement, and required at least two ratings.`,
    `Pearson's r (t test; ${Math.round(s.confidence_level * 100)}% CI by Fisher's z transformation) and Spearman's ρ (t approximation) were computed on pairwise-complete episodes, and the partial correlation of early alliance with the last outcome controlling for the first outcome (t test on n − 3 df; Fisher-z CI) on complete cases; p-values were also Holm-adjusted across these five correlations.`,
    r.bootstrap
      ? `Bootstrap CIs resampled episode pairs ${r.bootstrap.b.toLocaleString("en-US")} times from seed ${r.bootstrap.seed} (percentile and BCa intervals as R's boot.ci).`
      : "",
    `Secondary analyses correlated early alliance${r.predictors.components.some((c) => c.kind === "rater") ? ` (rated by the ${r.predictors.alliance_rater})` : ""}, the mean of all alliance ratings and the last rating${componentPhrase(r)} with outcome change, the last outcome and residualized change (the residual of the last outcome regressed on the first by least squares), with Holm adjustment across those ${r.predictors.correlations.length} and the same bootstrap for rows on at most ${r.predictors.bootstrap_max_n.toLocaleString("en-US")} episodes.`,
    r.predictors.reliable_change
      ? `Reliable change followed Jacobson and Truax (1991), with reliability ${noLeadingZero(r.predictors.reliable_change.reliability)} and the SD of first outcome scores${r.predictors.reliable_change.clinical_cutoff !== null ? `, and a clinical cutoff of ${r.predictors.reliable_change.clinical_cutoff}` : ""}.`
      : "",
    `Site correlations were pooled on Fisher's z by random-effects meta-analysis (REML, with DerSimonian–Laird for comparison).`,
    `Power was computed by the arctanh approximation (as R's pwr.r.test).`,
    `Therapist nesting was described by intraclass correlations from intercept-only linear mixed models with a random intercept per therapist (REML), and modelled after Baldwin, Wampold and Imel (2007): the last outcome score regressed on early alliance centred on the therapist's mean (within), the therapist's mean early alliance (between) and the first outcome score, with a random therapist intercept, fitted by REML on episodes with a change score; therapist means were taken over those episodes; t tests use Satterthwaite degrees of freedom (as lme4 with lmerTest).`,
    clusteringMethods(r),
    tierRuleText(r),
    dynamicsMethods(r),
    `A tier's dropout rate is the number of episodes discharged as ${listText(s.dropout_reasons)} divided by the episodes discharged on or before the cutoff, with Wilson score ${Math.round(s.confidence_level * 100)}% CIs; episodes still active at the cutoff are left out of the denominator, which can bias the rate when many are still in treatment.`,
  ]
    .filter(Boolean)
    .join(" ");
}

/** What was done about clients nested in therapists (or sites), and why. */
function clusteringMethods(r: Results): string {
  const c = r.clustering;
  if (c.unit === "none")
    return "Episodes were treated as independent (config inference.cluster: none), so no interval allows for clients sharing a therapist.";
  if (c.reason) return `Intervals could not allow for clustering by ${c.unit}: ${c.reason}.`;
  const unit = unitPlural(c.unit);
  return (
    `Because clients of the same ${c.unit} are not independent (Baldwin, Wampold & Imel, 2007), every correlation and dropout rate also has a cluster-aware ${Math.round(r.settings.confidence_level * 100)}% CI that treats the ${c.clusters} ${unit} as the units sampled: ` +
    `for a correlation, Fisher's z ± t(${c.clusters! - 1}) × its cluster jackknife standard error (leaving out one ${c.unit} at a time, so that each ${c.unit}'s episodes are left out together); for a dropout rate, Wilson's interval on the effective n adjusted for its degrees of freedom (Korn & Graubard, 1998). ` +
    `The design effect is the ratio of the cluster jackknife variance to the variance from leaving out single episodes, and the effective n is n divided by it (at most n). ` +
    (c.bootstrap.run
      ? `A cluster bootstrap that resamples whole ${unit} (${c.bootstrap.b.toLocaleString("en-US")} resamples, seed ${c.bootstrap.seed}; percentile and BCa) is shown beside it; with 30 ${unit} it is slightly too narrow, which is why the jackknife interval is the one cited (docs/clustering.md gives the coverage of each). `
      : "") +
    `Hazard ratios also have cluster-robust (sandwich) standard errors grouped by ${c.unit}, as R's coxph(…, cluster = ${c.unit}) reports them, with CIs and p from those errors times √(G/(G − 1)) and t on G − 1 df (Cameron & Miller, 2015); tiers are also compared by the robust score test of that model, a log-rank test that allows for clustering (Lin & Wei, 1989). ` +
    `Spearman's ρ is treated as Pearson's r of the whole sample's ranks.`
  );
}

function resultsHtml(r: Results): string {
  const find = (y: string, m: string) => r.correlations.find((c) => c.y === y && c.method === m)!;
  const change = find("outcome_change", "pearson");
  const last = find("outcome_last", "pearson");
  const tiers = r.dropout_by_tier.filter((t) => t.rate !== null);
  const tierText = tiers
    .map((t) => `${formatPercent(t.rate!)} in the ${Handlebars.escapeExpression(t.tier)} tier`)
    .join(", ");
  return [
    change.estimate !== null
      ? `Early alliance was correlated with outcome change, ${apaHtml(change.apa)} (<i>n</i> = ${change.n}).`
      : `The correlation of early alliance with outcome change is ${change.apa}.`,
    last.estimate !== null
      ? `Its correlation with the last outcome score was ${apaHtml(last.apa)} (<i>n</i> = ${last.n}).`
      : "",
    r.partial_correlation.estimate !== null
      ? `Holding the first outcome score constant, the association with the last outcome was ${apaHtml(r.partial_correlation.apa)}.`
      : "",
    r.bootstrap
      ? `The bootstrap BCa 95% CI of the correlation with outcome change was ${ciText(r.bootstrap.bca.ci_low, r.bootstrap.bca.ci_high)}.`
      : "",
    clusteredSentence(r),
    benchmarkSentence(r),
    r.sites.reml
      ? `Pooled over ${r.sites.reml.k} sites (REML), r = ${noLeadingZero(r.sites.reml.r)}, 95% CI ${ciText(r.sites.reml.ci_low, r.sites.reml.ci_high)}, <i>I</i>² = ${r.sites.reml.i2.toFixed(1)}%.`
      : "",
    therapistSentence(r),
    tiers.length ? `Among closed episodes, dropout was ${tierText}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

function clusteredSentence(r: Results): string {
  const row = clusterRow(r, "primary", "early_alliance", "outcome_change", "pearson");
  if (!row || row.ci_low === null || row.ci_high === null) return "";
  const deff = row.design_effect === null ? "" : `, design effect ${row.design_effect.toFixed(2)}`;
  return `Allowing for clients nested in ${row.clusters} ${unitPlural(r.clustering.unit)}, its 95% CI was ${ciText(row.ci_low, row.ci_high)}${deff}.`;
}

function benchmarkSentence(r: Results): string {
  const at = benchmarkPlacement(r);
  return at
    ? `The meta-analytic benchmark r = ${noLeadingZero(at.benchmark.r, 3)} (${Handlebars.escapeExpression(at.benchmark.short)}) lies ${at.inside ? "inside" : "outside"} that correlation's 95% CI.`
    : "";
}

function therapistSentence(r: Results): string {
  const m = r.therapists.model;
  const icc = r.therapists.icc.find((i) => i.variable === "early_alliance")?.icc;
  if (!m) return "";
  const w = m.coefficients.find((c) => c.name === "alliance_within")!;
  const b = m.coefficients.find((c) => c.name === "alliance_between")!;
  return (
    (icc != null ? `Therapists accounted for ${(100 * icc).toFixed(0)}% of the variance in early alliance. ` : "") +
    `With the first outcome held constant, the within-therapist slope was ${apaHtml(w.apa)} and the between-therapist slope ${apaHtml(b.apa)}.`
  );
}

/** ", and the early score (…) of the bond and goals subscales and of therapist-rated alliance" — or nothing without components. */
function componentPhrase(r: Results): string {
  const sub = r.predictors.components.filter((c) => c.kind === "subscale").map((c) => c.label);
  const raters = r.predictors.components.filter((c) => c.kind === "rater").map((c) => `${c.name}-rated alliance`);
  const parts = [
    sub.length ? `the ${joinList(sub)} subscale${sub.length > 1 ? "s" : ""}` : "",
    raters.length ? joinList(raters) : "",
  ].filter(Boolean);
  return parts.length
    ? `, and the early score (mean of the first ${r.settings.early_alliance_window} ratings) of ${parts.join(" and of ")}`
    : "";
}
