/** What the page keeps of a study, as the API gives it (docs/app.md); the server's own types where it has them. */
import type { FileReading, ValueReading } from "../../pipeline/app/reading.ts";

export type { FileReading, Preview, PreviewCell } from "../../pipeline/app/reading.ts";
export type Values = ValueReading;

export interface StudyFile {
  id: string;
  name: string;
  path: string;
  format: string;
  rows: number;
  columns: string[];
  reading: FileReading;
}

export interface Study {
  id: string;
  files: StudyFile[];
  values: Values;
  reading_confirmed: boolean;
  has_config: boolean;
  todos: string[];
  flagged: { column: string; kind: string }[];
}

export interface Finding {
  code: string;
  severity: "error" | "warning" | "note";
  file: string | null;
  file_id: string | null;
  row: number | null;
  column: string | null;
  key: string | null;
  message: string;
  fix: string;
}

export interface Validation {
  errors: number;
  warnings: number;
  notes: number;
  findings: Finding[];
}

/** The study config (schema/study-config.schema.json), as loosely as the page needs it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Config = Record<string, any>;
