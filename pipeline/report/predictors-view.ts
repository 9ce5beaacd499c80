/** The report's section on other predictors and outcomes, and reliable change, from results.json alone. */
import type { Results } from "../results.ts";
import { apaHtml, ciText, joinList, formatPercent, noLeadingZero, pCell } from "./apa.ts";
import { clusteredCi, clusterRow, hasClusterIntervals, unitPlural } from "./clustering-view.ts";

const X_LABELS: Record<string, string> = {
  early_alliance: "Early",
  mean_alliance: "Mean, all sessions",
  last_alliance: "Last rating",
};
const NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
const count = (n: number) => NUMBER_WORDS[n] ?? String(n);
const Y_LABELS = {
  outcome_change: "Change",
  outcome_last: "Last score",
  outcome_residualized: "Residualized change",
} as const;

export function buildPredictorsView(r: Results, show: (n: number | null) => string) {
  // Reliable-change cells use "—" rather than show(): complementary suppression hides cells that are not small.
  const p = r.predictors;
  const label = (x: string) => X_LABELS[x] ?? `${p.components.find((c) => `early_${c.key}` === x)?.label ?? x}, early`;
  const rows = p.correlations.map((c, i) => ({
    // The alliance score is named on the first of its rows only, so the table reads in groups.
    x: i > 0 && p.correlations[i - 1]!.x === c.x ? "" : label(c.x),
    first: i === 0 || p.correlations[i - 1]!.x !== c.x,
    y: Y_LABELS[c.y],
    n: show(c.n),
    r: c.estimate === null ? "—" : noLeadingZero(c.estimate),
    ci: ciText(c.ci_low, c.ci_high),
    bca: c.boot_bca ? ciText(c.boot_bca.ci_low, c.boot_bca.ci_high) : "—",
    clusteredCi: clusteredCi(clusterRow(r, "secondary", c.x, c.y, "pearson")),
    p: c.p === null ? "—" : pCell(c.p),
    pHolm: c.p_holm === null ? "—" : pCell(c.p_holm),
  }));
  const fit = p.residualized_fit;
  const scores = new Set(p.correlations.map((c) => c.x)).size;
  const subscales = p.components.filter((c) => c.kind === "subscale");
  const raters = p.components.filter((c) => c.kind === "rater");
  const unbootstrapped = p.correlations.some((c) => c.estimate !== null && c.boot_bca === null);
  const text =
    `Pearson correlations of ${count(scores)} alliance scores with three outcomes, with Fisher-z and bootstrap BCa 95% CIs; Holm-adjusted p-values are across these ${p.correlations.length}, an exploratory family apart from the primary analysis. ` +
    (subscales.length
      ? `Each subscale (${joinList(subscales.map((c) => c.label))}) is the early mean of its own ratings, over the same window as the total. `
      : "") +
    (raters.length
      ? `The total is rated by the ${p.alliance_rater}; ${joinList(raters.map((c) => c.label.toLowerCase()))} alliance is the early mean of that form's own ratings. ` +
        "The Fisher-z and bootstrap intervals treat episodes as independent. Clients of the same therapist are not, and a therapist's own ratings share that therapist's leniency, so for them especially those intervals are too narrow" +
        (hasClusterIntervals(r) ? ": cite the cluster-aware ones. " : " (see Therapists). ")
      : "") +
    (unbootstrapped
      ? `Rows on more than ${p.bootstrap_max_n.toLocaleString("en-US")} episodes were not bootstrapped (config bootstrap.secondary_max_n): at that size the bootstrap and Fisher-z intervals agree. `
      : "") +
    (fit
      ? `Residualized change is the residual of the last outcome regressed on the first (last = ${fit.intercept.toFixed(2)} + ${fit.slope.toFixed(3)} × first, n = ${fit.n}), so it is change not predictable from the starting score. `
      : "") +
    "Last alliance is rated nearer the outcome and, for clients who leave early, earlier in treatment, so it is not a cleaner predictor than early alliance.";
  const jt = p.reliable_change;
  const reliable = jt && {
    text:
      `Each episode with two or more outcome ratings was classified by the Jacobson–Truax method (1991): a change of at least ${jt.threshold_points.toFixed(1)} points is reliable ` +
      `(reliability ${noLeadingZero(jt.reliability)}, SD of first scores ${jt.sd_pre.toFixed(2)})` +
      (jt.clinical_cutoff !== null
        ? `, and a reliable improvement that crosses the cutoff of ${jt.clinical_cutoff} from the clinical range counts as recovered.`
        : "; no clinical cutoff is set, so no episode is called recovered.") +
      ` Percentages are of the row's n. “—” marks a count withheld: either fewer than ${r.suppression.min_cell_size}, or hidden as well so that a small count cannot be worked out by subtraction.`,
    rows: jt.rows.map((row) => {
      const cell = (k: number | null) =>
        k === null ? "—" : row.n ? `${k} (${formatPercent(k / row.n, 0)})` : String(k);
      return {
        tier: row.tier ?? "All",
        n: row.n === null ? "—" : String(row.n),
        recovered: cell(row.recovered),
        improved: cell(row.improved),
        unchanged: cell(row.unchanged),
        deteriorated: cell(row.deteriorated),
      };
    }),
  };
  const raterRows = r.clustering.correlations.filter((k) => k.family === "rater_agreement");
  const agreement = p.rater_agreement.map((g, i) => {
    const k = raterRows[i];
    const clustered =
      k && k.ci_low !== null
        ? `; allowing for clients nested in ${k.clusters} ${unitPlural(r.clustering.unit)}, 95% CI ${ciText(k.ci_low, k.ci_high)}${k.design_effect !== null ? ` (design effect ${k.design_effect.toFixed(2)})` : ""}`
        : "";
    return {
      lead: `Agreement of ${g.rater}-rated with ${p.alliance_rater}-rated early alliance:`,
      html: apaHtml(g.apa) + clustered,
    };
  });
  return { rows, text, reliable, agreement };
}
