/**
 * Cluster-aware intervals: episodes share therapists (or sites), so they are not independent, and an
 * interval that treats them as independent is too narrow when therapists differ (Baldwin, Wampold &
 * Imel 2007). For every correlation in the report (the four of early alliance with outcome, the
 * partial, the secondary family and rater agreement) and every tier's dropout rate this gives:
 *   - the cluster jackknife interval (leave one therapist out, Fisher z, t on G − 1 df): the report's
 *     cluster-aware interval, whose coverage is in docs/clustering.md;
 *   - the design effect and effective n (cluster against independent-case jackknife variance);
 *   - the seeded cluster bootstrap's percentile and BCa intervals, when there are at most
 *     inference.bootstrap_max_clusters clusters.
 * Spearman's ρ is handled as Pearson's r of the ranks in the whole sample (ranks held fixed in the
 * resamples). A dropout rate's interval is Wilson's on its effective n adjusted for G − 1 degrees of
 * freedom (analyses/clustered-proportion.ts). Pure: no I/O.
 */
import {
  blockScratch,
  clusterBootstrap,
  clusterJackknife,
  MIN_CLUSTERS,
  partialBlock,
  pearsonBlock,
  type BlockScratch,
} from "../../../analyses/cluster-bootstrap.ts";
import { clusteredProportion } from "../../../analyses/clustered-proportion.ts";
import { averageRanksTyped } from "../../../analyses/rank.ts";
import type { ClusterUnit, Study } from "../../config/study.ts";
import { SCORE_FIELDS, type AnalysisColumns, type ScoreField } from "./analysis-columns.ts";
import { residualizedColumn, type PredictorAnalysis } from "./analyze-predictors.ts";
import { type ClusterAnalysis } from "../handoff.ts";
import { type ClusterCorrelation, type ClusterTierRate } from "../handoff.ts";
import { type ClusterFamily } from "../handoff.ts";
export type { ClusterFamily };
export type { ClusterCorrelation, ClusterTierRate };
export type { ClusterAnalysis };

/** Each analysed episode's cluster as 0 … G − 1 (null for unit none). */
export function clusterIds(columns: AnalysisColumns, unit: ClusterUnit): { ids: Int32Array; clusters: number } | null {
  if (unit === "none") return null;
  const { codes, count } = unit === "therapist" ? columns.therapist : columns.site;
  return { ids: codes, clusters: count };
}

/**
 * Early alliance and an outcome on the episodes with both (in order), and their average ranks: what
 * analyze ranked for Spearman's ρ, so that its cluster-aware interval need not rank them again.
 */
export interface RankedPairs {
  x: readonly number[];
  y: readonly number[];
  rx: Float64Array;
  ry: Float64Array;
}

/**
 * `ranked` holds analyze's ranks of early alliance with each outcome (by the outcome's name), used
 * when a Spearman correlation's complete cases are those very pairs.
 * @example analyzeClustering(analysisColumns(analysed, [], study.tiers.labels), study, predictors, 0.95).correlations[0] // early × change, Pearson, with its cluster-aware CI
 */
/** The correlations given cluster-aware intervals: primary, partial, the secondary family, rater agreement. */
function correlationSpecs(study: Study, predictors: PredictorAnalysis) {
  const specs: { family: ClusterFamily; x: string; y: string; method: ClusterCorrelation["method"]; z?: string }[] = [];
  for (const y of ["outcome_change", "outcome_last"])
    for (const method of ["pearson", "spearman"] as const)
      specs.push({ family: "primary", x: "early_alliance", y, method });
  specs.push({ family: "partial", x: "early_alliance", y: "outcome_last", method: "partial", z: "outcome_first" });
  for (const c of predictors.correlations)
    if (c.result) specs.push({ family: "secondary", x: c.x, y: c.y, method: "pearson" });
  for (const c of study.allianceComponents)
    if (c.kind === "rater")
      specs.push({ family: "rater_agreement", x: "early_alliance", y: `early_${c.key}`, method: "pearson" });

  return specs;
}

