/**
 * Writes a study of a given shape (shape.ts): episodes.csv, sessions.csv and study.yaml, in the
 * shape's export format. Fast enough for a million episodes and ten million sessions (sessions are
 * held as columns of typed arrays, not objects, and written in chunks); the same shape always gives
 * the same bytes.
 *
 * The model, per episode: the therapist's effect and the client's own set the latent alliance; each
 * session's rating is that plus noise (missing with the shape's share); the outcome improves with
 * weeks in treatment, more so with a higher alliance; a discharged episode is a dropout with the
 * shape's share, raised for a low alliance and lowered for a high one; readmissions are later
 * episodes of an earlier client, admitted after that one's discharge.
 *
 *   npm run generate -- --episodes 1000000 --therapists 50000 --sites 50 --order shuffled --out /tmp/big
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { createRandom } from "../demo/random.ts";
import { daysBetween } from "../../pipeline/dates.ts";
import { ADMIT_FROM, ADMIT_TO, CUTOFFS, EXPORT_DATE, SITE_NAMES, type StudyShape } from "./shape.ts";

export interface WrittenStudy {
  dir: string;
  config: string;
  episodes: number;
  sessions: number;
}

const DAY0 = Date.parse(`${ADMIT_FROM}T00:00:00Z`) / 86_400_000;
const ADMIT_DAYS = daysBetween(ADMIT_FROM, ADMIT_TO);
const EXPORT_DAY = daysBetween(ADMIT_FROM, EXPORT_DATE);

/** Dates as text, each day formatted once. */
const dayText: string[] = [];
const dateOf = (day: number): string =>
  (dayText[day] ??= new Date((DAY0 + day) * 86_400_000).toISOString().slice(0, 10));

export function siteName(i: number): string {
  return i < SITE_NAMES.length ? SITE_NAMES[i]! : `Site ${i + 1}`;
}

