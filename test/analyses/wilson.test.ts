import { describe, expect, it } from "vitest";
import { wilson, wilsonEffective } from "../../analyses/wilson.ts";

// Expected values: test/reference/analyses-reference.out, R's prop.test(x, n, correct = FALSE)$conf.int.
describe("wilson", () => {
  it("matches prop.test(81, 263, correct = FALSE)", () => {
    const p = wilson(81, 263);
    expect(p.rate).toBeCloseTo(81 / 263, 15);
    expect(p.ci_low).toBeCloseTo(0.25528851987827428, 12);
    expect(p.ci_high).toBeCloseTo(0.36620957698280016, 12);
  });

  it("starts at exactly 0 when there are no events, as prop.test(0, 20, correct = FALSE)", () => {
    const p = wilson(0, 20);
    expect(p.ci_low).toBe(0);
    expect(p.ci_high).toBeCloseTo(0.1611251580528193, 12);
  });

  it("ends at exactly 1 when every trial is an event, as prop.test(20, 20, correct = FALSE)", () => {
    const p = wilson(20, 20);
    expect(p.ci_low).toBeCloseTo(0.83887484194718065, 12);
    expect(p.ci_high).toBe(1);
  });

  it("stays inside [0, 1] for a tiny sample, as prop.test(1, 3, correct = FALSE)", () => {
    const p = wilson(1, 3);
    expect(p.ci_low).toBeCloseTo(0.061491944720396291, 12);
    expect(p.ci_high).toBeCloseTo(0.792340399197952294, 12);
  });

  it("honours another level, as prop.test(81, 263, correct = FALSE, conf.level = 0.9)", () => {
    const p = wilson(81, 263, 0.9);
    expect(p.ci_low).toBeCloseTo(0.26331361718848145, 12);
    expect(p.ci_high).toBeCloseTo(0.35656634960848815, 12);
  });

  it("refuses an empty denominator", () => {
    expect(() => wilson(0, 0)).toThrow(RangeError);
  });
});

describe("wilsonEffective", () => {
  it("is wilson's interval when the effective n is the whole n (prop.test(81, 263, correct = FALSE))", () => {
    const w = wilsonEffective(81 / 263, 263);
    expect(w.ci_low).toBeCloseTo(wilson(81, 263).ci_low, 14);
    expect(w.ci_high).toBeCloseTo(wilson(81, 263).ci_high, 14);
  });

  it("widens as the effective n shrinks, around the same rate", () => {
    const w = wilsonEffective(81 / 263, 263 / 2.5);
    expect(w.rate).toBe(81 / 263);
    expect(w.ci_low).toBeLessThan(wilson(81, 263).ci_low);
    expect(w.ci_high).toBeGreaterThan(wilson(81, 263).ci_high);
  });
});
