/**
 * How `alliance init` recognises item columns of a built-in instrument (pipeline/init/item-groups.ts).
 * Item counts and answer ranges are those of pipeline/instruments/definitions.ts (WAI-SR 12 items 1–5,
 * WAI-S 12 items 1–7, HAq-II 19 items 1–6, SRS 4 items 0–10).
 */
import { describe, expect, it } from "vitest";
import { findItemGroup, type ItemColumnProfile } from "../../pipeline/init/item-groups.ts";

const items = (name: (i: number) => string, n: number, min: number, max: number): ItemColumnProfile[] =>
  Array.from({ length: n }, (_, k) => ({ column: name(k + 1), numeric: true, min, max }));

describe("finding an instrument's item columns", () => {
  it("takes WAISR_1 … WAISR_12 as the WAI-SR, sure of it from the name", () => {
    expect(findItemGroup(items((i) => `WAISR_${i}`, 12, 1, 5))).toMatchObject({
      instrument: "wai-sr",
      pattern: "WAISR_{i}",
      sure: true,
    });
  });

  it("takes twelve WAI items with answers above 5 as the WAI-S (1–7), saying it is a guess", () => {
    expect(findItemGroup(items((i) => `wai${i}`, 12, 1, 7))).toMatchObject({
      instrument: "wai-s",
      pattern: "wai{i}",
      sure: false,
    });
  });

  it("takes HAQ_1 … HAQ_19 as the HAq-II", () => {
    expect(findItemGroup(items((i) => `HAQ_${i}`, 19, 1, 6))).toMatchObject({ instrument: "haq-ii", sure: true });
  });

  it("keeps a suffix after the item number in the pattern", () => {
    expect(findItemGroup(items((i) => `srs${i}_score`, 4, 0, 10))?.pattern).toBe("srs{i}_score");
  });

  it("proposes nothing when the names do not say which instrument", () => {
    expect(findItemGroup(items((i) => `Q${i}`, 12, 1, 5))).toBeNull();
  });

  it("proposes nothing when an item is missing from the numbering", () => {
    expect(findItemGroup(items((i) => `WAI_${i}`, 12, 1, 5).filter((p) => p.column !== "WAI_7"))).toBeNull();
  });

  it("proposes nothing when answers fall outside every form's range", () => {
    expect(findItemGroup(items((i) => `WAI_${i}`, 12, 0, 9))).toBeNull();
  });
});
