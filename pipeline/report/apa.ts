/**
 * APA 7 number style. Statistics that cannot exceed 1 (r, ρ, p) have no leading zero;
 * correlations to two decimals, p to three, and "p < .001" below that (APA Publication
 * Manual, 7th ed., §6.36 and §6.43).
 */

/** Two decimals with no leading zero. @example noLeadingZero(0.2834) // => ".28" @example noLeadingZero(-0.05) // => "-.05" */
export function noLeadingZero(value: number, digits = 2): string {
  const text = Math.abs(value)
    .toFixed(digits)
    .replace(/^0(?=\.)/, "");
  return (value < 0 && Number(text) !== 0 ? "-" : "") + text;
}

/** @example formatP(0.0004) // => "p < .001" @example formatP(0.0423) // => "p = .042" */
export function formatP(p: number): string {
  return p < 0.001 ? "p < .001" : `p = ${noLeadingZero(p, 3)}`;
}

/** A correlation interval as "[.22, .38]", or "—" when there is none. @example ciText(0.2213, 0.3752) // => "[.22, .38]" */
export function ciText(lo: number | null, hi: number | null, digits = 2): string {
  return lo === null || hi === null ? "—" : `[${noLeadingZero(lo, digits)}, ${noLeadingZero(hi, digits)}]`;
}

/** p in a table column headed p: @example pCell(0.0423) // => ".042" @example pCell(0.0004) // => "< .001" */
export function pCell(p: number): string {
  return p < 0.001 ? "< .001" : noLeadingZero(p, 3);
}

/** @example formatPercent(0.4213) // => "42.1%" */
export function formatPercent(rate: number, digits = 1): string {
  return `${(100 * rate).toFixed(digits)}%`;
}

/** The symbol each correlation is reported under. */
export const CORRELATION_SYMBOL = { pearson: "r", spearman: "rs", partial: "partial r" } as const;

/**
 * APA text of a correlation.
 * @example apaCorrelation({ method: "pearson", df: 118, estimate: 0.32, ci_low: 0.15, ci_high: 0.47, p: 0.0003 }, 0.95)
 * // => "r(118) = .32, 95% CI [.15, .47], p < .001"
 */
export function apaCorrelation(
  c: {
    method: "pearson" | "spearman" | "partial";
    df: number;
    estimate: number;
    ci_low: number | null;
    ci_high: number | null;
    p: number;
  },
  level: number,
): string {
  const symbol = CORRELATION_SYMBOL[c.method];
  const ci =
    c.ci_low !== null && c.ci_high !== null
      ? `, ${Math.round(level * 100)}% CI [${noLeadingZero(c.ci_low)}, ${noLeadingZero(c.ci_high)}]`
      : "";
  return `${symbol}(${c.df}) = ${noLeadingZero(c.estimate)}${ci}, ${formatP(c.p)}`;
}

/**
 * APA text of a χ² test; without N when the total is withheld.
 * @example apaChiSquare(35.796, 2, 574, 1.7e-8) // => "χ²(2, N = 574) = 35.80, p < .001"
 */
export function apaChiSquare(chisq: number, df: number, n: number | null, p: number): string {
  return `χ²(${df}${n === null ? "" : `, N = ${n}`}) = ${chisq.toFixed(2)}, ${formatP(p)}`;
}

/**
 * APA text of a hazard ratio (a ratio, so it keeps its leading zero).
 * @example apaHazardRatio(0.517, 0.377, 0.709, 0.00004) // => "HR = 0.52, 95% CI [0.38, 0.71], p < .001"
 */
export function apaHazardRatio(hr: number, low: number, high: number, p: number): string {
  return `HR = ${hr.toFixed(2)}, 95% CI [${low.toFixed(2)}, ${high.toFixed(2)}], ${formatP(p)}`;
}

/**
 * APA text of a regression coefficient with its t test (unstandardised b keeps its leading zero;
 * a fractional Satterthwaite df is shown to one decimal).
 * @example apaCoefficient({ estimate: 0.608, se: 0.0788, df: 509.88, t: 7.72, p: 6e-14, ci_low: 0.453, ci_high: 0.763 }, 0.95)
 * // => "b = 0.61, SE = 0.08, t(509.9) = 7.72, p < .001, 95% CI [0.45, 0.76]"
 */
export function apaCoefficient(
  c: { estimate: number; se: number; df: number; t: number; p: number; ci_low: number; ci_high: number },
  level: number,
): string {
  const df = Number.isInteger(c.df) ? String(c.df) : c.df.toFixed(1);
  return `b = ${c.estimate.toFixed(2)}, SE = ${c.se.toFixed(2)}, t(${df}) = ${c.t.toFixed(2)}, ${formatP(c.p)}, ${Math.round(level * 100)}% CI [${c.ci_low.toFixed(2)}, ${c.ci_high.toFixed(2)}]`;
}

/**
 * An APA text (as in results.json) as HTML: escaped, with its statistic symbols in italics,
 * so every statistic in the report is formatted once, by the functions above.
 * @example apaHtml("rs(40) = -.21, p = .180") // => "<i>r</i><sub>s</sub>(40) = -.21, <i>p</i> = .180"
 * @example apaHtml("χ²(2, N = 574) = 35.80, p < .001") // => "<i>χ</i>²(2, <i>N</i> = 574) = 35.80, <i>p</i> &lt; .001"
 */
export function apaHtml(text: string): string {
  return escapeHtml(text)
    .replace(
      /^(partial )?r(s?)\(/,
      (_m, partial: string | undefined, s: string) => `${partial ?? ""}<i>r</i>${s ? "<sub>s</sub>" : ""}(`,
    )
    .replace(/^χ²/, "<i>χ</i>²")
    .replace(/^HR\b/, "<i>HR</i>")
    .replace(/^b = (.*), SE = (.*), t\(/, "<i>b</i> = $1, <i>SE</i> = $2, <i>t</i>(")
    .replace(/\bN =/, "<i>N</i> =")
    .replace(/\bp (&lt;|=)/, "<i>p</i> $1");
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/**
 * Items as an English list.
 * @example joinList(["a", "b", "c"]) // => "a, b and c"
 * @example joinList(["a", "b"], "or") // => "a or b"
 */
export function joinList(items: readonly string[], conjunction = "and"): string {
  return items.length <= 2
    ? items.join(` ${conjunction} `)
    : `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;
}
