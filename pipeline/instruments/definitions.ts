/**
 * Built-in alliance instruments scored from their items: number of items, answer range, reverse-keyed
 * items and subscales, each with the published source of its scoring key and how sure that key is
 * (see ../shared/DOMAIN.md). A config can define any other instrument the same way (alliance.items,
 * instrument: custom).
 */
import type { ItemScoring } from "../config/types.ts";

export interface InstrumentDefinition {
  /** Printed name. */
  name: string;
  nItems: number;
  itemMin: number;
  itemMax: number;
  /** Item numbers (from 1) scored itemMin + itemMax − answer. */
  reverse: number[];
  /** Subscale name → item numbers (from 1), in the order they are reported. */
  subscales: Record<string, number[]>;
  /** Where the scoring key comes from. */
  source: string;
}

export const BUILT_IN_INSTRUMENTS: Record<Exclude<ItemScoring["instrument"], "custom">, InstrumentDefinition> = {
  "wai-sr": {
    name: "Working Alliance Inventory–Short Revised (WAI-SR)",
    nItems: 12,
    itemMin: 1,
    itemMax: 5,
    // All twelve items are positively worded; none is reverse-scored.
    reverse: [],
    subscales: { goal: [4, 6, 8, 11], task: [1, 2, 10, 12], bond: [3, 5, 7, 9] },
    source:
      "Hatcher & Gillaspy (2006), Psychotherapy Research 16(1):12–25: 12 items, 1–5; Task 1, 2, 10, 12; Bond 3, 5, 7, 9; Goal 4, 6, 8, 11; no reverse-keyed items.",
  },
  "wai-s": {
    name: "Working Alliance Inventory–Short Form (WAI-S)",
    nItems: 12,
    itemMin: 1,
    itemMax: 7,
    reverse: [4, 10],
    subscales: { goal: [4, 6, 10, 11], task: [1, 2, 8, 12], bond: [3, 5, 7, 9] },
    source:
      "Tracey & Kokotovic (1989), Psychological Assessment 1(3):207–210: 12 items, 1–7; items 4 and 10 are negatively worded and reverse-keyed. The subscale key is as secondary sources give it; confirm it against the form you used, or define the instrument as custom.",
  },
  srs: {
    name: "Session Rating Scale (SRS)",
    nItems: 4,
    itemMin: 0,
    itemMax: 10,
    reverse: [],
    subscales: { bond: [1], goals: [2], task: [3], overall: [4] },
    source:
      "Duncan, Miller et al. (2003), Journal of Brief Therapy 3(1):3–12: 4 items (relationship, goals and topics, approach or method, overall), each 0–10; total 0–40.",
  },
  "haq-ii": {
    name: "Revised Helping Alliance Questionnaire (HAq-II)",
    nItems: 19,
    itemMin: 1,
    itemMax: 6,
    reverse: [4, 8, 11, 16, 19],
    subscales: {},
    source:
      "Luborsky et al. (1996), Journal of Psychotherapy Practice and Research 5:260–271: 19 items on a 6-point agreement scale; the negatively worded items 4, 8, 11, 16 and 19 are reverse-scored (from the item wording).",
  },
};

/** The definition an items section describes: a built-in one, or the custom one it spells out. */
export function instrumentDefinition(items: ItemScoring): InstrumentDefinition {
  if (items.instrument !== "custom") return BUILT_IN_INSTRUMENTS[items.instrument];
  return {
    name: items.name ?? "Custom alliance instrument",
    nItems: items.n_items!,
    itemMin: items.item_min!,
    itemMax: items.item_max!,
    reverse: items.reverse ?? [],
    subscales: items.subscales ?? {},
    source: "Defined in the study config (alliance.items).",
  };
}

/** The item columns, in item order: the pattern's {i} replaced by 1…n, or the list as given. */
export function itemColumns(items: ItemScoring, nItems: number): string[] {
  const c = items.columns;
  return typeof c === "string" ? Array.from({ length: nItems }, (_, i) => c.replaceAll("{i}", String(i + 1))) : c;
}

/** The range of a score over `n` items under the scoring mode: sum of n items, or their mean. */
export function scoreRange(def: InstrumentDefinition, n: number, mode: "sum" | "mean"): { min: number; max: number } {
  return mode === "sum" ? { min: n * def.itemMin, max: n * def.itemMax } : { min: def.itemMin, max: def.itemMax };
}
