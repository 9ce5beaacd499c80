/** What the page keeps of a study, as the API gives it (docs/app.md). */
export interface FileReading {
  format: string;
  delimiter: string | null;
  encoding: "utf-8" | "latin-1" | null;
}

export interface StudyFile {
  id: string;
  name: string;
  path: string;
  format: string;
  rows: number;
  columns: string[];
  reading: FileReading;
}

export interface Values {
  decimal_mark: "." | ",";
  date_format: "iso" | "us" | "day_first";
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

export interface PreviewCell {
  text: string | null;
  value: string | number | null;
  ok: boolean;
}

export interface Preview {
  reading: FileReading;
  columns: { name: string; kind: string }[];
  rows: { row: number; cells: PreviewCell[] }[];
  problems: { code: string; message: string; fix?: string }[];
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
