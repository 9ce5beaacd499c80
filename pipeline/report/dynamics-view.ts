/**
 * The report's "Alliance over the sessions" section as text and table rows, and its methods
 * paragraph, from results.json's `dynamics` block alone (docs/dynamics.md gives the rules).
 */
import Handlebars from "handlebars";
import type { DynamicsResults, MixedCoefficientRow, Results } from "../results.ts";
import { apaHtml, formatPercent, noLeadingZero, pCell } from "./apa.ts";

type Show = (n: number | null) => string;

export interface DynamicsView {
  textHtml: string;
  ruptures: {
    k: string;
    tier: string;
    episodes: string;
    withRupture: string;
    ruptures: string;
    repaired: string;
    unrepaired: string;
    ended: string;
  }[];
  shifts: {
    kind: string;
    shifts: string;
    episodes: string;
    magnitude: string;
    reversals: string;
    allianceBefore: string;
    allianceAfter: string;
  }[];
  shiftsNote: string;
  lagged: { model: string; term: string; b: string; se: string; df: string; p: string; ci: string }[];
  withinNote: string;
}

const esc = (s: string) => Handlebars.escapeExpression(s);
const fixed = (x: number | null, d = 2) => (x === null ? "—" : x.toFixed(d));

export function buildDynamicsView(r: Results, show: Show): DynamicsView | null {
  const d = r.dynamics;
  if (!d) return null;
  const ruptures = d.ruptures.map((x) => ({
    k: `${x.k} SD`,
    tier: esc(x.tier ?? "no tier"),
    episodes: show(x.episodes),
    withRupture:
      x.with_rupture === null
        ? show(null)
        : `${show(x.with_rupture)}${x.share === null ? "" : ` (${formatPercent(x.share)})`}`,
    ruptures: show(x.ruptures),
    repaired: show(x.repaired),
    unrepaired: show(x.unrepaired),
    ended: show(x.ended),
  }));
  const mean = (k: DynamicsResults["sudden"]["kinds"][number], from: number, to: number) => {
    const a = k.around.filter(
      (x) => x.offset >= from && x.offset <= to && x.alliance_mean !== null && x.alliance_n !== null,
    );
    const n = a.reduce((s, x) => s + x.alliance_n!, 0);
    return n ? fixed(a.reduce((s, x) => s + x.alliance_mean! * x.alliance_n!, 0) / n) : "—";
  };
  const shifts = d.sudden.kinds.map((k) => ({
    kind: k.kind === "gain" ? "Sudden gains" : "Sudden losses",
    shifts: show(k.shifts),
    episodes: show(k.episodes),
    magnitude: k.magnitude_mean === null ? "—" : `${fixed(k.magnitude_mean)} (${fixed(k.magnitude_sd)})`,
    reversals: show(k.reversals),
    allianceBefore: mean(k, -2, 0),
    allianceAfter: mean(k, 1, 3),
  }));
  const models = [
    ["Alliance → next outcome", d.within.forward],
    ["Outcome → next alliance", d.within.reverse],
    ["Alliance detrended → next outcome", d.within.detrended],
  ] as const;
  const row = (model: string, term: string, c: MixedCoefficientRow) => ({
    model,
    term,
    b: c.estimate.toFixed(3),
    se: c.se.toFixed(3),
    df: c.df.toFixed(1),
    p: pCell(c.p),
    ci: `[${c.ci_low.toFixed(3)}, ${c.ci_high.toFixed(3)}]`,
  });
  const lagged = models.flatMap(([model, m]) =>
    m && m.within && m.between
      ? [row(model, "Within client (t)", m.within), row(model, "Between clients (mean)", m.between)]
      : [],
  );
  return {
    textHtml: dynamicsText(r, d),
    ruptures,
    shifts,
    shiftsNote:
      d.settings.gain_cutoff === null
        ? (d.sudden.reason ?? "")
        : `Cut-off ${d.settings.gain_cutoff.toFixed(2)} points (${d.settings.gain_cutoff_source === "config" ? "from the config" : "the Reliable Change Index"}); ${show(d.sudden.scored_episodes)} episodes had 4 or more outcome scores. Magnitude: mean (SD). Alliance: mean rating in the three sessions before (n−2 … n) and after (n+1 … n+3) the shift.`,
    lagged,
    withinNote:
      "A within-client effect compares a client with themselves: in sessions where this client rated the alliance above their own average, did they improve more by the next session? It is the part of the alliance that changes from session to session, which a therapist can act on. The between-client effect compares clients with higher and lower average alliance. " +
      "Models with a lagged outcome and person-mean centring are known to give biased estimates, most with few sessions per client, and a trend over the sessions can pass for a within effect (Falkenström et al. 2017); the detrended variant (dynamics.detrend) removes each client's own linear trend first.",
  };
}

