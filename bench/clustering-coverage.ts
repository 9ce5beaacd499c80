/**
 * Coverage study of the cluster-aware intervals (issue "Intervals that respect clients nested in
 * therapists"): simulated studies with a therapist ICC of 0, .05, .15 and .30 and 10, 30 and 100
 * therapists; for each interval the share of 95% CIs that contain the true value, naive (episodes
 * independent) beside cluster-aware. Not a test: it takes minutes. Its table is docs/clustering.md's.
 *
 *   npm run coverage:clustering -- [--reps 1000] [--b 999] [--seed 1] [--markdown]
 *
 * The model (one study):
 *   - therapists g = 1 … G, each with 5 to 35 clients (uniform; 20 on average, so caseloads differ);
 *   - client-rated alliance x = √ICC·u_g + √(1 − ICC)·e, outcome y = √ICC·v_g + √(1 − ICC)·f, with
 *     corr(u, v) = .5 between therapists and corr(e, f) = .2 within them (Baldwin et al. 2007): the
 *     true r is ICC·.5 + (1 − ICC)·.2;
 *   - therapist-rated alliance t = √ICC·l_g + √(1 − ICC)·(.5e + √.75·k), corr(u, l) = .3 (a therapist's
 *     own leniency): the true agreement r(x, t) is ICC·.3 + (1 − ICC)·.5;
 *   - tiers by x (low < −0.5 ≤ moderate < 0.5 ≤ high); dropout with logit α_tier + b_g, b_g ~ N(0, σ²),
 *     σ² = ICC/(1 − ICC)·π²/3 (the ICC on the latent scale); the true tier rate is E[expit(α + b)];
 *   - time to dropout with conditional hazard Z_g·λ·exp(β_tier), Z_g positive stable with index
 *     α = 1 − ICC (Kendall's τ within therapist = ICC), censored at 90 days; under this frailty the
 *     marginal hazards are proportional with log hazard ratio α·β exactly (Hougaard 2000, §7.3), the
 *     value the Cox model that ignores the frailty estimates.
 * Each interval is computed by the functions the pipeline uses (analyses/), the cluster-aware one as
 * the report gives it.
 */
import { clusterBootstrap, clusterJackknife, pearsonBlock } from "../analyses/cluster-bootstrap.ts";
import { clusteredProportion } from "../analyses/clustered-proportion.ts";
import { coxEfron } from "../analyses/cox-efron.ts";
import { coxRobust, robustWald } from "../analyses/cox-robust.ts";
import { fisherZInterval } from "../analyses/fisher-z-interval.ts";
import { correlationCoefficient } from "../analyses/pearson.ts";
import { seededUniform } from "../analyses/seeded-random.ts";
import { wilson } from "../analyses/wilson.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REPS = arg("reps", 1000);
const B = arg("b", 999);
const SEED = arg("seed", 1);
const MARKDOWN = process.argv.includes("--markdown");

const ICCS = [0, 0.05, 0.15, 0.3];
const THERAPISTS = [10, 30, 100];
const BETWEEN = 0.5;
const WITHIN = 0.2;
const LENIENCY = 0.3;
const RATERS = 0.5;
const TIERS = ["low", "moderate", "high"] as const;
const LOGIT = [0, -0.5, -1.1];
const LOG_HR = [0, -0.4, -0.9];
const HAZARD = 1 / 60;
const FOLLOW_UP = 90;
const Z95 = 1.959963984540054;

/** What each interval is checked against, and whether it covered. */
type Tally = Record<string, { naive: number; clustered: number; percentile?: number; bca?: number }>;

