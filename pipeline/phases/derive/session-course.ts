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
import type { RuptureCount, RuptureRecord, SessionCourse, ShiftRecord } from "../handoff.ts";
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

/** The exact type the lagged models' terms are added in: 28 digits before the point, 10 after. */
const EXACT = "DECIMAL(38, 10)";

/** A drop within this share of k·s counts as k·s (analyses/ruptures.ts). */
const ROUNDING = 1e-9;

/**
 * Builds the session course from v_course and the derived episodes' table (`episodes`: src_row,
 * admit_date, tier, outcome_first) and drops the scratch tables it made.
 */
export async function sessionCourse(db: Db, study: Study, episodes: string): Promise<SessionCourse> {
  const { ruptureSd, repairSessions, detrend } = study.dynamics;
  await db.run(`
    CREATE OR REPLACE TEMP TABLE c_sessions AS
    SELECT c.ep, e.tier, row_number() OVER (PARTITION BY c.ep ORDER BY c.session_date)::INTEGER AS session,
           date_diff('day', e.admit_date::DATE, c.session_date)::INTEGER AS day, c.session_date, c.alliance, c.outcome
    FROM ${TABLES.course.name} c JOIN ${episodes} e ON e.src_row = c.ep`);
  const leads = Array.from({ length: repairSessions }, (_, i) => i + 1);
  await db.run(`
    CREATE OR REPLACE TEMP TABLE c_rated AS
    SELECT ep, tier, day, session_date, alliance AS a,
           row_number() OVER w AS t, count(*) OVER (PARTITION BY ep) AS n,
           stddev_samp(alliance) OVER (PARTITION BY ep) AS own_sd,
           lag(alliance) OVER w AS prev,
           ${leads.map((u) => `lead(alliance, ${u}) OVER w AS a${u}, lead(day, ${u}) OVER w AS d${u}`).join(", ")}
    FROM c_sessions WHERE alliance IS NOT NULL
    WINDOW w AS (PARTITION BY ep ORDER BY session)`);
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
  const ruptures = pooled === null ? [] : await ruptureList(db, ruptureSd, pooled, repairSessions);
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
  const lagged = {
    forward: await laggedSums(db, "outcome", "alliance", "mean"),
    reverse: await laggedSums(db, "alliance", "outcome", "mean"),
    detrended: detrend ? await laggedSums(db, "outcome", "alliance", "trend") : null,
  };
  await db.run("DROP TABLE c_rated; DROP TABLE c_sessions; DROP TABLE c_eligible");
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

async function ruptureList(db: Db, k: number, pooled: number, r: number): Promise<RuptureRecord[]> {
  const repairedDay = `CASE ${Array.from({ length: r }, (_, i) => `WHEN a${i + 1} >= prev THEN d${i + 1}`).join(" ")} END`;
  return queryRows<RuptureRecord>(
    db,
    `SELECT ep::DOUBLE AS ep, t::DOUBLE AS at, day::DOUBLE AS day, strftime(session_date, '%Y-%m-%d') AS date,
            prev - a AS drop, ${outcomeSql(r)} AS outcome, (${repairedDay})::DOUBLE AS repaired_day
     FROM c_rated WHERE ${isRupture(k, pooled)} ORDER BY ep, t`,
  );
}

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
  const around = (col: string) => [
    `lag(${col}, 2) OVER w`,
    `lag(${col}, 1) OVER w`,
    col,
    `lead(${col}, 1) OVER w`,
    `lead(${col}, 2) OVER w`,
    `lead(${col}, 3) OVER w`,
  ];
  // up = +1 when the kind is a rise in score (a gain on a higher-is-better scale, a loss on a lower-is-better one).
  const kinds = (["gain", "loss"] as const).map((kind) => {
    const up = (kind === "gain") === study.outcome.higher_is_better ? 1 : -1;
    const change = `${up} * (y1 - y)`;
    return `
      SELECT ep, '${kind}' AS kind, session AS pos, ${change} AS magnitude,
             coalesce(${up} * (${up === 1 ? "later_min" : "later_max"} - (y1 - ${up} * (${change}) / 2)) < 0, FALSE) AS reversal,
             o_around, a_around
      FROM g WHERE ${change} >= ${cutoff} AND ${change} >= 0.25 * y
        AND ${up} * (mpost - mpre) > crit * sqrt(((npre - 1) * coalesce(vpre, 0) + (npost - 1) * coalesce(vpost, 0)) / (npre + npost - 2))`;
  });
  const shifts = await queryRows<ShiftRecord>(
    db,
    `WITH w0 AS (
       SELECT ep, session, outcome AS y, lead(outcome) OVER w AS y1,
              count(outcome) OVER pre AS npre, avg(outcome) OVER pre AS mpre, var_samp(outcome) OVER pre AS vpre,
              count(outcome) OVER post AS npost, avg(outcome) OVER post AS mpost, var_samp(outcome) OVER post AS vpost,
              min(outcome) OVER later AS later_min, max(outcome) OVER later AS later_max,
              [${around("outcome").join(", ")}] AS o_around, [${around("alliance").join(", ")}] AS a_around
       FROM c_sessions
       WINDOW w AS (PARTITION BY ep ORDER BY session),
              pre AS (PARTITION BY ep ORDER BY session ROWS BETWEEN 2 PRECEDING AND CURRENT ROW),
              post AS (PARTITION BY ep ORDER BY session ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING),
              later AS (PARTITION BY ep ORDER BY session ROWS BETWEEN 2 FOLLOWING AND UNBOUNDED FOLLOWING)),
     g AS (SELECT *, CASE npre + npost - 2 ${critical} END AS crit FROM w0
           WHERE y IS NOT NULL AND y1 IS NOT NULL AND npre >= 2 AND npost >= 2)
     SELECT ep::DOUBLE AS ep, kind, pos::DOUBLE AS at, magnitude, reversal, o_around AS outcome_around, a_around AS alliance_around
     FROM (${kinds.join(" UNION ALL ")}) ORDER BY ep, pos, kind`,
  );
  const [row] = await queryRows<{ scored: number }>(
    db,
    "SELECT count(*)::DOUBLE AS scored FROM (SELECT ep FROM c_sessions GROUP BY ep HAVING count(outcome) >= 4)",
  );
  return { scored: row!.scored, shifts };
}

