/**
 * Every count of a research report's results.json that stands for people (episodes, sessions,
 * clients in a cell), by its path, and the identities among them: totals, and parts that sum to
 * them, within a table and across the tables that share a total. It is the one declaration that
 *   - the suppression uses to choose which counts to withhold (small ones, and as many others as it
 *     takes so that none of them can be worked out by subtraction: protectCells), and
 *   - the release check uses to prove, from the published results.json alone, that no withheld count
 *     can be recovered (determinedCells).
 * The HTML, PDF and CSV tables are built from results.json, so its masks are theirs.
 *
 * A path is written as in JavaScript: `dropout_by_tier[0].episodes`. A count that is null is unknown
 * to a reader: withheld, or absent because the object that holds it is (a fitted line not drawn, a
 * model not fitted). Absent counts are unknowns of the identities, but not secrets to keep: each
 * duplicates a count that is in the flow, which is protected in its own right.
 */
import type { Results } from "../results.ts";
import { determinedCells, protectCells, type Identity } from "../../analyses/suppression-audit.ts";

export interface CountCell {
  path: string;
  value: number | null;
  /** The object that would hold it is null or empty. */
  absent: boolean;
}

export interface NamedIdentity {
  /** What the identity says, for messages: e.g. "tiers sum to the episodes analysed". */
  name: string;
  parts: string[];
  total: string;
}

export interface DisclosureModel {
  cells: CountCell[];
  identities: NamedIdentity[];
}

/** The counts of a results.json and their identities. */
/** Collects the model's cells and identities, in the order the report's sections declare them. */
function modelBuilder() {
  const cells: CountCell[] = [];
  const identities: NamedIdentity[] = [];
  return {
    cells,
    identities,
    cell(path: string, value: number | null | undefined) {
      cells.push({ path, value: value ?? null, absent: value === undefined });
      return path;
    },
    sum: (name: string, parts: string[], total: string) => void identities.push({ name, parts, total }),
    same: (name: string, a: string, b: string) => void identities.push({ name, parts: [a], total: b }),
  };
}

type Builder = ReturnType<typeof modelBuilder>;

/** The participant flow's counts and sums; returns the paths that later sections add up to. */
function flowCells({ cell, sum, same }: Builder, r: Results) {
  // The participant flow.
  const f = r.flow;
  const ingested = cell("flow.episodes_ingested", f.episodes_ingested);
  const excluded = f.excluded.map((e, i) => cell(`flow.excluded[${i}].n`, e.n));
  const analysed = cell("flow.episodes_analyzed", f.episodes_analyzed);
  sum("episodes read = excluded + analysed", [...excluded, analysed], ingested);
  const sessions = cell("flow.sessions.ingested", f.sessions.ingested);
  const sessionsOut = f.sessions.excluded.map((e, i) => cell(`flow.sessions.excluded[${i}].n`, e.n));
  sum("sessions read = excluded + used", [...sessionsOut, cell("flow.sessions.used", f.sessions.used)], sessions);
  const withChange = cell("flow.analysis_sets.with_outcome_change", f.analysis_sets.with_outcome_change);
  const withLast = cell("flow.analysis_sets.with_outcome_last", f.analysis_sets.with_outcome_last);
  const closed = cell("flow.analysis_sets.closed", f.analysis_sets.closed);
  const active = cell("flow.analysis_sets.active_at_cutoff", f.analysis_sets.active_at_cutoff);
  sum("analysed = closed + active", [closed, active], analysed);
  r.provenance.inputs.forEach((input, i) =>
    same(
      `the ${input.role} file's rows`,
      cell(`provenance.inputs[${i}].rows`, input.rows),
      input.role === "episodes" ? ingested : sessions,
    ),
  );

  return { ingested, analysed, withChange, withLast, closed, active };
}

type FlowPaths = ReturnType<typeof flowCells>;