/** Each tier's dropout rate among closed episodes with its cluster-aware interval. */
function clusteredTierRates(
  columns: AnalysisColumns,
  study: Study,
  clusterIds: ArrayLike<number>,
  g: number,
  level: number,
): ClusterTierRate[] {
  return study.tiers.labels.map((tier, t): ClusterTierRate => {
    const events: number[] = [];
    const ids: number[] = [];
    for (let i = 0; i < columns.n; i++) {
      if (columns.tier[i] !== t || !columns.closed[i]) continue;
      events.push(columns.dropout[i]!);
      ids.push(clusterIds[i]!);
    }
    const closed = events.length;
    const dropouts = events.reduce((a, v) => a + v, 0);
    // The clusters among them, counted by marking each (a Set of 50,000 numbers took 0.1 s a tier).
    const seen = new Uint8Array(g);
    let clusters = 0;
    for (const c of ids) {
      if (seen[c]) continue;
      seen[c] = 1;
      clusters++;
    }
    if (closed === 0)
      return { tier, closed, dropouts, clusters, rate: null, ci: null, design_effect: null, effective_n: null };
    return { tier, closed, dropouts, clusters, ...clusteredProportion(events, ids, g, level) };
  });
}

export function analyzeClustering(
  columns: AnalysisColumns,
  study: Study,
  predictors: PredictorAnalysis,
  level: number,
  ranked?: ReadonlyMap<string, RankedPairs>,
): ClusterAnalysis {
  const unit = study.inference.cluster;
  const cluster = clusterIds(columns, unit);
  const g = cluster?.clusters ?? 0;
  const run = g >= MIN_CLUSTERS && g <= study.inference.bootstrapMaxClusters;
  const base = {
    unit,
    clusters: g,
    bootstrap: {
      b: study.bootstrap.b,
      seed: study.bootstrap.seed,
      max_clusters: study.inference.bootstrapMaxClusters,
      run,
    },
  };
  if (!cluster || g < MIN_CLUSTERS) {
    return {
      ...base,
      mean_cluster_size: null,
      correlations: [],
      dropout_by_tier: [],
      reason: !cluster ? "the config sets inference.cluster to none" : `fewer than ${MIN_CLUSTERS} ${unit}s`,
    };
  }
  const sizes = new Float64Array(g);
  for (const c of cluster.ids) sizes[c]!++;
  const meanSize = sizes.reduce((a, m) => a + m * m, 0) / columns.n;

  const specs = correlationSpecs(study, predictors);
  const col = scoreColumn(columns, predictors.residualized_fit);

  // One correlation at a time, each in the same buffers (see BlockScratch); a secondary row on the same
  // scores as a primary one (early alliance × change, × last) is the same interval, computed once.
  const space = workspace(columns.n);
  const done = new Map<string, Omit<ClusterCorrelation, "family">>();
  const correlations = specs.map((s): ClusterCorrelation => {
    const key = `${s.x}|${s.y}|${s.method}|${s.z ?? ""}`;
    let row = done.get(key);
    if (!row)
      done.set(
        key,
        (row = clusterCorrelation(
          s,
          col,
          cluster.ids,
          g,
          space,
          run ? study.bootstrap : null,
          level,
          s.x === "early_alliance" ? ranked?.get(s.y) : undefined,
        )),
      );
    return { family: s.family, ...row };
  });

  const dropout_by_tier = clusteredTierRates(columns, study, cluster.ids, g, level);
  return { ...base, mean_cluster_size: meanSize, correlations, dropout_by_tier };
}

/**
 * A named score of every episode as a typed column, NaN where missing: a score field, `early_<key>` of
 * an alliance component, or outcome_residualized (computed once, when first asked for).
 */
function scoreColumn(
  columns: AnalysisColumns,
  fit: PredictorAnalysis["residualized_fit"],
): (name: string) => Float64Array {
  let residual: Float64Array | null = null;
  return (name) => {
    if (name === "outcome_residualized") return (residual ??= residualizedColumn(columns, fit));
    if ((SCORE_FIELDS as readonly string[]).includes(name)) return columns.score[name as ScoreField];
    const component = columns.components.get(name.slice("early_".length));
    if (!name.startsWith("early_") || !component) throw new RangeError(`analyzeClustering: no score named ${name}`);
    return component;
  };
}

