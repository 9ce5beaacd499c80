/**
 * Derive's session-level work: the alliance and outcome over each episode's kept sessions
 * (validate's v_course), in DuckDB window functions, summed to what the dynamics analyses need —
 * the ruptures and sudden shifts found (few rows), their counts by tier, the mean alliance by session
 * number, and the lagged models' sums by episode size. The rules are those of analyses/ruptures.ts
 * and analyses/sudden-gains.ts, written as SQL (test/stages/session-course.test.ts holds the two
 * to the same answers); docs/dynamics.md gives them with their sources.
 *   session  the episode's sessions numbered 1, 2, … in date order; day = days since admission
 *   rated    its sessions with an alliance rating, numbered t = 1 … n
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import type { SizeClass } from "../../../analyses/random-intercept-by-size.ts";
import type { Study } from "../../config/study.ts";
import { type Db, queryRows, queryTyped } from "../../db.ts";
import {
  RUPTURE_OUTCOMES,
  type RuptureColumns,
  type RuptureCount,
  type SessionCourse,
  type ShiftRecord,
} from "../handoff.ts";
import { TABLES } from "../tables.ts";

/** The sessions up to which the mean alliance by session number is shown. */
export const COURSE_SESSIONS = 20;

/** The ks of the rupture rule always counted side by side (Strauss et al. 2006; Stiles et al. 2004). */
export const RUPTURE_KS = [1, 2];

/**
 * Decimal places of the SDs and means summed here: DuckDB adds in parallel, so the last bits of a
 * float sum depend on the order of addition; rounded, a run gives the same numbers every time (as
 * derive's MEAN_DIGITS). The lagged models' sums are not rounded; their fits are (analyze-dynamics.ts).
 */
const DIGITS = 10;

/**
 * The exact types the lagged models' terms are added in: 8 decimals in 64 bits (fast) when every
 * term fits (below 10^9), else 10 decimals in 128 bits.
 */
const EXACT_SMALL = "DECIMAL(18, 8)";
const EXACT_WIDE = "DECIMAL(38, 10)";

/** A drop within this share of k·s counts as k·s (analyses/ruptures.ts). */
const ROUNDING = 1e-9;

/**
 * Builds the session course from v_course and the derived episodes' table (`episodes`: src_row,
 * admit_date, tier, outcome_first) and drops the scratch tables it made.
 */