/**
 * The lagged model's sums by episode size: `next` at session t+1 on `own` at t centred on the
 * episode's mean of it (or, "trend", less its own line over session number; 3 or more ratings),
 * that mean, `next` at t, and the session number t. Pairs are consecutive sessions of an episode
 * with all four present.
 * Every sum is exact: each term is rounded to 1e-10 (EXACT) and added as a DECIMAL, so the sums do
 * not depend on the order DuckDB adds the rows in (parallel, or the file's own order): the same
 * sessions give the same fit from any format or layout.
 */
async function laggedSums(db: Db, next: string, own: string, centre: "mean" | "trend"): Promise<SizeClass[]> {
  const x = ["1.0", "within", "between", "now", "session::DOUBLE"];
  const p = x.length;
  const rated = `CASE WHEN ${own} IS NOT NULL THEN session END`;
  const sums = `
    SELECT ep, session, ${own} AS own, ${next} AS now, lead(${next}) OVER w AS y,
           sum(${own}::${EXACT}) OVER e AS sa, count(${own}) OVER e AS na,
           sum((${rated})::${EXACT}) OVER e AS st, sum((${rated} * ${rated})::${EXACT}) OVER e AS stt,
           sum((${own} * session)::${EXACT}) OVER e AS sat
    FROM c_sessions WINDOW e AS (PARTITION BY ep), w AS (PARTITION BY ep ORDER BY session)`;
  // The episode's mean, and its least-squares line over session number, from exact sums.
  const mean = "sa::DOUBLE / na";
  const slope = "(na * sat::DOUBLE - st::DOUBLE * sa::DOUBLE) / (na * stt::DOUBLE - st::DOUBLE * st::DOUBLE)";
  const centred =
    centre === "mean"
      ? `own - ${mean}`
      : `CASE WHEN na >= 3 THEN own - (${mean} + ${slope} * (session - st::DOUBLE / na)) END`;
  const pairs = `SELECT ep, ${centred} AS within, ${mean} AS between, now, y, session FROM (${sums})`;
  const cells = (f: (a: number, b: number) => string) =>
    Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => f(a, b))).flat();
  const exact = (e: string) => `sum((${e})::${EXACT})`;
  const perEpisode = [
    "count(*) AS m",
    ...x.map((v, a) => `${exact(v)} AS sx${a}`),
    ...cells((a, b) => (a <= b ? `${exact(`(${x[a]}) * (${x[b]})`)} AS sxx${a}_${b}` : "")).filter(Boolean),
    ...x.map((v, a) => `${exact(`(${v}) * y`)} AS sxy${a}`),
    `${exact("y")} AS sy`,
    `${exact("y * y")} AS syy`,
  ];
  const sym = (a: number, b: number) => (a <= b ? `${a}_${b}` : `${b}_${a}`);
  const product = (u: string, v: string) => exact(`${u}::DOUBLE * ${v}::DOUBLE`);
  const rows = await queryRows<Record<string, number>>(
    db,
    `WITH p AS (SELECT * FROM (${pairs}) WHERE within IS NOT NULL AND between IS NOT NULL AND now IS NOT NULL AND y IS NOT NULL),
     g AS (SELECT ${perEpisode.join(", ")} FROM p GROUP BY ep)
     SELECT m::DOUBLE AS m, count(*)::DOUBLE AS groups,
            ${cells((a, b) =>
              a <= b
                ? `sum(sxx${a}_${b})::DOUBLE AS sxx${a}_${b}, ${product(`sx${a}`, `sx${b}`)}::DOUBLE AS ox${a}_${b}`
                : "",
            )
              .filter(Boolean)
              .join(", ")},
            ${x.map((_, a) => `sum(sxy${a})::DOUBLE AS sxy${a}, ${product(`sx${a}`, "sy")}::DOUBLE AS oxy${a}`).join(", ")},
            sum(syy)::DOUBLE AS syy, ${product("sy", "sy")}::DOUBLE AS oyy
     FROM g GROUP BY m ORDER BY m`,
  );
  return rows.map((r) => ({
    m: r["m"]!,
    groups: r["groups"]!,
    sxx: cells((a, b) => `sxx${sym(a, b)}`).map((k) => r[k]!),
    ox: cells((a, b) => `ox${sym(a, b)}`).map((k) => r[k]!),
    sxy: x.map((_, a) => r[`sxy${a}`]!),
    oxy: x.map((_, a) => r[`oxy${a}`]!),
    syy: r["syy"]!,
    oyy: r["oyy"]!,
  }));
}
