/**
 * User-facing messages of ingest and the CLI, in one place so tests assert against them
 * rather than copies of their text. Validation rule messages live in the rule catalogue
 * (stages/validation-rules.ts); config messages beside the config loader.
 */
import type { Problem } from "./problem.ts";

export const messages = {
  /** DuckDB ran out of memory: a study too large for the machine (see outOfMemoryProblem). */
  outOfMemory: (detail: string): Problem => ({
    code: "E_OUT_OF_MEMORY",
    message: `the study needs more memory than this machine could give (${detail.split("\n")[0]!.trim()})`,
    fix: "Close other programs and run it again, or run it on a machine with more memory: ten million sessions need about 4 GB (README, Speed). Data that did not fit was moved to a private folder in the system's temporary folder, which has been removed.",
  }),
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

/**
 * The problem to report for an error thrown during a run, when it is DuckDB running out of memory;
 * null for any other error (a bug, to propagate).
 * @example outOfMemoryProblem(new Error("Out of Memory Error: failed to allocate data of size 16.0 MiB"))?.code // => "E_OUT_OF_MEMORY"
 */
export function outOfMemoryProblem(e: unknown): Problem | null {
  return e instanceof Error && /Out of Memory Error/i.test(e.message) ? messages.outOfMemory(e.message) : null;
}