/** Dropout by tier, and how each tier enters the time-to-dropout analysis. */
function tierCells({ cell, sum, same }: Builder, r: Results, { analysed, closed, active }: FlowPaths): void {
  // Dropout by tier, and how each tier enters the time-to-dropout analysis.
  const tierEpisodes = r.dropout_by_tier.map((t, i) => cell(`dropout_by_tier[${i}].episodes`, t.episodes));
  const tierClosed = r.dropout_by_tier.map((t, i) => cell(`dropout_by_tier[${i}].closed`, t.closed));
  const tierDropouts = r.dropout_by_tier.map((t, i) => cell(`dropout_by_tier[${i}].dropouts`, t.dropouts));
  sum("tiers sum to the episodes analysed", tierEpisodes, analysed);
  sum("tiers' closed sum to all closed", tierClosed, closed);
  const ret = r.retention;
  const activeByTier = ret.censoring.map((c, i) => {
    const t = r.dropout_by_tier.findIndex((d) => d.tier === c.tier);
    const p = (k: keyof typeof c) => cell(`retention.censoring[${i}].${k}`, c[k] as number | null);
    const episodes = p("episodes");
    const dropouts = p("dropouts");
    const a = p("censored_active");
    const completion = p("censored_completion");
    const other = p("censored_other");
    same(`the ${c.tier} tier's episodes`, episodes, tierEpisodes[t]!);
    same(`the ${c.tier} tier's dropouts`, dropouts, tierDropouts[t]!);
    sum(`the ${c.tier} tier: dropouts + censored = episodes`, [dropouts, a, completion, other], episodes);
    sum(`the ${c.tier} tier: closed + active = episodes`, [tierClosed[t]!, a], episodes);
    return a;
  });
  if (activeByTier.length) sum("tiers' active sum to all active", activeByTier, active);
  ret.retention_at.forEach((x, i) => {
    const t = r.dropout_by_tier.findIndex((d) => d.tier === x.tier);
    cell(`retention.retention_at[${i}].retained`, x.retained);
    sum(
      `the ${x.tier} tier at day ${x.day}: eligible + short follow-up = episodes`,
      [
        cell(`retention.retention_at[${i}].eligible`, x.eligible),
        cell(`retention.retention_at[${i}].short_followup`, x.short_followup),
      ],
      tierEpisodes[t]!,
    );
  });
  ret.risk_table.forEach((x, i) => {
    const p = cell(`retention.risk_table[${i}].n_risk`, x.n_risk);
    if (x.day === 0)
      same(
        `the ${x.tier} tier at risk on day 0`,
        p,
        tierEpisodes[r.dropout_by_tier.findIndex((d) => d.tier === x.tier)]!,
      );
  });
  if (ret.no_show) cell("retention.no_show.dropouts", ret.no_show.dropouts);
}

/** The primary correlation's pairs, wherever they are counted. */
function pairCells({ cell, sum, same }: Builder, r: Results, { withChange, withLast }: FlowPaths): void {
  // The primary correlation's pairs, wherever they are counted.
  const sites = r.sites.per_site.map((s, i) => cell(`sites.per_site[${i}].n`, s.n));
  if (sites.length) sum("sites sum to the episodes with outcome change", sites, withChange);
  [...r.correlations, r.partial_correlation].forEach((c, i) => {
    const path = cell(i < r.correlations.length ? `correlations[${i}].n` : "partial_correlation.n", c.n);
    if (c.method !== "partial")
      same(`the ${c.method} correlation's pairs`, path, c.y === "outcome_change" ? withChange : withLast);
  });
  same("the power analysis's pairs", cell("power.n", r.power.n), withChange);
  same("this study's benchmark pairs", cell("benchmarks.this_study.n", r.benchmarks.this_study?.n), withChange);
  same("the fitted line's pairs", cell("fitted_line.n", r.fitted_line?.n), withChange);
  same(
    "the binned scatter's pairs",
    cell("binned_scatter", r.binned_scatter.length ? r.binned_scatter.reduce((a, b) => a + b.n, 0) : undefined),
    withChange,
  );
}

/** Other predictors and outcomes: early, mean and last alliance are present for every analysed episode. */
function predictorCells({ cell, sum, same }: Builder, r: Results, { withChange, withLast }: FlowPaths): void {
  // Other predictors and outcomes: early, mean and last alliance are present for every analysed episode.
  const p = r.predictors;
  p.correlations.forEach((c, i) => {
    const path = cell(`predictors.correlations[${i}].n`, c.n);
    // Residualized change exists only once its fit does (3 or more episodes with a change score): a 0 says it does not.
    const residualized = c.y === "outcome_residualized";
    if (["early_alliance", "mean_alliance", "last_alliance"].includes(c.x) && !(residualized && c.n === 0))
      same(`${c.x} × ${c.y} pairs`, path, c.y === "outcome_last" ? withLast : withChange);
  });
  p.rater_agreement.forEach((a, i) => cell(`predictors.rater_agreement[${i}].n`, a.n));
  same("the residualized fit's episodes", cell("predictors.residualized_fit.n", p.residualized_fit?.n), withChange);
  const rc = p.reliable_change;
  if (rc) {
    const categories = ["recovered", "improved", "unchanged", "deteriorated"] as const;
    const grid = rc.rows.map((row, i) => ({
      n: cell(`predictors.reliable_change.rows[${i}].n`, row.n),
      k: categories.map((c) => cell(`predictors.reliable_change.rows[${i}].${c}`, row[c])),
      all: row.tier === null,
    }));
    for (const [i, row] of grid.entries()) sum(`reliable change row ${i}: categories sum to n`, row.k, row.n);
    const all = grid.find((g) => g.all);
    const tiers = grid.filter((g) => !g.all);
    if (all) {
      sum(
        "reliable change: tiers sum to all",
        tiers.map((g) => g.n),
        all.n,
      );
      categories.forEach((c, j) =>
        sum(
          `reliable change: tiers' ${c} sum to all`,
          tiers.map((g) => g.k[j]!),
          all.k[j]!,
        ),
      );
      same("reliable change: all episodes with a change score", all.n, withChange);
    }
  }
}

