/**
 * Jacobson–Truax on small cases worked by hand (Jacobson & Truax 1991: SE = s₁√(1 − r_xx),
 * S_diff = √2·SE, reliable when |RC| > 1.96).
 */
import { describe, expect, it } from "vitest";
import { jacobsonTruax } from "../../analyses/reliable-change.ts";

describe("Jacobson–Truax reliable change", () => {
  // Pre-SD fixed at 10 and r_xx = .92: SE = 10·√.08 = 2.8284, S_diff = 4, threshold 1.96·4 = 7.84 points.
  const o = { reliability: 0.92, cutoff: 25, higherIsBetter: true, sdPre: 10 };

  it("computes SE of measurement, S_diff and the threshold in points", () => {
    const r = jacobsonTruax([10, 20], [10, 20], o);
    expect(r.se_measurement).toBeCloseTo(2.8284271247, 9);
    expect(r.s_diff).toBeCloseTo(4, 12);
    expect(r.threshold_points).toBeCloseTo(7.84, 12);
  });

  it("classifies: +8 from 20 to 28 crosses 25 (recovered); +8 from 26 stays non-clinical (improved); +7 is not reliable; −8 deteriorated", () => {
    const r = jacobsonTruax([20, 26, 10, 30], [28, 34, 17, 22], o);
    expect(r.categories).toEqual(["recovered", "improved", "unchanged", "deteriorated"]);
    expect(r.counts).toEqual({ recovered: 1, improved: 1, unchanged: 1, deteriorated: 1 });
  });

  it("reliably improves without crossing the cutoff: 5 → 13 is improved, not recovered", () => {
    expect(jacobsonTruax([5, 6], [13, 6], o).categories[0]).toBe("improved");
  });

  it("reverses direction for lower-is-better measures (e.g. symptom scores with the clinical range above the cutoff)", () => {
    const r = jacobsonTruax([30, 30], [20, 40], { ...o, higherIsBetter: false });
    expect(r.categories).toEqual(["recovered", "deteriorated"]);
  });

  it("without a cutoff, never calls a change recovered", () => {
    expect(jacobsonTruax([20, 26], [28, 34], { ...o, cutoff: null }).categories).toEqual(["improved", "improved"]);
  });

  it("takes the sample SD of the pre scores (n − 1) when none is given: pre 10, 20, 30 → SD 10", () => {
    expect(
      jacobsonTruax([10, 20, 30], [10, 20, 30], { reliability: 0.92, cutoff: null, higherIsBetter: true }).s_diff,
    ).toBeCloseTo(4, 12);
  });
});
