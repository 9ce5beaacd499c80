/** lowerBound: the first index whose value is ≥ t (expected indices counted by hand from the arrays). */
import { describe, expect, it } from "vitest";
import { lowerBound } from "../../analyses/lower-bound.ts";

describe("lowerBound", () => {
  it("finds the first of equal values, the slot between values, and the end past the last", () => {
    const sorted = Float64Array.of(1, 3, 3, 7);
    expect([0, 1, 3, 4, 7, 9].map((t) => lowerBound(sorted, t))).toEqual([0, 0, 1, 3, 3, 4]);
  });

  it("is 0 for an empty array", () => {
    expect(lowerBound(new Float64Array(0), 5)).toBe(0);
  });
});