function main(): void {
  const u = seededUniform(SEED);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const rows: string[][] = [];
  const started = performance.now();
  for (const icc of ICCS) {
    for (const G of THERAPISTS) {
      const hit: Tally = {};
      const count = (key: string, kind: "naive" | "clustered" | "percentile" | "bca", covered: boolean) => {
        const h = (hit[key] ??= { naive: 0, clustered: 0 });
        h[kind] = (h[kind] ?? 0) + (covered ? 1 : 0);
      };
      const truthR = icc * BETWEEN + (1 - icc) * WITHIN;
      const truthAgreement = icc * LENIENCY + (1 - icc) * RATERS;
      const sigma = Math.sqrt((icc / (1 - icc)) * (Math.PI ** 2 / 3));
      const truthRate = LOGIT.map((a) => expectedExpit(a, sigma));
      const truthLogHr = [0, ...marginalLogHr(icc, u, normal)];
      for (let rep = 0; rep < REPS; rep++) {
        const study = simulate(G, icc, sigma, u, normal);
        const within = (lo: number, hi: number, v: number) => lo <= v && v <= hi;
        // Correlation and agreement: Fisher z (naive), cluster jackknife (the report's), cluster bootstrap.
        for (const [key, y, truth] of [
          ["r(alliance, outcome)", study.y, truthR],
          ["agreement r(client, therapist)", study.t, truthAgreement],
        ] as const) {
          const r = correlationCoefficient(study.x, y);
          const [lo, hi] = fisherZInterval(r, study.x.length - 3);
          count(key, "naive", within(lo, hi, truth));
          const block = pearsonBlock(study.x, y, study.therapist, G);
          const jack = clusterJackknife(block)!;
          count(key, "clustered", within(jack.ci[0], jack.ci[1], truth));
          const [boot] = clusterBootstrap([block], B, rep + 1);
          count(key, "percentile", within(boot!.percentile[0], boot!.percentile[1], truth));
          count(key, "bca", within(boot!.bca[0], boot!.bca[1], truth));
        }
        // Tier dropout rates: Wilson (naive), Wilson on the effective n (the report's).
        TIERS.forEach((tier, k) => {
          const rows = study.tier.flatMap((t, i) => (t === k ? [i] : []));
          if (!rows.length) return;
          const events = rows.map((i) => study.dropout[i]!);
          const x = events.reduce((a, v) => a + v, 0);
          const naive = wilson(x, rows.length);
          count(`dropout rate, ${tier}`, "naive", within(naive.ci_low, naive.ci_high, truthRate[k]!));
          const clustered = clusteredProportion(
            events,
            rows.map((i) => study.therapist[i]!),
            G,
          );
          count(`dropout rate, ${tier}`, "clustered", within(clustered.ci[0], clustered.ci[1], truthRate[k]!));
        });
        // Hazard ratios against the low tier: model-based (naive) Wald CI, and the robust one (sandwich by
        // therapist with the small-sample factor and t on G − 1 df, as the report gives it).
        const x = study.tier.map((t) => [t === 1 ? 1 : 0, t === 2 ? 1 : 0]);
        const fit = coxEfron(study.time, study.event, x);
        const robust = coxRobust(study.time, study.event, x, Array.from(study.therapist), fit.coef, fit.variance);
        [1, 2].forEach((k) => {
          const b = fit.coef[k - 1]!;
          const key = `hazard ratio, ${TIERS[k]} vs low`;
          count(key, "naive", Math.abs(b - truthLogHr[k]!) <= Z95 * fit.se[k - 1]!);
          const w = robustWald(b, robust.se[k - 1]!, robust.clusters);
          count(key, "clustered", within(Math.log(w.lower), Math.log(w.upper), truthLogHr[k]!));
        });
      }
      for (const [key, h] of Object.entries(hit)) {
        const pct = (v: number | undefined) => (v === undefined ? "—" : ((100 * v) / REPS).toFixed(1));
        rows.push([
          key,
          noLeadingZeroIcc(icc),
          String(G),
          pct(h.naive),
          pct(h.clustered),
          pct(h.percentile),
          pct(h.bca),
        ]);
      }
      process.stderr.write(
        `ICC ${icc}, ${G} therapists: done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
      );
    }
  }
  print(rows);
}

interface Study {
  x: number[];
  y: number[];
  t: number[];
  therapist: Int32Array;
  tier: number[];
  dropout: number[];
  time: number[];
  event: boolean[];
}

/** The marginal log hazard ratios (moderate, high vs low) the Cox model estimates, from one very large study. */
function marginalLogHr(icc: number, u: () => number, normal: () => number): number[] {
  const big = simulate(40_000, icc, Math.sqrt((icc / (1 - icc)) * (Math.PI ** 2 / 3)), u, normal);
  return coxEfron(
    big.time,
    big.event,
    big.tier.map((t) => [t === 1 ? 1 : 0, t === 2 ? 1 : 0]),
  ).coef;
}

function simulate(G: number, icc: number, sigma: number, u: () => number, normal: () => number): Study {
  const s: Study = { x: [], y: [], t: [], therapist: new Int32Array(0), tier: [], dropout: [], time: [], event: [] };
  const ids: number[] = [];
  for (let g = 0; g < G; g++) {
    const ug = normal();
    const vg = BETWEEN * ug + Math.sqrt(1 - BETWEEN ** 2) * normal();
    const lg = LENIENCY * ug + Math.sqrt(1 - LENIENCY ** 2) * normal();
    const bg = sigma * normal();
    const wg = Math.sqrt((icc / (1 - icc)) * (Math.PI ** 2 / 6)) * normal();
    const m = 5 + Math.floor(u() * 31);
    for (let i = 0; i < m; i++) {
      const e = normal();
      const f = WITHIN * e + Math.sqrt(1 - WITHIN ** 2) * normal();
      const k = RATERS * e + Math.sqrt(1 - RATERS ** 2) * normal();
      const x = Math.sqrt(icc) * ug + Math.sqrt(1 - icc) * e;
      const tier = x < -0.5 ? 0 : x < 0.5 ? 1 : 2;
      s.x.push(x);
      s.y.push(Math.sqrt(icc) * vg + Math.sqrt(1 - icc) * f);
      s.t.push(Math.sqrt(icc) * lg + Math.sqrt(1 - icc) * k);
      s.tier.push(tier);
      s.dropout.push(u() < 1 / (1 + Math.exp(-(LOGIT[tier]! + bg))) ? 1 : 0);
      const time = -Math.log(1 - u()) / (HAZARD * Math.exp(LOG_HR[tier]! + wg));
      s.time.push(Math.min(FOLLOW_UP, time));
      s.event.push(time <= FOLLOW_UP);
      ids.push(g);
    }
  }
  s.therapist = Int32Array.from(ids);
  return s;
}

/** E[expit(a + σZ)], Z standard normal, by the trapezoid rule over ±8σ. */
function expectedExpit(a: number, sigma: number): number {
  if (sigma === 0) return 1 / (1 + Math.exp(-a));
  const steps = 4000;
  let s = 0;
  for (let i = 0; i <= steps; i++) {
    const z = -8 + (16 * i) / steps;
    const w = (i === 0 || i === steps ? 0.5 : 1) * Math.exp((-z * z) / 2);
    s += w / (1 + Math.exp(-(a + sigma * z)));
  }
  return (s * (16 / steps)) / Math.sqrt(2 * Math.PI);
}

const noLeadingZeroIcc = (v: number) => (v === 0 ? "0" : String(v).replace(/^0/, ""));

function print(rows: string[][]): void {
  const head = [
    "Interval",
    "ICC",
    "Therapists",
    "Naive",
    "Cluster-aware",
    "Cluster bootstrap, percentile",
    "Cluster bootstrap, BCa",
  ];
  const sorted = [...rows].sort(
    (a, b) => a[0]!.localeCompare(b[0]!) || Number(a[1]) - Number(b[1]) || Number(a[2]) - Number(b[2]),
  );
  if (MARKDOWN) {
    console.log(`| ${head.join(" | ")} |`);
    console.log(`|${head.map((_, i) => (i < 1 ? "---" : "---:")).join("|")}|`);
    for (const r of sorted) console.log(`| ${r.join(" | ")} |`);
  } else {
    console.log(head.join("\t"));
    for (const r of sorted) console.log(r.join("\t"));
  }
  console.log(
    `\n${REPS} studies per scenario, B = ${B}, seed ${SEED}; Monte Carlo SE of a coverage near 95%: ${(100 * Math.sqrt((0.95 * 0.05) / REPS)).toFixed(2)} points.`,
  );
}

main();