export async function sessionCourse(db: Db, study: Study, episodes: string): Promise<SessionCourse> {
  const { ruptureSd, repairSessions, detrend } = study.dynamics;
  const leads = Array.from({ length: repairSessions }, (_, i) => i + 1);
  // One window pass numbers the sessions and, for the rated ones, gives what the rupture rule needs
  // over the rated sessions alone (IGNORE NULLS skips the sessions without a rating): t, n, the
  // episode's SD, the rating before and the R after, and their days.
  const day = "date_diff('day', e.admit_date::DATE, c.session_date)::INTEGER";
  await db.run(`
    CREATE OR REPLACE TEMP TABLE c_sessions AS
    SELECT c.ep, e.tier, row_number() OVER w::INTEGER AS session, ${day} AS day, c.session_date, c.alliance, c.outcome,
           count(c.alliance) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS t,
           count(c.alliance) OVER (PARTITION BY c.ep) AS n,
           stddev_samp(c.alliance) OVER (PARTITION BY c.ep) AS own_sd,
           lag(c.alliance IGNORE NULLS) OVER w AS prev,
           ${leads
             .map(
               (u) =>
                 `lead(c.alliance, ${u} IGNORE NULLS) OVER w AS a${u}, lead(CASE WHEN c.alliance IS NOT NULL THEN ${day} END, ${u} IGNORE NULLS) OVER w AS d${u}`,
             )
             .join(", ")}
    FROM ${TABLES.course.name} c JOIN ${episodes} e ON e.src_row = c.ep
    WINDOW w AS (PARTITION BY c.ep ORDER BY c.session_date)`);
  await db.run(
    `CREATE OR REPLACE TEMP VIEW c_rated AS SELECT *, alliance AS a FROM c_sessions WHERE alliance IS NOT NULL`,
  );
  const [pool] = await queryRows<{ pooled: number | null; none: number; few: number; enough: number }>(
    db,
    `SELECT round(sqrt(sum(own_sd * own_sd * (n - 1)) FILTER (WHERE n >= 3) / sum(n - 1) FILTER (WHERE n >= 3)), ${DIGITS}) AS pooled,
            ((SELECT count(*) FROM ${episodes}) - count(*))::DOUBLE AS none,
            (count(*) FILTER (WHERE n < 3))::DOUBLE AS few, (count(*) FILTER (WHERE n >= 3))::DOUBLE AS enough
     FROM c_rated WHERE t = 1`,
  );
  const pooled = pool!.pooled !== null && pool!.pooled > 0 ? pool!.pooled : null;
  const ks = [...new Set([...RUPTURE_KS, ruptureSd])].sort((a, b) => a - b);
  const order = (t: string | null) => (t === null ? Infinity : study.tiers.labels.indexOf(t));
  const rupture_counts = (pooled === null ? [] : await ruptureCounts(db, ks, pooled, repairSessions)).sort(
    (a, b) => a.k - b.k || order(a.tier) - order(b.tier),
  );
  const ruptures = pooled === null ? NO_RUPTURES : await ruptureList(db, ruptureSd, pooled, repairSessions);
  const gain_cutoff = await gainCutoff(db, study, episodes);
  const { scored, shifts } = gain_cutoff
    ? await suddenShiftList(db, study, gain_cutoff.value)
    : { scored: 0, shifts: [] };
  await db.run(
    "CREATE OR REPLACE TEMP TABLE c_eligible AS SELECT ep::DOUBLE AS ep FROM c_rated WHERE t = 1 AND n >= 3 ORDER BY ep",
  );
  const eligible = (await queryTyped(db, "c_eligible", { ep: "number" }))["ep"] as Float64Array;
  const alliance_by_session = await queryRows<SessionCourse["alliance_by_session"][number]>(
    db,
    `SELECT tier, session, count(*)::DOUBLE AS n, round(avg(alliance), ${DIGITS}) AS mean, round(stddev_samp(alliance), ${DIGITS}) AS sd
     FROM c_sessions WHERE alliance IS NOT NULL AND tier IS NOT NULL AND session <= ${COURSE_SESSIONS}
     GROUP BY tier, session ORDER BY tier, session`,
  ).then((rows) => rows.sort((a, b) => order(a.tier) - order(b.tier) || a.session - b.session));
  const [forward, reverse, detrended] = await laggedSums(db, [
    { next: "outcome", own: "alliance", centre: "mean" },
    { next: "alliance", own: "outcome", centre: "mean" },
    ...(detrend ? [{ next: "outcome" as const, own: "alliance" as const, centre: "trend" as const }] : []),
  ]);
  const lagged = { forward: forward!, reverse: reverse!, detrended: detrended ?? null };
  await db.run("DROP VIEW c_rated; DROP TABLE c_sessions; DROP TABLE c_eligible");
  return {
    pooled_sd: pooled,
    rated: { none: pool!.none, few: pool!.few, enough: pool!.enough },
    rupture_counts,
    ruptures,
    eligible,
    gain_cutoff,
    scored_episodes: scored,
    shifts,
    alliance_by_session,
    lagged,
  };
}

/** SQL: the rated sessions that are ruptures at k (the episode's s the larger of its SD and the pooled). */
const isRupture = (k: number, pooled: number) =>
  `n >= 3 AND t >= 2 AND prev - a >= ${k} * greatest(coalesce(own_sd, 0), ${pooled}) * ${1 - ROUNDING}`;

/** SQL: after how many rated sessions the rupture was repaired (NULL: not within R). */
const repairedAfter = (r: number) =>
  `CASE ${Array.from({ length: r }, (_, i) => `WHEN a${i + 1} >= prev THEN ${i + 1}`).join(" ")} END`;

/** SQL: the rupture's outcome, from repairedAfter and whether R rated sessions follow. */
const outcomeSql = (r: number) =>
  `CASE WHEN ${repairedAfter(r)} IS NOT NULL THEN 'repaired' WHEN t + ${r} <= n THEN 'unrepaired' ELSE 'ended' END`;

