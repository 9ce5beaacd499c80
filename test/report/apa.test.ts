import { describe, expect, it } from "vitest";
import { apaCoefficient, apaCorrelation, apaHtml, formatP, noLeadingZero, pCell } from "../../pipeline/report/apa.ts";

// APA Publication Manual, 7th ed., §6.36 (no leading zero for values that cannot exceed 1), §6.43 (p-values).
describe("APA number style", () => {
  it("drops the leading zero of a correlation and rounds to two decimals", () => {
    expect([noLeadingZero(0.2834), noLeadingZero(-0.0549), noLeadingZero(0.996)]).toEqual([".28", "-.05", "1.00"]);
  });

  it("never writes a negative zero", () => {
    expect(noLeadingZero(-0.001)).toBe(".00");
  });

  it("writes p below .001 as p < .001 and otherwise to three decimals", () => {
    expect([formatP(0.0004), formatP(0.0423), formatP(0.5)]).toEqual(["p < .001", "p = .042", "p = .500"]);
  });

  it("writes a Pearson correlation with df, CI and p, as in the manual's example", () => {
    expect(
      apaCorrelation({ method: "pearson", df: 118, estimate: 0.32, ci_low: 0.15, ci_high: 0.47, p: 0.0003 }, 0.95),
    ).toBe("r(118) = .32, 95% CI [.15, .47], p < .001");
  });

  it("writes a Spearman correlation without an interval", () => {
    expect(
      apaCorrelation({ method: "spearman", df: 40, estimate: -0.21, ci_low: null, ci_high: null, p: 0.18 }, 0.95),
    ).toBe("rs(40) = -.21, p = .180");
  });
});

describe("regression coefficients and table cells", () => {
  it("writes a coefficient with its leading zero (b can exceed 1), SE, fractional Satterthwaite df to one decimal, p and CI", () => {
    expect(
      apaCoefficient(
        { estimate: 0.6081, se: 0.0788, df: 509.88, t: 7.72, p: 6e-14, ci_low: 0.4534, ci_high: 0.7629 },
        0.95,
      ),
    ).toBe("b = 0.61, SE = 0.08, t(509.9) = 7.72, p < .001, 95% CI [0.45, 0.76]");
  });

  it("writes a whole-number df without decimals", () => {
    expect(
      apaCoefficient({ estimate: -1.5, se: 0.5, df: 30, t: -3, p: 0.0054, ci_low: -2.52, ci_high: -0.48 }, 0.95),
    ).toBe("b = -1.50, SE = 0.50, t(30) = -3.00, p = .005, 95% CI [-2.52, -0.48]");
  });

  it("writes a p table cell without the p and equals sign", () => {
    expect([pCell(0.0423), pCell(0.0004)]).toEqual([".042", "< .001"]);
  });

  it("italicises b, SE, t and p in a coefficient's HTML", () => {
    expect(apaHtml("b = 0.61, SE = 0.08, t(509.9) = 7.72, p < .001, 95% CI [0.45, 0.76]")).toBe(
      "<i>b</i> = 0.61, <i>SE</i> = 0.08, <i>t</i>(509.9) = 7.72, <i>p</i> &lt; .001, 95% CI [0.45, 0.76]",
    );
  });
});

describe("apaHtml", () => {
  it("italicises r, p and the s of Spearman's rs, escaping the text", () => {
    expect(apaHtml("rs(40) = -.21, p = .180")).toBe("<i>r</i><sub>s</sub>(40) = -.21, <i>p</i> = .180");
    expect(apaHtml("partial r(570) = .30, 95% CI [.23, .38], p < .001")).toBe(
      "partial <i>r</i>(570) = .30, 95% CI [.23, .38], <i>p</i> &lt; .001",
    );
  });

  it("italicises χ, N and HR", () => {
    expect(apaHtml("χ²(2, N = 574) = 35.80, p < .001")).toBe(
      "<i>χ</i>²(2, <i>N</i> = 574) = 35.80, <i>p</i> &lt; .001",
    );
    expect(apaHtml("HR = 0.52, 95% CI [0.38, 0.71], p < .001")).toBe(
      "<i>HR</i> = 0.52, 95% CI [0.38, 0.71], <i>p</i> &lt; .001",
    );
  });

  it("escapes anything else, such as an error message in a not-estimable note", () => {
    expect(apaHtml("not estimable: <x>")).toBe("not estimable: &lt;x&gt;");
  });
});
