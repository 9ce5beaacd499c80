/**
 * Finds, for `alliance init`, a set of numbered item columns (WAI_1 … WAI_12) that looks like one of
 * the built-in alliance instruments, so the proposed config can score the alliance from its items.
 * Proposed only when the column names say which instrument (wai, haq, srs) and the items are exactly
 * 1 … N of its length; when the names leave the form open (WAI-SR and WAI-S both have 12 items), the
 * answers' range decides and the proposal says it is a guess.
 */
import type { ItemScoring } from "../config/types.ts";
import { BUILT_IN_INSTRUMENTS } from "../instruments/definitions.ts";

type BuiltIn = Exclude<ItemScoring["instrument"], "custom">;

/** What init knows about a column: its name, and the range of its values when they are all numbers. */
export interface ItemColumnProfile {
  column: string;
  /** Whether every non-empty value is a number. */
  numeric: boolean;
  min: number | null;
  max: number | null;
}

export interface ItemGroup {
  instrument: BuiltIn;
  /** The columns as an alliance.items pattern, {i} for the item number. */
  pattern: string;
  columns: string[];
  /** False when the form was chosen from the answers' range rather than the column names. */
  sure: boolean;
  /** Why this instrument, for the comment beside it. */
  why: string;
}

const NUMBERED = /^(.*?)(\d{1,2})(\D*)$/;

/**
 * The item group of a known instrument among the columns, or null.
 * @example findItemGroup(["WAI_1", …, "WAI_12"] as profiles).instrument // => "wai-sr" (answers 1–5)
 */
export function findItemGroup(profiles: ItemColumnProfile[]): ItemGroup | null {
  const groups = new Map<string, { n: number; profile: ItemColumnProfile }[]>();
  for (const p of profiles) {
    const m = NUMBERED.exec(p.column);
    if (!m || !p.numeric) continue;
    const key = `${m[1]}{i}${m[3]}`;
    const members = groups.get(key) ?? [];
    members.push({ n: Number(m[2]), profile: p });
    groups.set(key, members);
  }
  for (const [pattern, members] of groups) {
    const sorted = [...members].sort((a, b) => a.n - b.n);
    if (!sorted.every((m, i) => m.n === i + 1)) continue;
    const name = pattern
      .replace("{i}", "")
      .toLowerCase()
      .replace(/[^a-z]/g, "");
    const lo = Math.min(...sorted.map((m) => m.profile.min ?? Infinity));
    const hi = Math.max(...sorted.map((m) => m.profile.max ?? -Infinity));
    const fits = (i: BuiltIn) =>
      BUILT_IN_INSTRUMENTS[i].nItems === sorted.length &&
      lo >= BUILT_IN_INSTRUMENTS[i].itemMin &&
      hi <= BUILT_IN_INSTRUMENTS[i].itemMax;
    const seen = `answers seen ${lo}–${hi}`;
    const columns = sorted.map((m) => m.profile.column);
    const group = (instrument: BuiltIn, sure: boolean, why: string): ItemGroup => ({
      instrument,
      pattern,
      columns,
      sure,
      why,
    });
    const named = `${sorted.length} items named ${pattern}, ${seen}`;
    if (name.includes("haq") && fits("haq-ii")) return group("haq-ii", true, named);
    if (name.includes("srs") && fits("srs")) return group("srs", true, named);
    if (!name.includes("wai") || sorted.length !== 12) continue;
    if (name.includes("waisr") && fits("wai-sr")) return group("wai-sr", true, named);
    if (/wais(?!r)/.test(name) && fits("wai-s")) return group("wai-s", true, named);
    // The names say WAI but not which short form: answers above 5 can only be the WAI-S (1–7).
    if (fits("wai-sr"))
      return group(
        "wai-sr",
        false,
        `12 WAI items, ${seen}: the WAI-SR (1–5) fits, but so would a WAI-S (1–7) whose answers stayed at or below 5`,
      );
    if (fits("wai-s"))
      return group("wai-s", false, `12 WAI items, ${seen}: above the WAI-SR's 1–5, so the WAI-S (1–7)`);
  }
  return null;
}