/** Writes the study into `dir` (made if needed). */
export function writeStudy(shape: StudyShape, dir: string): WrittenStudy {
  mkdirSync(dir, { recursive: true });
  const rng = createRandom(shape.seed);
  const nTherapists = Math.max(1, shape.therapists);
  const nSites = Math.max(1, Math.min(shape.sites, nTherapists));
  // Therapists: site, effect. Site sizes follow from how many therapists each has.
  const siteWeight = Array.from({ length: nSites }, (_, s) => (shape.siteSizes === "skewed" ? 0.35 ** s : 1));
  const therapistSite = new Int32Array(nTherapists);
  const therapistEffect = new Float64Array(nTherapists);
  for (let t = 0; t < nTherapists; t++) {
    therapistSite[t] = t < nSites ? t : pickWeighted(siteWeight, rng.uniform());
    therapistEffect[t] = rng.normal(0, shape.therapistSd);
  }
  const bySite: number[][] = Array.from({ length: nSites }, () => []);
  for (let t = 0; t < nTherapists; t++) bySite[therapistSite[t]!]!.push(t);
  const siteTotal = siteWeight.reduce((a, b) => a + b, 0);

  // Sessions as columns; episodes written as they are made.
  const cap = Math.max(16, Math.ceil(shape.episodes * (shape.sessionsPerEpisode + 2)));
  let sClient = new Int32Array(cap);
  let sDay = new Int32Array(cap);
  let sAlliance = new Float64Array(cap);
  let sOutcome = new Float64Array(cap);
  let nSessions = 0;
  const extra = shape.extraScores;
  let sExtra = new Float64Array(cap * extra);
  const push = (client: number, day: number, alliance: number, outcome: number, extras: number[]) => {
    if (nSessions === sClient.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      sClient = grow(sClient);
      sDay = grow(sDay);
      sAlliance = grow(sAlliance);
      sOutcome = grow(sOutcome);
      const e2 = new Float64Array(sClient.length * extra);
      e2.set(sExtra);
      sExtra = e2;
    }
    sClient[nSessions] = client;
    sDay[nSessions] = day;
    sAlliance[nSessions] = alliance;
    sOutcome[nSessions] = outcome;
    for (let k = 0; k < extra; k++) sExtra[nSessions * extra + k] = extras[k]!;
    nSessions++;
  };

  const f = shape.format;
  const nl = f.crlf ? "\r\n" : "\n";
  const d = f.delimiter;
  const num = (x: number) => (f.decimalComma ? String(x).replace(".", ",") : String(x));
  const out = (name: string) => {
    const fd = openSync(join(dir, name), "w");
    let buffer: string[] = [];
    let size = 0;
    const flush = () => {
      if (!buffer.length) return;
      const text = buffer.join("");
      writeSync(fd, f.latin1 ? Buffer.from(text, "latin1") : Buffer.from(text, "utf8"));
      buffer = [];
      size = 0;
    };
    if (f.bom) writeSync(fd, Buffer.from([0xef, 0xbb, 0xbf]));
    return {
      line(cells: string[]) {
        const l = cells.join(d) + nl;
        buffer.push(l);
        size += l.length;
        if (size > 1 << 20) flush();
      },
      close() {
        flush();
        closeSync(fd);
      },
    };
  };

  const episodes = out("episodes.csv");
  episodes.line(["ClientID", "Site", "Clinician", "AdmitDate", "DischargeDate", "DischargeReason"]);
  const width = Math.max(5, String(shape.episodes).length);
  let clients = 0;
  let lastClient = -1;
  let lastDischarge = -1; // day of the last client's last discharge; -1 while open
  const noRatingSite = shape.siteWithoutRatings ? 0 : -1;
  for (let i = 0; i < shape.episodes; i++) {
    const readmit =
      lastClient >= 0 && lastDischarge >= 0 && lastDischarge < ADMIT_DAYS - 7 && rng.chance(shape.readmissionShare);
    const client = readmit ? lastClient : clients++;
    const site = pickWeighted(siteWeight, rng.uniform(), siteTotal);
    const pool = bySite[site]!;
    const therapist = pool[Math.floor(rng.uniform() * pool.length)]!;
    const admit = readmit
      ? lastDischarge + rng.int(7, Math.min(60, ADMIT_DAYS - lastDischarge))
      : rng.int(0, ADMIT_DAYS);
    const latent = shape.allianceMean + therapistEffect[therapist]! + rng.normal(0, 3.2);
    const z = (latent - shape.allianceMean) / 3.8;
    const discharged = rng.chance(shape.dischargedShare);
    const weeks = Math.max(1, Math.round(shape.sessionsPerEpisode * (0.5 + rng.uniform())));
    let dropout = false;
    if (discharged && shape.dropoutShare > 0 && shape.dropoutShare < 1) {
      const p = 1 / (1 + Math.exp(-(Math.log(shape.dropoutShare / (1 - shape.dropoutShare)) - 0.6 * z)));
      dropout = rng.chance(p);
    } else dropout = discharged && shape.dropoutShare >= 1;
    const lastWeek = discharged
      ? dropout
        ? Math.max(0, Math.floor(weeks * rng.uniform()))
        : weeks - 1
      : Math.min(weeks * 3, Math.floor((EXPORT_DAY - admit) / 7));
    const first = admit + rng.int(0, 6);
    const gain = 7 + 2.1 * z + rng.normal(0, 5.5) + 0.5 * therapistEffect[therapist]!;
    const intake = rng.normal(19, 6);
    let lastSession = admit;
    for (let w = 0; w <= lastWeek; w++) {
      const day = first + 7 * w;
      if (day > EXPORT_DAY) break;
      if (w > 0 && !rng.chance(0.88)) continue;
      const missing = site === noRatingSite || rng.chance(shape.missingRatings);
      const alliance = missing ? NaN : Math.round(10 * clamp(latent + rng.normal(0, 2), 0, 40)) / 10;
      const outcome = rng.chance(0.05)
        ? NaN
        : Math.round(clamp(intake + gain * (1 - Math.exp(-w / 4)) + rng.normal(0, 2.5), 0, 40));
      const extras = Array.from({ length: extra }, () =>
        missing ? NaN : Math.round(clamp(latent + rng.normal(0, 3), 0, 40)),
      );
      push(client, day, alliance, outcome, extras);
      if (rng.chance(shape.duplicateShare)) push(client, day, alliance, outcome, extras);
      lastSession = day;
    }
    const discharge = discharged ? Math.min(lastSession + (dropout ? rng.int(14, 30) : rng.int(0, 3)), EXPORT_DAY) : -1;
    const reason = !discharged
      ? ""
      : dropout
        ? rng.chance(0.3)
          ? "left against advice"
          : "dropped out"
        : rng.chance(0.05)
          ? "transferred"
          : "completed";
    episodes.line([
      `C${String(client + 1).padStart(width, "0")}`,
      siteName(site),
      `T${String(therapist + 1).padStart(String(nTherapists).length, "0")}`,
      dateOf(admit),
      discharge < 0 ? "" : dateOf(discharge),
      reason,
    ]);
    lastClient = client;
    lastDischarge = discharge;
  }
  episodes.close();

  const order = new Uint32Array(nSessions);
  for (let i = 0; i < nSessions; i++) order[i] = i;
  if (shape.order === "shuffled") {
    for (let i = nSessions - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  } else {
    // By date, then client, as a typical export (and the demo) writes them.
    const key = new Float64Array(nSessions);
    for (let i = 0; i < nSessions; i++) key[i] = sDay[i]! * 1e8 + sClient[i]!;
    order.sort((a, b) => key[a]! - key[b]!);
  }
  const sessions = out("sessions.csv");
  const extraNames = Array.from({ length: extra }, (_, k) => `Extra_${k + 1}`);
  sessions.line(["ClientID", "SessionDate", "SRS_Total", "ORS_Total", ...extraNames]);
  const score = (x: number) => (Number.isNaN(x) ? "" : num(x));
  for (let k = 0; k < nSessions; k++) {
    const i = order[k]!;
    const cells = [
      `C${String(sClient[i]! + 1).padStart(width, "0")}`,
      dateOf(sDay[i]!),
      score(sAlliance[i]!),
      score(sOutcome[i]!),
    ];
    for (let e = 0; e < extra; e++) cells.push(score(sExtra[i * extra + e]!));
    sessions.line(cells);
  }
  sessions.close();

  const config = join(dir, "study.yaml");
  writeFileSync(config, stringify(studyConfig(shape, extraNames)));
  return { dir, config, episodes: shape.episodes, sessions: nSessions };
}

/** The config a careful user would write for the shape's files. */
export function studyConfig(shape: StudyShape, extraNames: string[]): Record<string, unknown> {
  return {
    study: { name: "generated", title: "Generated study" },
    files: { episodes: "episodes.csv", sessions: "sessions.csv" },
    columns: {
      episodes: {
        client_id: "ClientID",
        site: "Site",
        therapist_id: "Clinician",
        admit_date: "AdmitDate",
        discharge_date: "DischargeDate",
        discharge_reason: "DischargeReason",
      },
      sessions: { client_id: "ClientID", session_date: "SessionDate", alliance: "SRS_Total", outcome: "ORS_Total" },
    },
    alliance: {
      instrument: "Session Rating Scale (SRS)",
      min: 0,
      max: 40,
      ...(extraNames.length
        ? { subscales: extraNames.map((c, k) => ({ name: `extra${k + 1}`, column: c, min: 0, max: 40 })) }
        : {}),
    },
    outcome: { measure: "Outcome Rating Scale (ORS)", min: 0, max: 40, higher_is_better: true },
    dropout_reasons: ["dropped out", "left against advice"],
    completion_reasons: ["completed"],
    cutoff_date: CUTOFFS[shape.cutoff],
    tiers: { cut_points: [30, 36], labels: ["low", "moderate", "high"] },
    ...(shape.format.decimalComma ? { values: { decimal_mark: "," } } : {}),
    privacy: { min_cell_size: 11 },
  };
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Index drawn by weight from u in [0, 1). */
function pickWeighted(weights: readonly number[], u: number, total = weights.reduce((a, b) => a + b, 0)): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]! / total;
    if (u < acc) return i;
  }
  return weights.length - 1;
}