async function ruptureCounts(db: Db, ks: number[], pooled: number, r: number): Promise<RuptureCount[]> {
  const parts = ks.map(
    (k) => `
    SELECT ${k}::DOUBLE AS k, tier, count(DISTINCT ep)::DOUBLE AS with_rupture, count(*)::DOUBLE AS ruptures,
           count(*) FILTER (WHERE o = 'repaired')::DOUBLE AS repaired,
           count(*) FILTER (WHERE o = 'unrepaired')::DOUBLE AS unrepaired,
           count(*) FILTER (WHERE o = 'ended')::DOUBLE AS ended
    FROM (SELECT ep, tier, ${outcomeSql(r)} AS o FROM c_rated WHERE ${isRupture(k, pooled)})
    GROUP BY tier`,
  );
  const rows = await queryRows<Omit<RuptureCount, "episodes">>(db, parts.join(" UNION ALL "));
  const eligible = await queryRows<{ tier: string | null; episodes: number }>(
    db,
    "SELECT tier, count(*)::DOUBLE AS episodes FROM c_rated WHERE t = 1 AND n >= 3 GROUP BY tier",
  );
  return ks.flatMap((k) =>
    eligible.map((e) => {
      const row = rows.find((x) => x.k === k && x.tier === e.tier);
      return {
        k,
        tier: e.tier,
        episodes: e.episodes,
        with_rupture: row?.with_rupture ?? 0,
        ruptures: row?.ruptures ?? 0,
        repaired: row?.repaired ?? 0,
        unrepaired: row?.unrepaired ?? 0,
        ended: row?.ended ?? 0,
      };
    }),
  );
}

/** The ruptures at k, read out as typed columns (a million episodes have about as many ruptures). */
async function ruptureList(db: Db, k: number, pooled: number, r: number): Promise<RuptureColumns> {
  const repairedDay = `CASE ${Array.from({ length: r }, (_, i) => `WHEN a${i + 1} >= prev THEN d${i + 1}`).join(" ")} END`;
  const outcome = `CASE ${outcomeSql(r)} ${RUPTURE_OUTCOMES.map((o, i) => `WHEN '${o}' THEN ${i}`).join(" ")} END`;
  await db.run(`
    CREATE OR REPLACE TEMP TABLE c_ruptures AS
    SELECT ep::DOUBLE AS ep, t::DOUBLE AS at, day::DOUBLE AS day, prev - a AS drop,
           (${repairedDay})::DOUBLE AS repaired_day, (${outcome})::DOUBLE AS outcome
    FROM c_rated WHERE ${isRupture(k, pooled)} ORDER BY ep, t`);
  const c = await queryTyped(db, "c_ruptures", {
    ep: "number",
    at: "number",
    day: "number",
    drop: "number",
    repaired_day: "number",
    outcome: "number",
  });
  await db.run("DROP TABLE c_ruptures");
  const ep = c["ep"] as Float64Array;
  return {
    n: ep.length,
    ep,
    at: c["at"] as Float64Array,
    day: c["day"] as Float64Array,
    drop: c["drop"] as Float64Array,
    repaired_day: c["repaired_day"] as Float64Array,
    outcome: Uint8Array.from(c["outcome"] as Float64Array),
  };
}

/** No ruptures (no episode with 3 or more ratings). */
const NO_RUPTURES: RuptureColumns = {
  n: 0,
  ep: new Float64Array(0),
  at: new Float64Array(0),
  day: new Float64Array(0),
  drop: new Float64Array(0),
  repaired_day: new Float64Array(0),
  outcome: new Uint8Array(0),
};

/** The cut-off of the first criterion: the config's, or the RCI from the first outcome scores' SD. */
async function gainCutoff(db: Db, study: Study, episodes: string): Promise<SessionCourse["gain_cutoff"]> {
  const given = study.dynamics.suddenGainCutoff;
  if (given !== null) return { value: given, source: "config" };
  const reliability = study.outcome.reliability;
  if (reliability === undefined) return null;
  const [row] = await queryRows<{ sd: number | null }>(
    db,
    `SELECT round(stddev_samp(outcome_first), ${DIGITS}) AS sd FROM ${episodes}`,
  );
  const sd = row?.sd ?? null;
  if (sd === null || !(sd > 0)) return null;
  return { value: 1.96 * Math.SQRT2 * sd * Math.sqrt(1 - reliability), source: "reliable_change", sd };
}

