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
  };
}
