/**
 * SQL that scores an instrument from its items, so scoring runs inside DuckDB with the rest of
 * validation at any size. A score is the sum (or mean) of its items after reverse keying; when a few
 * items are missing and the config allows it, the sum is prorated: the mean of the answered items
 * times the number of items. Too many missing items leave the score missing.
 */
import type { InstrumentDefinition } from "./definitions.ts";

export interface ItemScoringRule {
  def: InstrumentDefinition;
  mode: "sum" | "mean";
  maxMissing: number;
  maxMissingPerSubscale: number;
}

/** The canonical sessions field of item i (from 1). */
export const itemField = (i: number): string => `item_${i}`;

/** One item's keyed value: reverse-keyed items become itemMin + itemMax − answer. */
function keyed(def: InstrumentDefinition, i: number): string {
  const f = itemField(i);
  return def.reverse.includes(i) ? `(${def.itemMin + def.itemMax} - ${f})` : f;
}

/**
 * A score over the given items, or NULL when more than `maxMissing` are missing.
 * @example scoreSql(def, [1, 2], "sum", 0) // CASE WHEN (...) <= 0 THEN ... END
 */
export function scoreSql(def: InstrumentDefinition, items: number[], mode: "sum" | "mean", maxMissing: number): string {
  const answered = items.map((i) => `(${itemField(i)} IS NOT NULL)::INTEGER`).join(" + ");
  const sum = items.map((i) => `coalesce(${keyed(def, i)}, 0)`).join(" + ");
  const mean = `(${sum}) / (${answered})`;
  const value = mode === "sum" ? `${mean} * ${items.length}` : mean;
  return `CASE WHEN ${items.length} - (${answered}) <= ${maxMissing} AND (${answered}) > 0 THEN round(${value}, 10) END`;
}

/** The total over every item. */
export const totalSql = (r: ItemScoringRule): string =>
  scoreSql(
    r.def,
    Array.from({ length: r.def.nItems }, (_, i) => i + 1),
    r.mode,
    r.maxMissing,
  );

/** Each subscale's score, by subscale name. */
export const subscaleSql = (r: ItemScoringRule): Record<string, string> =>
  Object.fromEntries(
    Object.entries(r.def.subscales).map(([name, items]) => [
      name,
      scoreSql(r.def, items, r.mode, r.maxMissingPerSubscale),
    ]),
  );
