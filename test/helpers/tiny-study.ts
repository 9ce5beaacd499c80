/** Builds a small study (CSV files and a config) in a temporary folder, for stage tests. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { parseStudyConfig } from "../../pipeline/config/load-config.ts";
import type { Study } from "../../pipeline/config/study.ts";
import { tempDir } from "./temp-dir.ts";

export const EPISODE_HEADER = "ClientID,Site,Clinician,AdmitDate,DischargeDate,DischargeReason";
export const SESSION_HEADER = "ClientID,SessionDate,SRS_Total,ORS_Total";

/** The demo's config as an object, for tests to change one key at a time. */
export function demoLikeConfig(): Record<string, any> {
  return {
    study: { name: "tiny", title: "Tiny test study" },
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
    alliance: { instrument: "Session Rating Scale (SRS)", min: 0, max: 40 },
    outcome: { measure: "Outcome Rating Scale (ORS)", min: 0, max: 40, higher_is_better: true },
    dropout_reasons: ["dropped out", "left against advice"],
    cutoff_date: "2025-12-31",
    tiers: { cut_points: [30, 36], labels: ["low", "moderate", "high"] },
    privacy: { min_cell_size: 11 },
  };
}

export interface TinyStudy {
  dir: string;
  configPath: string;
  study: Study;
}

/** Writes the two CSV files (lines without the header) and the config; returns the parsed Study. */
export function writeTinyStudy(
  episodes: string[],
  sessions: string[],
  change: (c: Record<string, any>) => void = () => {},
  headers = { episodes: EPISODE_HEADER, sessions: SESSION_HEADER },
): TinyStudy {
  return writeStudyFiles(
    {
      "episodes.csv": [headers.episodes, ...episodes].join("\n") + "\n",
      "sessions.csv": [headers.sessions, ...sessions].join("\n") + "\n",
    },
    change,
  );
}

/**
 * Writes any files (name → text or bytes) and the demo-like config changed by `change`; returns the
 * parsed Study, or throws with the config's problems.
 */
export function writeStudyFiles(
  files: Record<string, string | Buffer>,
  change: (c: Record<string, any>) => void = () => {},
): TinyStudy {
  const dir = tempDir("alliance-test-");
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const config = demoLikeConfig();
  change(config);
  const configPath = join(dir, "study.yaml");
  const text = stringify(config);
  writeFileSync(configPath, text);
  const parsed = parseStudyConfig(text, configPath);
  if (!parsed.ok) throw new Error(`test config invalid: ${JSON.stringify(parsed.problems)}`);
  return { dir, configPath, study: parsed.value };
}
