/**
 * The app's study config: made from init's proposal once the reading is confirmed, checked by the
 * same parser as the CLI's (config/load-config.ts) when the user changes it, and saved as the
 * study.yaml that `alliance run --config` reads. In the workspace the files are the app's stored
 * uploads; the saved study.yaml names them as the user's own files, so that it works beside them.
 */
import { basename, join } from "node:path";
import { writeFileSync } from "node:fs";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { InputFile, InputFileOptions, StudyConfigFile } from "../config/types.ts";
import { parseStudyConfig } from "../config/load-config.ts";
import { proposeStudy } from "../drivers/init.ts";
import type { InputSource } from "../config/study.ts";
import { fail, ok, type Problem, type Result } from "../problem.ts";
import { problem } from "../messages.ts";
import type { StoredFile, StudyState } from "./workspace.ts";

const ROLES = ["episodes", "sessions", "long", "wide"] as const;
const YAML_HEADER =
  "# Saved by `alliance app`. Run it beside its files: alliance run --config study.yaml (docs/config.md)\n";

/** The config entry of a stored file, with the reading the user confirmed. */
export function fileEntry(f: StoredFile): InputFileOptions {
  const text = f.reading.format === "csv" || f.reading.format === "tsv";
  return {
    path: f.stored,
    format: f.reading.format,
    ...(text && f.reading.delimiter ? { delimiter: f.reading.delimiter } : {}),
    ...(text && f.reading.encoding ? { encoding: f.reading.encoding } : {}),
  };
}

const pathOf = (f: InputFile): string => (typeof f === "string" ? f : f.path);

/** The config's files with the confirmed reading of each, and its values with the confirmed marks. */
function withReading(config: StudyConfigFile, state: StudyState): StudyConfigFile {
  const files: StudyConfigFile["files"] = {};
  for (const role of ROLES) {
    const entry = config.files[role];
    if (entry === undefined) continue;
    const stored = state.files.find((f) => f.stored === pathOf(entry));
    files[role] = stored ? fileEntry(stored) : entry;
  }
  return {
    ...config,
    files,
    values: { ...config.values, decimal_mark: state.values.decimal_mark, date_format: state.values.date_format },
  };
}

/**
 * Init's proposal for the stored files, read as confirmed: the config as JSON and its blanks. The
 * columns init takes for identifiers are not dropped here but kept aside: validation names them and
 * the user drops each with a click, so that no column leaves the study without the user's word.
 */
export async function proposeForApp(
  dir: string,
  state: StudyState,
): Promise<Result<{ config: StudyConfigFile; todos: string[]; flagged: StudyState["flagged"] }>> {
  const sources = state.files.map((f): InputSource => ({
    path: join(dir, f.stored),
    format: f.reading.format,
    sheet: null,
    delimiter: f.reading.delimiter,
    encoding: f.reading.encoding,
  }));
  // The upload route took one data file or two: the study holds nothing else.
  const proposal = await proposeStudy(sources, dir);
  if (!proposal.ok) return proposal;
  const raw = parseYaml(proposal.value.text) as StudyConfigFile;
  raw.study.name = "study";
  if (raw.privacy) delete raw.privacy.drop_columns;
  const todos = proposal.value.blanks.filter((b) => b !== "values.date_format");
  return ok({ config: withReading(raw, state), todos, flagged: proposal.value.flagged });
}

/** The state after the user confirmed the reading: the files' reading and values in the config too. */
export function applyReading(state: StudyState): StudyState {
  return state.config ? { ...state, config: withReading(state.config, state) } : state;
}

/**
 * Checks a config the user sent: only the study's own stored files may be named (no other path on
 * the machine), no branding files, and it must pass every check of the CLI's parser. On success
 * writes study.yaml in the study's folder, which runs read.
 */
export function acceptConfig(dir: string, state: StudyState, config: unknown): Result<StudyConfigFile> {
  if (typeof config !== "object" || config === null || Array.isArray(config))
    return fail(
      problem("E_APP_REQUEST", { reason: "the config must be a JSON object (see schema/study-config.schema.json)" }),
    );
  const c = config as StudyConfigFile;
  const stored = new Set(state.files.map((f) => f.stored));
  const problems: Problem[] = [];
  for (const role of ROLES) {
    const entry = c.files?.[role];
    if (entry !== undefined && !stored.has(pathOf(entry)))
      problems.push(
        problem(
          "E_APP_REQUEST",
          { reason: `files.${role} must name one of the study's uploaded files (${[...stored].join(", ")})` },
          { key: `files.${role}` },
        ),
      );
  }
  if (c.reporting?.branding?.logo !== undefined || c.reporting?.branding?.templates !== undefined) {
    problems.push(
      problem(
        "E_APP_REQUEST",
        {
          reason:
            "reporting.branding.logo and reporting.branding.templates name files on the machine, which the app does not read; use the CLI for them",
        },
        { key: "reporting.branding" },
      ),
    );
  }
  if (problems.length) return fail(...problems);
  const text = configYaml(c);
  const parsed = parseStudyConfig(text, join(dir, "study.yaml"));
  if (!parsed.ok) return parsed;
  writeFileSync(join(dir, "study.yaml"), text, { mode: 0o600 });
  return ok(c);
}

/** The config as YAML text. */
export const configYaml = (config: StudyConfigFile): string => YAML_HEADER + stringifyYaml(config, { lineWidth: 0 });

/**
 * The study.yaml to download: the workspace's, with each stored file named by the name it was sent
 * with, so that it runs beside the user's own files (`alliance run --config study.yaml`).
 */
export function savedYaml(state: StudyState): string | null {
  if (!state.config) return null;
  const files: StudyConfigFile["files"] = {};
  for (const role of ROLES) {
    const entry = state.config.files[role];
    if (entry === undefined) continue;
    const stored = state.files.find((f) => f.stored === pathOf(entry));
    files[role] = stored ? { ...(typeof entry === "string" ? {} : entry), path: stored.name } : entry;
  }
  return configYaml({ ...state.config, files });
}

/**
 * A study.yaml the user added with their files: its files matched to the uploads by name, its reading
 * taken over, the rest kept as it is. Null when the text is not a study config.
 */
export function restoreConfig(text: string, state: StudyState): StudyState | null {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch {
    return null;
  }
  if (typeof raw !== "object" || raw === null || !("files" in raw) || !("columns" in raw)) return null;
  const config = raw as StudyConfigFile;
  const files = state.files.map((f) => ({ ...f }));
  const mapped: StudyConfigFile["files"] = {};
  for (const role of ROLES) {
    const entry = config.files[role];
    if (entry === undefined) continue;
    const stored = files.find((f) => f.name === basename(pathOf(entry)));
    if (!stored) return null;
    if (typeof entry !== "string")
      stored.reading = {
        format: entry.format ?? stored.reading.format,
        delimiter: entry.delimiter ?? stored.reading.delimiter,
        encoding: entry.encoding ?? stored.reading.encoding,
      };
    mapped[role] = typeof entry === "string" ? stored.stored : { ...entry, path: stored.stored };
  }
  const values = {
    decimal_mark: config.values?.decimal_mark ?? ".",
    date_format: config.values?.date_format ?? "iso",
  } as const;
  return { ...state, files, values, config: { ...config, files: mapped }, todos: [] };
}