/** Therapist nesting. */
function therapistCells({ cell, same }: Builder, r: Results, { analysed, withChange, withLast }: FlowPaths): void {
  // Therapist nesting.
  const t = r.therapists;
  t.icc.forEach((row, i) =>
    same(
      `ICC of ${row.variable}: episodes`,
      cell(`therapists.icc[${i}].n`, row.n),
      row.variable === "early_alliance" ? analysed : row.variable === "outcome_change" ? withChange : withLast,
    ),
  );
  same("the within/between model's episodes", cell("therapists.model.n", t.model?.n), withChange);
}

/**
 * The alliance over the sessions: episodes by their ratings sum to those analysed; at each k the
 * tiers' eligible episodes sum to those with 3 or more ratings, and a tier's ruptures are repaired,
 * unrepaired or ended before repair.
 */
function dynamicsCells({ cell, sum, same }: Builder, r: Results, { analysed }: FlowPaths): void {
  const d = r.dynamics;
  if (!d) return;
  const rated = (["none", "few", "enough"] as const).map((k) => cell(`dynamics.rated.${k}`, d.rated[k]));
  // Episodes without a rating are the flow's exclusion for it; the others are those analysed.
  sum("episodes with 1–2 and 3 or more ratings sum to those analysed", rated.slice(1), analysed);
  const none = r.flow.excluded.findIndex((e) => e.code === "X_NO_ALLIANCE_RATING");
  if (none >= 0) same("episodes without an alliance rating", rated[0]!, `flow.excluded[${none}].n`);
  for (const k of [...new Set(d.ruptures.map((x) => x.k))]) {
    const rows = d.ruptures.map((x, i) => [x, i] as const).filter(([x]) => x.k === k);
    const eligible = rows.map(([x, i]) => cell(`dynamics.ruptures[${i}].episodes`, x.episodes));
    sum(`at k = ${k}, the tiers' episodes sum to those with 3 or more ratings`, eligible, rated[2]!);
    for (const [x, i] of rows) {
      const at = (f: "with_rupture" | "ruptures" | "repaired" | "unrepaired" | "ended") =>
        cell(`dynamics.ruptures[${i}].${f}`, x[f]);
      at("with_rupture");
      const total = at("ruptures");
      sum(
        `at k = ${k}, ${x.tier ?? "no tier"}: ruptures by outcome`,
        [at("repaired"), at("unrepaired"), at("ended")],
        total,
      );
    }
  }
  const ro = d.repair_outcome;
  const [n, yes, no] = [
    cell("dynamics.repair_outcome.n", ro.n),
    cell("dynamics.repair_outcome.n_repaired", ro.n_repaired),
    cell("dynamics.repair_outcome.n_none", ro.n_none),
  ];
  sum("episodes with and without a repaired rupture", [yes, no], n);
  cell("dynamics.dropout.episodes", d.dropout.episodes);
  cell("dynamics.dropout.events", d.dropout.events ?? undefined);
  cell("dynamics.sudden.scored_episodes", d.sudden.scored_episodes);
  d.sudden.kinds.forEach((k, i) => {
    for (const f of ["shifts", "episodes", "reversals"] as const) cell(`dynamics.sudden.kinds[${i}].${f}`, k[f]);
    k.around.forEach((a, j) => {
      cell(`dynamics.sudden.kinds[${i}].around[${j}].outcome_n`, a.outcome_n);
      cell(`dynamics.sudden.kinds[${i}].around[${j}].alliance_n`, a.alliance_n);
    });
  });
  d.alliance_by_session.forEach((a, i) => cell(`dynamics.alliance_by_session[${i}].n`, a.n));
  for (const m of ["forward", "reverse", "detrended"] as const) {
    const row = d.within[m];
    if (!row) continue;
    cell(`dynamics.within.${m}.n`, row.n);
    cell(`dynamics.within.${m}.episodes`, row.episodes);
  }
}

