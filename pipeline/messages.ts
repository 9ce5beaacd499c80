/**
 * User-facing messages of ingest and the CLI, in one place so tests assert against them
 * rather than copies of their text. Validation rule messages live in the rule catalogue
 * (stages/validation-rules.ts); config messages beside the config loader.
 */
import type { Problem } from "./problem.ts";

export const messages = {
  fileUnreadable: (path: string, role: string, reason: string): Problem => ({
    code: "E_FILE_UNREADABLE",
    message: `the ${role} file cannot be read (${reason})`,
    where: { file: path },
    fix: `Check files.${role} in the config; paths are relative to the config file's folder.`,
  }),
  fileUnparseable: (file: string, format: string | null, detail: string): Problem => ({
    code: "E_FILE_UNPARSEABLE",
    // The reader's own message, without the line it quotes: the identifier guard has not seen that line yet.
    message: `cannot be read${format ? ` as ${format}` : ""}: ${detail.split("\n").filter((l) => !/^\s*Original Line/i.test(l)).slice(0, 3).join(" ")}`,
    where: { file },
    fix: "Check that the file is complete and in one of the formats of docs/data-contract.md (CSV/TSV with one header row, xlsx, SPSS .sav, Parquet, JSON or NDJSON); name its format, sheet, delimiter or encoding under files in the config if detection picked the wrong one.",
  }),
  columnMissing: (file: string, field: string, column: string, present: string[]): Problem => {
    const near = present.find((c) => c.toLowerCase() === column.toLowerCase());
    return {
      code: "E_COLUMN_MISSING",
      message: `has no column "${column}" (the config maps ${field} to it)`,
      where: { file, row: 1, column },
      fix: near
        ? `The file has "${near}": change columns.*.${field} in the config to "${near}".`
        : `Add the column to the file, or map ${field} to one of its columns: ${present.join(", ")}.`,
    };
  },
} as const;
