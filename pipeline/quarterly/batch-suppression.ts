/**
 * Small-cell suppression for a whole batch of quarterly reports at once. For each period, one
 * table holds every site's counts and the program's (its total row); the funnel's window has its
 * own. Each table is suppressed so that no hidden count can be worked out by subtraction from
 * anything any report of the batch shows (analyses/suppression-audit.ts): a site's count cannot be
 * recovered from the program's total and the other sites', nor a dropout count from the discharges
 * and the other discharges. Every report of the batch reads the same masks, so the program report,
 * the site reports and their comparisons agree on what is withheld.
 */
import { suppressTable, type Constraint } from "../../analyses/suppression-audit.ts";
import type { PeriodCounts } from "./period-figures.ts";

/**
 * Columns of a period's count table. Identities: lowest + other tiers = rated; dropouts + other =
 * discharges; clients with an unrepaired rupture + the other followed clients = those followed. Admissions without a rating (admissions − rated) are a data-quality count about the
 * record, not about the client, and are shown as they are; so they are not a cell here.
 */
export const PERIOD_COLUMNS = [
  "lowest_tier",
  "other_tiers",
  "rated",
  "admissions",
  "dropouts",
  "other_discharges",
  "discharges",
  "active",
  "unrepaired",
  "other_followed",
  "followed",
] as const;
export type PeriodColumn = (typeof PERIOD_COLUMNS)[number];
const IDENTITIES: [PeriodColumn[], PeriodColumn][] = [
  [["lowest_tier", "other_tiers"], "rated"],
  [["dropouts", "other_discharges"], "discharges"],
  [["unrepaired", "other_followed"], "followed"],
];

/** Columns of the funnel's table: dropouts + other discharges = discharges. */
export const FUNNEL_COLUMNS = ["dropouts", "other_discharges", "discharges"] as const;
export type FunnelColumn = (typeof FUNNEL_COLUMNS)[number];

/** Which cells are withheld, by group ("" = the program) and column. */
export type Mask<C extends string> = Map<string, Set<C>>;

export const PROGRAM = "";

export function periodCells(c: PeriodCounts): Record<PeriodColumn, number> {
  return {
    lowest_tier: c.lowest_tier,
    other_tiers: c.rated - c.lowest_tier,
    rated: c.rated,
    admissions: c.admissions,
    dropouts: c.dropouts,
    other_discharges: c.discharges - c.dropouts,
    discharges: c.discharges,
    active: c.active,
    unrepaired: c.unrepaired,
    other_followed: c.followed - c.unrepaired,
    followed: c.followed,
  };
}

/**
 * Suppress one table: rows are the groups (sites) then the program, which is their total.
 * @param rows group → its cells; the program's row is under PROGRAM
 */
export function suppressGroups<C extends string>(
  rows: Map<string, Record<C, number>>,
  columns: readonly C[],
  identities: [C[], C][],
  minCellSize: number,
): Mask<C> {
  const groups = [...rows.keys()].filter((g) => g !== PROGRAM);
  const order = [...groups, PROGRAM];
  const counts = order.map((g) => columns.map((c) => rows.get(g)![c]));
  const col = (c: C) => columns.indexOf(c);
  const constraints: Constraint[] = [];
  order.forEach((_, i) => {
    for (const [parts, total] of identities)
      constraints.push({ parts: parts.map((p) => [i, col(p)] as const), total: [i, col(total)] });
  });
  if (groups.length) {
    columns.forEach((_, j) =>
      constraints.push({ parts: groups.map((_, i) => [i, j] as const), total: [order.length - 1, j] }),
    );
  }
  const hidden = suppressTable(counts, constraints, minCellSize);
  return new Map(order.map((g, i) => [g, new Set(columns.filter((_, j) => hidden[i]![j]!))]));
}

export function suppressPeriod(rows: Map<string, PeriodCounts>, minCellSize: number): Mask<PeriodColumn> {
  return suppressGroups(
    new Map([...rows].map(([g, c]) => [g, periodCells(c)])),
    PERIOD_COLUMNS,
    IDENTITIES,
    minCellSize,
  );
}

export function suppressFunnel(
  rows: Map<string, { dropouts: number; discharges: number }>,
  minCellSize: number,
): Mask<FunnelColumn> {
  const cells = new Map(
    [...rows].map(([g, c]) => [
      g,
      { dropouts: c.dropouts, other_discharges: c.discharges - c.dropouts, discharges: c.discharges },
    ]),
  );
  return suppressGroups(cells, FUNNEL_COLUMNS, [[["dropouts", "other_discharges"], "discharges"]], minCellSize);
}
