/**
 * The generating model of the synthetic demo study: a multi-site outpatient SUD program.
 * Every number a report should recover is a parameter here; data/demo/README.md documents
 * them and the population values they imply (computed by `npm run generate-demo -- --truth`).
 */
import { addDays, daysBetween } from "../../pipeline/dates.ts";
import { createRandom, type Random } from "./random.ts";

export const DEMO_PARAMETERS = {
  seed: 20261122,
  episodes: 600,
  sites: ["Northside", "Riverside", "Eastgate", "Hillcrest"],
  therapistsPerSite: [8, 8, 7, 7],
  /** Admissions spread evenly over 8 quarters, 2024Q1–2025Q4. */
  admitFrom: "2024-01-01",
  admitTo: "2025-12-31",
  cutoffDate: "2025-12-31",
  /** The export was taken two weeks after the cutoff, so it holds later sessions and discharges. */
  exportDate: "2026-01-14",
  /** Share of sessions entered twice (same client, day and scores): a common data-entry slip. */
  duplicateEntryProbability: 0.015,
  /** Latent alliance (0–40 SRS scale) = mean + therapist effect + client effect. */
  allianceMean: 33,
  allianceTherapistSd: 2.0,
  allianceClientSd: 3.2,
  /**
   * The SRS's four 0–10 items (relationship, goals and topics, approach or method, overall), each
   * rated to one decimal: item = latent alliance / 4 + the client's own lean on that item ~
   * N(0, itemClientSd²) + session noise ~ N(0, itemSessionSd²). Four items' noise makes the total's
   * session noise SD 2.0. The total is the sum of the items.
   */
  itemClientSd: 0.6,
  itemSessionSd: 1.0,
  /**
   * Therapist-rated alliance (0–40), on a share of attended sessions: therapistRatingMean +
   * therapistRatingSlope · (latent − allianceMean) + the therapist's leniency ~ N(0, sd²) + the
   * client's disagreement ~ N(0, sd²), plus session noise; rounded, clamped to 0–40.
   */
  therapistRatingShare: 0.75,
  therapistRatingMean: 30,
  therapistRatingSlope: 0.6,
  therapistLeniencySd: 2.0,
  therapistDisagreementSd: 2.5,
  therapistRatingSessionSd: 2.0,
  /** ORS at intake ~ Normal(mean, sd), 0–40, higher is better. */
  outcomeIntakeMean: 19,
  outcomeIntakeSd: 6,
  /** Expected total ORS gain = gainMean + gainPerAllianceSd · z(latent alliance) + Normal(0, gainSd). */
  gainMean: 7,
  gainPerAllianceSd: 2.1,
  gainSd: 5.5,
  /** Gain reached after t weeks: gain · (1 − exp(−t / gainWeeks)). */
  gainWeeks: 4,
  outcomeSessionSd: 2.5,
  /** Weekly dropout hazard = base · exp(−slope · z(latent alliance)). */
  dropoutHazardBase: 0.045,
  dropoutHazardSlope: 0.55,
  /** Weekly hazard of transfer to another program. */
  transferHazard: 0.006,
  /** Planned length in weeks for those who complete. */
  plannedWeeksMin: 8,
  plannedWeeksMax: 16,
  /** Share of episodes that never reach a first session (dropped out before any rating). */
  noFirstSessionShare: 0.03,
  attendProbability: 0.88,
  allianceMissingProbability: 0.06,
  outcomeMissingProbability: 0.05,
  /** Of dropouts, the share recorded as "left against advice" rather than "dropped out". */
  leftAgainstAdviceShare: 0.3,
} as const;

type Widen<T> = T extends number
  ? number
  : T extends string
    ? string
    : T extends readonly (infer U)[]
      ? readonly Widen<U>[]
      : T;
/** The parameters' shape, so a variant (e.g. more therapists, for population values) can be passed. */
export type DemoParameters = { readonly [K in keyof typeof DEMO_PARAMETERS]: Widen<(typeof DEMO_PARAMETERS)[K]> };

export const REASONS = {
  completed: "completed",
  droppedOut: "dropped out",
  leftAgainstAdvice: "left against advice",
  transferred: "transferred",
} as const;

export interface EpisodeRow {
  ClientID: string;
  Site: string;
  Clinician: string;
  AdmitDate: string;
  DischargeDate: string;
  DischargeReason: string;
}

export interface SessionRow {
  ClientID: string;
  SessionDate: string;
  SRS_Relationship: number | null;
  SRS_Goals: number | null;
  SRS_Approach: number | null;
  SRS_Overall: number | null;
  SRS_Total: number | null;
  ORS_Total: number | null;
  /** Therapist-rated alliance, 0–40. */
  SRS_Therapist: number | null;
}

/** The sessions file's columns, in order. */
export const SESSION_COLUMNS = [
  "ClientID",
  "SessionDate",
  "SRS_Relationship",
  "SRS_Goals",
  "SRS_Approach",
  "SRS_Overall",
  "SRS_Total",
  "ORS_Total",
  "SRS_Therapist",
] as const;
export const EPISODE_COLUMNS = [
  "ClientID",
  "Site",
  "Clinician",
  "AdmitDate",
  "DischargeDate",
  "DischargeReason",
] as const;

/** What the generator knew about each episode, for computing population values. */
export interface LatentEpisode {
  allianceZ: number;
  therapistIndex: number;
}

export interface DemoStudy {
  episodes: EpisodeRow[];
  sessions: SessionRow[];
  latent: LatentEpisode[];
}

const clampRound = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(x)));

