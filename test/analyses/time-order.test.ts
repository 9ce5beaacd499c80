/**
 * ascendingOrder and descendingOrder: the order the survival analyses walk records in. Expected
 * orders are counted by hand, or are those of the comparator sorts the functions replace (a stable
 * sort by time, ties first index first), which they still use for times that are not whole days.
 */
import { describe, expect, it } from "vitest";
import { ascendingOrder, descendingOrder } from "../../analyses/time-order.ts";

/** Seeded whole-day times with many ties, as a study's days in treatment are. */
function days(n: number, max: number): number[] {
  let s = 12345;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % max;
  });
}

describe("ascendingOrder", () => {
  it("orders by time, ties first index first", () => {
    expect(Array.from(ascendingOrder([3, 1, 3, 0]))).toEqual([3, 1, 0, 2]);
  });

  it("gives the stable comparator sort's order on 20,000 tied whole days", () => {
    const time = days(20_000, 400);
    expect(Array.from(ascendingOrder(time))).toEqual(time.map((_, i) => i).sort((a, b) => time[a]! - time[b]!));
  });

  it("sorts times it cannot pack (fractions, negatives, very large) by comparator, in the same order", () => {
    const time = [2.5, -1, 2 ** 21, 2.5, 0];
    expect(Array.from(ascendingOrder(time))).toEqual([1, 4, 0, 3, 2]);
  });

  it("places days up to 2^20 − 1 by counting, and sorts from 2^20 on by comparator, in the same order", () => {
    const counted = [2 ** 20 - 1, 0, 5, 2 ** 20 - 1, 5];
    expect(Array.from(ascendingOrder(counted))).toEqual([1, 2, 4, 0, 3]);
    expect(Array.from(descendingOrder(counted))).toEqual([0, 3, 2, 4, 1]);
    const sorted = [2 ** 20, 0, 5, 2 ** 20, 5];
    expect(Array.from(ascendingOrder(sorted))).toEqual([1, 2, 4, 0, 3]);
    expect(Array.from(descendingOrder(sorted))).toEqual([0, 3, 2, 4, 1]);
  });

  it("is empty for no records", () => {
    expect(ascendingOrder([])).toEqual(new Int32Array(0));
  });
});

describe("descendingOrder", () => {
  it("orders by time from the latest, ties first index first", () => {
    expect(Array.from(descendingOrder([3, 1, 3, 0]))).toEqual([0, 2, 1, 3]);
  });

  it("gives the comparator's order on 20,000 tied whole days, and on times it cannot pack", () => {
    const time = days(20_000, 400);
    expect(Array.from(descendingOrder(time))).toEqual(
      time.map((_, i) => i).sort((a, b) => time[b]! - time[a]! || a - b),
    );
    expect(Array.from(descendingOrder([2.5, -1, 2.5, 7.25]))).toEqual([3, 0, 2, 1]);
  });
});