function dynamicsText(r: Results, d: DynamicsResults): string {
  const k = d.settings.rupture_sd;
  const at = (kk: number) => d.ruptures.filter((x) => x.k === kk);
  const share = (kk: number) => {
    const rows = at(kk);
    if (!rows.length || rows.some((x) => x.with_rupture === null || x.episodes === null)) return null;
    const e = rows.reduce((s, x) => s + x.episodes!, 0);
    return e ? rows.reduce((s, x) => s + x.with_rupture!, 0) / e : null;
  };
  const s1 = share(1);
  const s2 = share(2);
  const parts: string[] = [];
  parts.push(
    d.settings.pooled_sd === null
      ? "No episode had three or more alliance ratings, so no ruptures could be looked for."
      : `Of the episodes with three or more alliance ratings, ${s1 === null ? "(withheld)" : formatPercent(s1)} had at least one rupture (a drop of 1 SD or more from one rated session to the next) and ${s2 === null ? "(withheld)" : formatPercent(s2)} one of 2 SD or more.`,
  );
  const ro = d.repair_outcome;
  const clustered = r.clustering.unit !== "none";
  if (ro.r && ro.difference)
    parts.push(
      `Episodes with a repaired rupture (drop ≥ ${k} SD) changed by ${fixed(ro.mean_repaired)} points on average against ${fixed(ro.mean_none)} for the others (difference ${fixed(ro.difference.estimate)}, 95% CI [${fixed(ro.difference.ci_low)}, ${fixed(ro.difference.ci_high)}]${clustered && ro.difference.cluster_ci ? `; cluster-aware [${fixed(ro.difference.cluster_ci[0])}, ${fixed(ro.difference.cluster_ci[1])}]` : ""}); ${apaHtml(ro.r.apa)}.`,
    );
  else
    parts.push(`The association of a repaired rupture with outcome change was not estimated: ${esc(ro.reason ?? "")}.`);
  const dr = d.dropout;
  if (dr.hr !== null && dr.ci_low !== null && dr.ci_high !== null && dr.p !== null)
    parts.push(
      `While a rupture was open (not yet repaired), the hazard of dropout was ${fixed(dr.hr)} times that at other times (95% CI [${fixed(dr.ci_low)}, ${fixed(dr.ci_high)}], <i>p</i> ${dr.p < 0.001 ? "< .001" : `= ${noLeadingZero(dr.p, 3)}`}${clustered && dr.robust_se !== null ? `, robust SE clustered on ${dr.clusters} ${r.clustering.unit === "site" ? "sites" : "therapists"}` : ""}).`,
    );
  else parts.push(`Dropout on an open rupture was not estimated: ${esc(dr.reason ?? "")}.`);
  const gains = d.sudden.kinds.find((x) => x.kind === "gain");
  if (gains && gains.shifts !== null)
    parts.push(
      `${gains.shifts} sudden gains were found in ${gains.episodes ?? "(withheld)"} episodes (mean size ${fixed(gains.magnitude_mean)} points)${gains.reversals !== null ? `, ${gains.reversals} of them later reversed` : ""}.`,
    );
  const f = d.within.forward;
  if (f.within && f.between)
    parts.push(
      `Within clients, a session rated one point above the client's own mean alliance was followed by an outcome ${fixed(f.within.estimate, 2)} points ${f.within.estimate >= 0 ? "higher" : "lower"} at the next session (${apaHtml(f.within.apa)}); between clients, ${apaHtml(f.between.apa)}.`,
    );
  return parts.join(" ");
}

/** The methods paragraph of the section. */
export function dynamicsMethods(r: Results): string {
  const d = r.dynamics;
  if (!d) return "";
  const s = d.settings;
  return [
    `Alliance over the sessions (docs/dynamics.md): each episode's rated sessions were taken in date order; a rupture was a drop from one rated session to the next of at least k·s, s the larger of the episode's own SD (three or more ratings) and the pooled within-episode SD (${fixed(s.pooled_sd)}), reported at k = 1 (Strauss et al. 2006) and k = 2 (Stiles et al. 2004), as Gumz et al. (2012) recommend; the analyses of outcome and dropout use k = ${s.rupture_sd}.`,
    `A rupture was repaired when one of the next ${s.repair_sessions} rated sessions returned to the rating before the drop, unrepaired when none did, and ended before repair when the ratings ended first; episodes with fewer than three ratings were left out of these analyses and are counted.`,
    `Dropout was regressed on an open (not yet repaired) rupture as a time-dependent covariate in a Cox model in counting-process form, the follow-up split at each rupture and repair, Efron ties, ${r.clustering.unit === "none" ? "with model-based SEs (inference.cluster: none)" : `with robust SEs clustered on ${r.clustering.unit}`} (as R's coxph with tmerge), which avoids the immortal-time bias of comparing groups of episodes.`,
    s.gain_cutoff !== null
      ? `Sudden gains and losses in the outcome followed Tang and DeRubeis (1999): a change of at least ${s.gain_cutoff.toFixed(2)} points${s.gain_cutoff_source === "reliable_change" ? " (the Reliable Change Index)" : ""}, at least 25% of the score before it, and a mean of up to three sessions before differing from up to three after by more than t·s<sub>pooled</sub> (t = 2.776, or 3.182 and 4.303 with missing scores); losses mirror gains (Lutz et al. 2013), the 25% rule included; a reversal is a later score that undoes more than half the shift.`
      : "",
    `The lagged within-client models regressed the outcome at session t + 1 on the alliance at session t centred on the episode's own mean (within), that mean (between), the outcome at t and the session number, with a random intercept per episode (REML; Satterthwaite df, as lme4 with lmerTest); the reverse model swaps the alliance and the outcome (Falkenström, Granström & Holmqvist 2013).${s.detrend ? " A detrended variant centred the alliance on the episode's own line over session number (Falkenström et al. 2017)." : ""}`,
  ]
    .filter(Boolean)
    .join(" ");
}