/** Buffers of one correlation's complete cases, reused from one correlation to the next. */
interface Workspace {
  values: [Float64Array, Float64Array, Float64Array];
  ranks: [Float64Array, Float64Array];
  cid: Int32Array;
  scratch: BlockScratch;
}

const workspace = (n: number): Workspace => ({
  values: [new Float64Array(n), new Float64Array(n), new Float64Array(n)],
  ranks: [new Float64Array(n), new Float64Array(n)],
  cid: new Int32Array(n),
  scratch: blockScratch(n),
});

/** One correlation's cluster-aware interval on its complete cases, or the reason there is none. */
function clusterCorrelation(
  s: { x: string; y: string; method: ClusterCorrelation["method"]; z?: string },
  col: (name: string) => Float64Array,
  ids: Int32Array,
  g: number,
  space: Workspace,
  bootstrap: { b: number; seed: number } | null,
  level: number,
  ranked?: RankedPairs,
): Omit<ClusterCorrelation, "family"> {
  const [a, b, c] = [col(s.x), col(s.y), s.z ? col(s.z) : undefined];
  const [va, vb, vc] = space.values;
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    // x === x: not NaN (missing)
    if (a[i] === a[i] && b[i] === b[i] && (c === undefined || c[i] === c[i])) {
      va[n] = a[i]!;
      vb[n] = b[i]!;
      if (c) vc[n] = c[i]!;
      space.cid[n++] = ids[i]!;
    }
  }
  const cid = space.cid.subarray(0, n);
  const none = { estimate: null, ci: null, se_z: null, design_effect: null, effective_n: null, bootstrap: null };
  const least = s.method === "partial" ? 5 : 4;
  if (n < least)
    return {
      x: s.x,
      y: s.y,
      method: s.method,
      n,
      clusters: new Set(cid).size,
      ...none,
      reason: `fewer than ${least} episodes with ${s.method === "partial" ? "all three scores" : "both scores"}`,
    };
  const [x, y] = [va.subarray(0, n), vb.subarray(0, n)];
  const block =
    s.method === "partial"
      ? partialBlock(x, y, vc.subarray(0, n), cid, g, space.scratch)
      : s.method === "spearman" && ranked && samePairs(ranked, x, y)
        ? pearsonBlock(ranked.rx, ranked.ry, cid, g, space.scratch)
        : s.method === "spearman"
          ? pearsonBlock(
              averageRanksTyped(x, space.ranks[0]),
              averageRanksTyped(y, space.ranks[1]),
              cid,
              g,
              space.scratch,
            )
          : pearsonBlock(x, y, cid, g, space.scratch);
  // The block's clusters are those holding one of the correlation's episodes.
  const head = { x: s.x, y: s.y, method: s.method, n, clusters: block.clusters };
  if (block.clusters < MIN_CLUSTERS) return { ...head, ...none, reason: `fewer than ${MIN_CLUSTERS} clusters` };
  const jack = clusterJackknife(block, level);
  if (!jack) return { ...head, ...none, reason: "a variable is constant, or too few clusters vary" };
  const boot = bootstrap ? clusterBootstrap([block], bootstrap.b, bootstrap.seed, level)[0] : null;
  return {
    ...head,
    estimate: jack.estimate,
    ci: jack.ci,
    se_z: jack.se,
    design_effect: jack.design_effect,
    effective_n: jack.effective_n,
    bootstrap: boot
      ? { percentile: boot.percentile, bca: boot.bca, undefined_replicates: boot.undefined_replicates }
      : null,
  };
}

/** Whether the complete cases x, y are the ranked pairs, value for value. */
function samePairs(ranked: RankedPairs, x: Float64Array, y: Float64Array): boolean {
  if (ranked.x.length !== x.length) return false;
  for (let i = 0; i < x.length; i++) if (ranked.x[i] !== x[i] || ranked.y[i] !== y[i]) return false;
  return true;
}