/** Every sudden gain and loss (Tang & DeRubeis's three criteria, analyses/sudden-gains.ts) with the scores around it. */
async function suddenShiftList(
  db: Db,
  study: Study,
  cutoff: number,
): Promise<{ scored: number; shifts: ShiftRecord[] }> {
  const critical = [2, 3, 4].map((df) => `WHEN ${df} THEN ${tQuantile(0.975, df)}`).join(" ");
  // up = +1 when the kind is a rise in score (a gain on a higher-is-better scale, a loss on a lower-is-better one).
  const kinds = (["gain", "loss"] as const).map((kind) => {
    const up = (kind === "gain") === study.outcome.higher_is_better ? 1 : -1;
    const change = `${up} * (y1 - y)`;
    return `
      SELECT ep, '${kind}' AS kind, session AS pos, ${change} AS magnitude,
             coalesce(${up} * (${up === 1 ? "later_min" : "later_max"} - (y1 - ${up} * (${change}) / 2)) < 0, FALSE) AS reversal
      FROM c_candidates WHERE ${change} >= ${cutoff} AND ${change} >= 0.25 * y
        AND ${up} * (mpost - mpre) > crit * sqrt(((npre - 1) * coalesce(vpre, 0) + (npost - 1) * coalesce(vpost, 0)) / (npre + npost - 2))`;
  });
  // One pass over the sessions (lags and leads only) keeps the changes that pass criterion 1 either
  // way, few; the windows' counts, means and variances and the later scores (for a reversal) are
  // then taken for those alone.
  await db.run(`
    CREATE OR REPLACE TEMP TABLE c_near AS
    SELECT * FROM (
      SELECT ep, session, outcome AS y, lead(outcome) OVER w AS y1,
             [lag(outcome, 2) OVER w, lag(outcome, 1) OVER w, outcome] AS pre,
             [lead(outcome, 1) OVER w, lead(outcome, 2) OVER w, lead(outcome, 3) OVER w] AS post
      FROM c_sessions WINDOW w AS (PARTITION BY ep ORDER BY session))
    WHERE y IS NOT NULL AND y1 IS NOT NULL AND abs(y1 - y) >= ${cutoff}`);
  await db.run(`
    CREATE OR REPLACE TEMP TABLE c_candidates AS
    SELECT *, CASE npre + npost - 2 ${critical} END AS crit FROM (
      SELECT n.ep, n.session, n.y, n.y1, len(pre) AS npre, list_avg(pre) AS mpre, list_var_samp(pre) AS vpre,
             len(post) AS npost, list_avg(post) AS mpost, list_var_samp(post) AS vpost,
             (SELECT min(c.outcome) FROM c_sessions c WHERE c.ep = n.ep AND c.session >= n.session + 2) AS later_min,
             (SELECT max(c.outcome) FROM c_sessions c WHERE c.ep = n.ep AND c.session >= n.session + 2) AS later_max
      FROM (SELECT ep, session, y, y1, list_filter(pre, v -> v IS NOT NULL) AS pre, list_filter(post, v -> v IS NOT NULL) AS post
            FROM c_near) n)
    WHERE npre >= 2 AND npost >= 2`);
  await db.run(`CREATE OR REPLACE TEMP TABLE c_shifts AS ${kinds.join(" UNION ALL ")}`);
  // The scores around each shift, from its own episode's sessions n−2 … n+3.
  const at = (col: string) =>
    `[${[-2, -1, 0, 1, 2, 3].map((o) => `max(CASE WHEN c.session = s.pos + ${o} THEN c.${col} END)`).join(", ")}]`;
  const shifts = await queryRows<ShiftRecord>(
    db,
    `SELECT s.ep::DOUBLE AS ep, s.kind, s.pos::DOUBLE AS at, s.magnitude, s.reversal,
            ${at("outcome")} AS outcome_around, ${at("alliance")} AS alliance_around
     FROM c_shifts s JOIN c_sessions c ON c.ep = s.ep AND c.session BETWEEN s.pos - 2 AND s.pos + 3
     GROUP BY s.ep, s.kind, s.pos, s.magnitude, s.reversal ORDER BY s.ep, s.pos, s.kind`,
  );
  await db.run("DROP TABLE c_near; DROP TABLE c_candidates; DROP TABLE c_shifts");
  const [row] = await queryRows<{ scored: number }>(
    db,
    "SELECT count(*)::DOUBLE AS scored FROM (SELECT ep FROM c_sessions GROUP BY ep HAVING count(outcome) >= 4)",
  );
  return { scored: row!.scored, shifts };
}