export function disclosureModel(r: Results): DisclosureModel {
  const b = modelBuilder();
  const flow = flowCells(b, r);
  tierCells(b, r, flow);
  pairCells(b, r, flow);
  predictorCells(b, r, flow);
  therapistCells(b, r, flow);
  dynamicsCells(b, r, flow);
  return { cells: b.cells, identities: b.identities };
}

/**
 * How much a reader loses when a count is withheld, so that the suppression withholds what matters
 * least first: a detail (who was censored how, the number at risk after day 0, who was left out for
 * short follow-up) before a tier's size, before the flow's totals, before a dropout rate's numerator or
 * denominator, before the pairs of a correlation (whose estimate goes with them).
 * @example withholdingCost("retention.risk_table[4].n_risk") // => 1
 */
export function withholdingCost(path: string): number {
  if (
    /^(provenance|retention\.risk_table|retention\.no_show|flow\.sessions)|short_followup$|censored_(active|completion|other)$/.test(
      path,
    )
  )
    return 1;
  if (/^flow\.excluded/.test(path)) return 2;
  if (/^retention\.retention_at|^predictors\.reliable_change/.test(path)) return 3;
  if (/\.episodes$/.test(path)) return 4;
  if (/^flow\./.test(path) && !/with_outcome/.test(path)) return 5;
  if (/^sites\./.test(path)) return 6;
  if (/(closed|dropouts)$/.test(path)) return 8;
  return 9;
}

/**
 * The counts to withhold: those from 1 to min − 1, and as few others as it takes so that no withheld
 * count follows from the rest by the identities. Counts that are already null (absent) count as
 * unknown and are never asked to be shown.
 * @example withheldCounts(exactResults, 11) // => Set { "dropout_by_tier[0].episodes", "dropout_by_tier[1].episodes", … }
 */
export function withheldCounts(exact: Results, minCellSize: number): Set<string> {
  const { cells, identities } = disclosureModel(exact);
  const index = new Map(cells.map((c, i) => [c.path, i]));
  const flat: Identity[] = identities.map((c) => ({
    parts: c.parts.map((p) => index.get(p)!),
    total: index.get(c.total)!,
  }));
  const hidden = protectCells(
    cells.map((c) => c.value ?? 0),
    flat,
    minCellSize,
    cells.map((c) => c.value === null),
    cells.map((c) => !c.absent),
    cells.map((c) => withholdingCost(c.path)),
  );
  return new Set(cells.filter((c, i) => hidden[i] && c.value !== null).map((c) => c.path));
}

/** Withheld counts of a published results.json that its visible counts and identities determine (paths). */
export function recoverableCounts(published: Results): string[] {
  const { cells, identities } = disclosureModel(published);
  const index = new Map(cells.map((c, i) => [c.path, i]));
  const flat: Identity[] = identities.map((c) => ({
    parts: c.parts.map((p) => index.get(p)!),
    total: index.get(c.total)!,
  }));
  return determinedCells(
    cells.map((c) => c.value === null),
    flat,
  )
    .filter((i) => !cells[i]!.absent)
    .map((i) => cells[i]!.path);
}

/** The declared identities that the counts of an exact (unmasked) results.json do not satisfy: a mistake in the model. */
export function identityGaps(exact: Results): string[] {
  const { cells, identities } = disclosureModel(exact);
  const value = new Map(cells.map((c) => [c.path, c.value]));
  return identities.flatMap((c) => {
    const values = [...c.parts, c.total].map((p) => value.get(p) ?? null);
    if (values.some((v) => v === null)) return [];
    const parts = values.slice(0, -1).reduce<number>((a, b) => a + b!, 0);
    return parts === values.at(-1) ? [] : [`${c.name}: ${parts} ≠ ${values.at(-1)}`];
  });
}

/** Visible counts of a published results.json from 1 to min − 1 (paths with their values). */
export function smallVisibleCounts(published: Results, minCellSize: number): CountCell[] {
  return disclosureModel(published).cells.filter((c) => c.value !== null && c.value >= 1 && c.value < minCellSize);
}