/** Generate a study of n episodes from the model; the same seed always gives the same rows. */
export function generateDemoStudy(
  n: number = DEMO_PARAMETERS.episodes,
  seed: number = DEMO_PARAMETERS.seed,
  p: DemoParameters = DEMO_PARAMETERS,
): DemoStudy {
  const rng = createRandom(seed);
  const therapists = p.sites.flatMap((site, s) =>
    Array.from({ length: p.therapistsPerSite[s]! }, () => ({
      site,
      effect: rng.normal(0, p.allianceTherapistSd),
      leniency: rng.normal(0, p.therapistLeniencySd),
    })),
  );
  const therapistIds = therapists.map((_, i) => `T${String(i + 1).padStart(2, "0")}`);
  const latentSd = Math.hypot(p.allianceTherapistSd, p.allianceClientSd);
  const admitDays = daysBetween(p.admitFrom, p.admitTo);
  const episodes: EpisodeRow[] = [];
  const sessions: SessionRow[] = [];
  const latent: LatentEpisode[] = [];
  const width = Math.max(5, String(n).length);

  for (let i = 0; i < n; i++) {
    const clientId = `C${String(i + 1).padStart(width, "0")}`;
    const t = rng.int(0, therapists.length - 1);
    const therapist = therapists[t]!;
    const latentAlliance = p.allianceMean + therapist.effect + rng.normal(0, p.allianceClientSd);
    const z = (latentAlliance - p.allianceMean) / latentSd;
    const admit = addDays(p.admitFrom, rng.int(0, admitDays));
    latent.push({ allianceZ: z, therapistIndex: t });
    const { rows, discharge, reason } = simulateCourse(rng, p, clientId, admit, latentAlliance, z, therapist.leniency);
    const dischargedByExport = discharge <= p.exportDate;
    episodes.push({
      ClientID: clientId,
      Site: therapist.site,
      Clinician: therapistIds[t]!,
      AdmitDate: admit,
      DischargeDate: dischargedByExport ? discharge : "",
      DischargeReason: dischargedByExport ? reason : "",
    });
    for (const row of rows) {
      if (row.SessionDate > p.exportDate) continue;
      sessions.push(row);
      if (rng.chance(p.duplicateEntryProbability)) sessions.push({ ...row });
    }
  }
  const key = (r: SessionRow) => r.SessionDate + r.ClientID;
  sessions.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { episodes, sessions, latent };
}

const ITEMS = ["SRS_Relationship", "SRS_Goals", "SRS_Approach", "SRS_Overall"] as const;

function simulateCourse(
  rng: Random,
  p: DemoParameters,
  clientId: string,
  admit: string,
  latentAlliance: number,
  z: number,
  leniency: number,
) {
  const rows: SessionRow[] = [];
  if (rng.chance(p.noFirstSessionShare)) {
    return { rows, discharge: addDays(admit, rng.int(14, 30)), reason: REASONS.droppedOut };
  }
  const itemLatent = ITEMS.map(() => latentAlliance / 4 + rng.normal(0, p.itemClientSd));
  const therapistLatent =
    p.therapistRatingMean +
    p.therapistRatingSlope * (latentAlliance - p.allianceMean) +
    leniency +
    rng.normal(0, p.therapistDisagreementSd);
  const intake = rng.normal(p.outcomeIntakeMean, p.outcomeIntakeSd);
  const gain = p.gainMean + p.gainPerAllianceSd * z + rng.normal(0, p.gainSd);
  const planned = rng.int(p.plannedWeeksMin, p.plannedWeeksMax);
  const dropoutHazard = p.dropoutHazardBase * Math.exp(-p.dropoutHazardSlope * z);
  const firstSession = addDays(admit, rng.int(0, 6));
  let reason: string = REASONS.completed;
  let lastDate = firstSession;
  for (let week = 0; week < planned; week++) {
    const date = addDays(firstSession, 7 * week);
    if (week === 0 || rng.chance(p.attendProbability)) {
      // Items in tenths (an SRS mark is read to 0.1 cm), so the total is their exact sum.
      const tenths = rng.chance(p.allianceMissingProbability)
        ? null
        : itemLatent.map((m) => clampRound(10 * rng.normal(m, p.itemSessionSd), 0, 100));
      const items = Object.fromEntries(ITEMS.map((name, i) => [name, tenths ? tenths[i]! / 10 : null])) as Record<
        (typeof ITEMS)[number],
        number | null
      >;
      const expected = intake + gain * (1 - Math.exp(-week / p.gainWeeks));
      const ors = rng.chance(p.outcomeMissingProbability)
        ? null
        : clampRound(rng.normal(expected, p.outcomeSessionSd), 0, 40);
      const byTherapist = rng.chance(p.therapistRatingShare)
        ? clampRound(rng.normal(therapistLatent, p.therapistRatingSessionSd), 0, 40)
        : null;
      rows.push({
        ClientID: clientId,
        SessionDate: date,
        ...items,
        SRS_Total: tenths ? tenths.reduce((a, b) => a + b, 0) / 10 : null,
        ORS_Total: ors,
        SRS_Therapist: byTherapist,
      });
      lastDate = date;
    }
    if (week === planned - 1) break;
    if (rng.chance(dropoutHazard)) {
      reason = rng.chance(p.leftAgainstAdviceShare) ? REASONS.leftAgainstAdvice : REASONS.droppedOut;
      break;
    }
    if (rng.chance(p.transferHazard)) {
      reason = REASONS.transferred;
      break;
    }
  }
  const closeAfter =
    reason === REASONS.droppedOut ? rng.int(14, 30) : reason === REASONS.transferred ? rng.int(0, 7) : rng.int(0, 3);
  return { rows, discharge: addDays(lastDate, closeAfter), reason };
}