/** One lagged model: `next` at t+1 on `own` at t, centred on the episode's mean of it or its own line ("trend"). */
interface LaggedSpec {
  next: "outcome" | "alliance";
  own: "outcome" | "alliance";
  centre: "mean" | "trend";
}

/**
 * The lagged models' sums by episode size, all models in one pass over the sessions: `next` at
 * session t+1 on `own` at t centred on the episode's mean of it (or, "trend", less its own line over
 * session number; 3 or more ratings), that mean, `next` at t, and the session number t. Pairs are
 * consecutive sessions of an episode with all four present.
 * Every sum is exact: each term is rounded to 1e-8 (1e-10 for large scores) and added as a DECIMAL, so the sums do
 * not depend on the order DuckDB adds the rows in (parallel, or the file's own order): the same
 * sessions give the same fit from any format or layout.
 */
async function laggedSums(db: Db, specs: LaggedSpec[]): Promise<SizeClass[][]> {
  // The largest term is a product of two scores, a score and a session number, or two session numbers.
  const [range] = await queryRows<{ m: number | null }>(
    db,
    "SELECT greatest(max(abs(alliance)), max(abs(outcome)), max(session))::DOUBLE AS m FROM c_sessions",
  );
  const EXACT = (range?.m ?? 0) ** 2 * 4 < 1e9 ? EXACT_SMALL : EXACT_WIDE;
  const x = ["1.0", "within", "between", "now", "session::DOUBLE"];
  const p = x.length;
  const vars = [...new Set(specs.map((s) => s.own))];
  // Each variable's exact sums over the episode: for its mean and its line over session number.
  const episodeSums = vars.flatMap((v) => {
    const rated = `CASE WHEN ${v} IS NOT NULL THEN session END`;
    return [
      `sum(${v}::${EXACT}) OVER e AS ${v}_s`,
      `count(${v}) OVER e AS ${v}_n`,
      `sum((${rated})::${EXACT}) OVER e AS ${v}_st`,
      `sum((${rated} * ${rated})::${EXACT}) OVER e AS ${v}_stt`,
      `sum((${v} * session)::${EXACT}) OVER e AS ${v}_sat`,
    ];
  });
  const rows = `
    SELECT ep, session, alliance, outcome, lead(alliance) OVER w AS alliance_next, lead(outcome) OVER w AS outcome_next,
           ${episodeSums.join(", ")}
    FROM c_sessions WINDOW e AS (PARTITION BY ep), w AS (PARTITION BY ep ORDER BY session)`;
  // Model k's terms as SQL over those rows; NULL where the pair is incomplete.
  const terms = specs.map(({ next, own, centre }) => {
    const mean = `${own}_s::DOUBLE / ${own}_n`;
    const slope = `(${own}_n * ${own}_sat::DOUBLE - ${own}_st::DOUBLE * ${own}_s::DOUBLE) / (${own}_n * ${own}_stt::DOUBLE - ${own}_st::DOUBLE * ${own}_st::DOUBLE)`;
    const within =
      centre === "mean"
        ? `${own} - ${mean}`
        : `CASE WHEN ${own}_n >= 3 THEN ${own} - (${mean} + ${slope} * (session - ${own}_st::DOUBLE / ${own}_n)) END`;
    const complete = `(${own} IS NOT NULL AND ${next} IS NOT NULL AND ${next}_next IS NOT NULL${centre === "trend" ? ` AND ${own}_n >= 3` : ""})`;
    const col = (e: string) => `CASE WHEN ${complete} THEN ${e} END`;
    return {
      complete,
      x: [col("1.0"), col(within), col(mean), col(next), col("session::DOUBLE")],
      y: col(`${next}_next`),
    };
  });
  const cells = (f: (a: number, b: number) => string) =>
    Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => f(a, b))).flat();
  const exact = (e: string) => `sum((${e})::${EXACT})`;
  // Only the terms that vary within an episode are summed row by row (within, now, session: 0-based
  // 1, 3, 4); the constant 1 and the episode's mean (0 and 2) enter through its count and mean.
  const varying = [1, 3, 4];
  const perEpisode = terms.flatMap((t, k) => [
    `count(*) FILTER (WHERE ${t.complete}) AS m${k}`,
    `max(${t.x[2]}) AS k${k}_mean`,
    ...varying.map((a) => `${exact(t.x[a]!)} AS k${k}_sx${a}`),
    ...varying.flatMap((a) =>
      varying.filter((b) => b >= a).map((b) => `${exact(`(${t.x[a]}) * (${t.x[b]})`)} AS k${k}_sxx${a}_${b}`),
    ),
    ...varying.map((a) => `${exact(`(${t.x[a]}) * ${t.y}`)} AS k${k}_sxy${a}`),
    `${exact(t.y)} AS k${k}_sy`,
    `${exact(`${t.y} * ${t.y}`)} AS k${k}_syy`,
  ]);
  await db.run(`CREATE OR REPLACE TEMP TABLE c_lagged AS SELECT ${perEpisode.join(", ")} FROM (${rows}) GROUP BY ep`);
  const out: SizeClass[][] = [];
  for (let k = 0; k < specs.length; k++) out.push(await sizeClassSums(db, k));
  await db.run("DROP TABLE c_lagged");
  return out;
}

