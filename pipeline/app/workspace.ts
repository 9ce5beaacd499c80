/**
 * The app's workspace on disk: one folder per study, made readable by the user only, and nothing
 * written outside it. A study's folder holds its uploads under names the app makes (f1.csv, f2.xlsx:
 * a client's file name is display text, never a path), its state, its study.yaml and its runs:
 *
 *   <workspace>/studies/<id>/state.json    what the steps have settled (files, reading, config)
 *                           /study.yaml    the config as the pipeline reads it, once it passes
 *                           /files/f1.csv  the uploads
 *                           /runs/<run>/   each run's published outputs
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import type { StudyConfigFile } from "../config/types.ts";
import type { FileReading, ValueReading } from "./reading.ts";

/** An uploaded file. */
export interface StoredFile {
  /** The app's id of the file: f1, f2, … */
  id: string;
  /** The name the browser sent: shown to the user and written into the saved study.yaml, never used as a path. */
  name: string;
  /** The file in the study's folder: files/<id><ext>. */
  stored: string;
  bytes: number;
  rows: number;
  columns: string[];
  reading: FileReading;
}

/** What the steps of a study have settled so far. */
export interface StudyState {
  id: string;
  files: StoredFile[];
  /** The decimal mark and date order, for all files. */
  values: ValueReading;
  /** Whether the user has confirmed how the files read (the proposal is made only then). */
  readingConfirmed: boolean;
  /** The config as JSON, with paths under files/; null until the reading is confirmed. */
  config: StudyConfigFile | null;
  /** The blanks still to fill in (config keys). */
  todos: string[];
  /** Columns init took for direct identifiers: validate names them, and the user drops them with a click. */
  flagged: { column: string; kind: string }[];
}

const ID = /^[a-f0-9]{16}$/;
/** Extensions kept on a stored upload (so that detection by name works as for the CLI); others are dropped. */
const KEPT_EXTENSIONS = new Set([
  ".csv",
  ".tsv",
  ".tab",
  ".txt",
  ".xlsx",
  ".sav",
  ".parquet",
  ".json",
  ".ndjson",
  ".yaml",
  ".yml",
]);

/**
 * The folder of a workspace, made with mode 0700. Throws (with the system's code) when it cannot be.
 * @example openWorkspace("alliance-workspace").studyDir("0123456789abcdef") // => "/…/alliance-workspace/studies/0123456789abcdef"
 */
export function openWorkspace(root: string) {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  chmodSync(root, 0o700);
  const studies = join(root, "studies");
  mkdirSync(studies, { recursive: true, mode: 0o700 });
  const tmp = join(root, ".tmp");
  mkdirSync(tmp, { recursive: true, mode: 0o700 });
  return {
    root,
    /** Where DuckDB's spill files and the browser's profile go, so that nothing is written outside. */
    tmp,
    /** A study's folder, or null when the id is not one the app makes (so no id reaches a path unchecked). */
    studyDir(id: string): string | null {
      return ID.test(id) && existsSync(join(studies, id)) ? join(studies, id) : null;
    },
    /** Makes a new study's folder; returns its id. */
    newStudy(): string {
      const id = randomBytes(8).toString("hex");
      mkdirSync(join(studies, id, "files"), { recursive: true, mode: 0o700 });
      return id;
    },
    deleteStudy(id: string): boolean {
      const dir = this.studyDir(id);
      if (!dir) return false;
      rmSync(dir, { recursive: true, force: true });
      return true;
    },
  };
}

export type Workspace = ReturnType<typeof openWorkspace>;

/**
 * The stored name of the n-th upload: the app's own, keeping only a known extension of the sent name.
 * @example storedName(3, "../../x.csv") // => "files/f3.csv"
 */
export function storedName(n: number, sentName: string): string {
  const ext = extname(sentName).toLowerCase();
  return `files/f${n}${KEPT_EXTENSIONS.has(ext) ? ext : ""}`;
}

/**
 * A sent file name as display text: its last path part, without control characters, at most 200 long.
 * @example displayName("C:\\exports\\..\\episodes.csv") // => "episodes.csv"
 */
export function displayName(sent: string): string {
  const last = sent.split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  const clean = last
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim()
    .slice(0, 200);
  return clean === "" || clean === "." || clean === ".." ? "file" : clean;
}

export function readState(dir: string): StudyState {
  return JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as StudyState;
}

/** Writes the state whole or not at all (a new file renamed over the old). */
export function writeState(dir: string, state: StudyState): void {
  const tmp = join(dir, `.state.${process.pid}.json`);
  writeFileSync(tmp, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
  renameSync(tmp, join(dir, "state.json"));
}
