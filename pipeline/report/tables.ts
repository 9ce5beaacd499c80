/** The report's tables as CSV files (RFC 4180), built from results.json's suppressed numbers. */
import type { Results } from "../results.ts";

type Cell = string | number | boolean | null;

/** RFC 4180 CSV text. @example toCsv(["a", "b"], [[1, "x,y"]]) // => 'a,b\r\n1,"x,y"\r\n' */
export function toCsv(header: string[], rows: Cell[][]): string {
  const cell = (v: Cell) => {
    const s = v === null ? "" : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** File name → CSV text for every table in the report. Suppressed counts are empty cells with suppressed = true. */
export function reportTables(r: Results): Record<string, string> {
  return {
    "participant_flow.csv": toCsv(
      ["unit", "step", "code", "n", "suppressed"],
      [
        ["episodes", "ingested", "", r.flow.episodes_ingested, false],
        ...r.flow.excluded.map((e): Cell[] => ["episodes", `excluded: ${e.reason}`, e.code, e.n, e.suppressed]),
        ["episodes", "analysed", "", r.flow.episodes_analyzed, r.flow.episodes_analyzed === null],
        ["sessions", "ingested", "", r.flow.sessions.ingested, false],
        ...r.flow.sessions.excluded.map((e): Cell[] => [
          "sessions",
          `excluded: ${e.reason}`,
          e.code,
          e.n,
          e.suppressed,
        ]),
        ["sessions", "used", "", r.flow.sessions.used, r.flow.sessions.used === null],
      ],
    ),
    "correlations.csv": toCsv(
      ["x", "y", "method", "n", "estimate", "ci_low", "ci_high", "df", "t", "p", "apa", "suppressed"],
      r.correlations.map((c) => [
        c.x,
        c.y,
        c.method,
        c.n,
        c.estimate,
        c.ci_low,
        c.ci_high,
        c.df,
        c.t,
        c.p,
        c.apa,
        c.suppressed,
      ]),
    ),
    "dropout_by_tier.csv": toCsv(
      ["tier", "episodes", "closed", "dropouts", "rate", "ci_low", "ci_high", "suppressed"],
      r.dropout_by_tier.map((t) => [
        t.tier,
        t.episodes,
        t.closed,
        t.dropouts,
        t.rate,
        t.ci_low,
        t.ci_high,
        t.suppressed,
      ]),
    ),
    ...(r.dynamics ? dynamicsTables(r.dynamics) : {}),
  };
}

/** The alliance over the sessions: ruptures, sudden shifts, the mean alliance by session and the lagged models. */
function dynamicsTables(d: Dynamics): Record<string, string> {
  return {
    "dynamics_ruptures.csv": ruptureTable(d),
    "dynamics_sudden_shifts.csv": shiftTable(d),
    "dynamics_alliance_by_session.csv": toCsv(
      ["tier", "session", "n", "mean", "ci_low", "ci_high"],
      d.alliance_by_session.map((x) => [x.tier, x.session, x.n, x.mean, x.ci_low, x.ci_high]),
    ),
    "dynamics_within_client.csv": withinTable(d),
  };
}

type Dynamics = NonNullable<Results["dynamics"]>;

function ruptureTable(d: Dynamics): string {
  return toCsv(
    ["k_sd", "tier", "episodes", "with_rupture", "share", "ruptures", "repaired", "unrepaired", "ended_before_repair"],
    d.ruptures.map((x) => [
      x.k,
      x.tier,
      x.episodes,
      x.with_rupture,
      x.share,
      x.ruptures,
      x.repaired,
      x.unrepaired,
      x.ended,
    ]),
  );
}

function shiftTable(d: Dynamics): string {
  const head = ["kind", "shifts", "episodes", "reversals", "magnitude_mean", "magnitude_sd"];
  const around = ["offset", "outcome_n", "outcome_mean", "alliance_n", "alliance_mean"];
  return toCsv(
    [...head, ...around],
    d.sudden.kinds.flatMap((k) =>
      k.around.map((a): Cell[] => [
        ...[k.kind, k.shifts, k.episodes, k.reversals, k.magnitude_mean, k.magnitude_sd],
        ...[a.offset, a.outcome_n, a.outcome_mean, a.alliance_n, a.alliance_mean],
      ]),
    ),
  );
}

function withinTable(d: Dynamics): string {
  const models = [
    ["forward", d.within.forward],
    ["reverse", d.within.reverse],
    ["detrended", d.within.detrended],
  ] as const;
  const head = ["model", "pairs", "episodes", "term", "estimate", "se", "df", "t", "p", "ci_low", "ci_high"];
  return toCsv(
    [...head, "var_episode", "var_residual"],
    models.flatMap(([name, m]) =>
      m
        ? m.coefficients.map((c): Cell[] => [
            ...[name, m.n, m.episodes, c.name, c.estimate, c.se, c.df, c.t, c.p, c.ci_low, c.ci_high],
            ...[m.var_episode, m.var_residual],
          ])
        : [],
    ),
  );
}