/**
 * Model k's sums by episode size, from its per-episode sums in c_lagged: the constant's and the
 * episode mean's sums come from each episode's count and mean, each product exact again (every term
 * rounded and added in 128 bits).
 */
async function sizeClassSums(db: Db, k: number): Promise<SizeClass[]> {
  const x = [0, 1, 2, 3, 4];
  const p = x.length;
  const cells = (f: (a: number, b: number) => string) =>
    Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => f(a, b))).flat();
  const sym = (a: number, b: number) => (a <= b ? `${a}_${b}` : `${b}_${a}`);
  const c = (name: string) => `k${k}_${name}`;
  const m = `m${k}::DOUBLE`;
  const mean = c("mean");
  /** An episode's Σ x_a (as SQL): its count for the constant, count × mean for the mean. */
  const sx = (a: number) => (a === 0 ? m : a === 2 ? `${m} * ${mean}` : `${c(`sx${a}`)}::DOUBLE`);
  /** An episode's Σ x_a x_b: a constant or the mean factors out of the sum. */
  const sxx = (a: number, b: number): string => {
    if (a > b) return sxx(b, a);
    const factor = (i: number) => (i === 0 ? "1.0" : mean);
    if (a === 0 || a === 2)
      return b === 0 || b === 2
        ? `${sx(a === 2 ? 2 : b)} * ${b === 2 && a === 2 ? mean : factor(a)}`
        : `${factor(a)} * ${sx(b)}`;
    return b === 0 || b === 2 ? `${factor(b)} * ${sx(a)}` : `${c(`sxx${a}_${b}`)}::DOUBLE`;
  };
  const sxy = (a: number) =>
    a === 0 ? `${c("sy")}::DOUBLE` : a === 2 ? `${mean} * ${c("sy")}::DOUBLE` : `${c(`sxy${a}`)}::DOUBLE`;
  // Summed over the episodes of one size: exact again (each term rounded, added in 128 bits).
  const total = (e: string) => `sum((coalesce(${e}, 0))::${EXACT_WIDE})::DOUBLE`;
  const classRows = await queryRows<Record<string, number>>(
    db,
    `SELECT m${k}::DOUBLE AS m, count(*)::DOUBLE AS groups,
            ${cells((a, b) =>
              a <= b ? `${total(sxx(a, b))} AS sxx${a}_${b}, ${total(`${sx(a)} * ${sx(b)}`)} AS ox${a}_${b}` : "",
            )
              .filter(Boolean)
              .join(", ")},
            ${x.map((_, a) => `${total(sxy(a))} AS sxy${a}, ${total(`${sx(a)} * ${c("sy")}::DOUBLE`)} AS oxy${a}`).join(", ")},
            ${total(`${c("syy")}::DOUBLE`)} AS syy, ${total(`${c("sy")}::DOUBLE * ${c("sy")}::DOUBLE`)} AS oyy
     FROM c_lagged WHERE m${k} > 0 GROUP BY m${k} ORDER BY m${k}`,
  );
  return classRows.map((r) => ({
    m: r["m"]!,
    groups: r["groups"]!,
    sxx: cells((a, b) => `sxx${sym(a, b)}`).map((key) => r[key]!),
    ox: cells((a, b) => `ox${sym(a, b)}`).map((key) => r[key]!),
    sxy: x.map((_, a) => r[`sxy${a}`]!),
    oxy: x.map((_, a) => r[`oxy${a}`]!),
    syy: r["syy"]!,
    oyy: r["oyy"]!,
  }));
}
