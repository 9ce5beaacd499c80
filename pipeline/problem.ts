/**
 * Errors as values. Every failure the user can cause is a Problem: a stable code, a
 * message written for the user, where it happened, and how to fix it. Stages return
 * Result<T> instead of throwing, so the driver decides what stops a run.
 */

/** Where a problem was found. Rows count the header as row 1, as a spreadsheet does. */
export interface Where {
  file?: string;
  row?: number;
  column?: string;
  /** A config key path such as `tiers.cut_points[1]`. */
  key?: string;
}

export interface Problem {
  /** Stable, documented code, e.g. `E_SCORE_NOT_NUMBER`. */
  code: string;
  message: string;
  where?: Where;
  fix?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(...problems: Problem[]): Result<T> => ({ ok: false, problems });

/**
 * One line naming where the problem is, what is wrong and how to fix it.
 * @example formatProblem({code: "E_X", message: "is not a number", where: {file: "s.csv", row: 3, column: "SRS"}})
 * // => "s.csv, row 3, column SRS: is not a number [E_X]"
 */
export function formatProblem(p: Problem): string {
  const w = p.where;
  const place = w
    ? [
        w.file,
        w.row !== undefined ? `row ${w.row}` : undefined,
        w.column !== undefined ? `column ${w.column}` : undefined,
        w.key !== undefined ? `key ${w.key}` : undefined,
      ]
        .filter((x) => x !== undefined)
        .join(", ")
    : "";
  const fix = p.fix ? ` Fix: ${p.fix}` : "";
  return `${place ? place + ": " : ""}${p.message}${fix} [${p.code}]`;
}

/**
 * Problems thrown rather than returned, from deep in a step that cannot return a Result (the staging
 * of outputs, say); the command's scaffold turns them into a coded refusal, never a stack trace.
 * @example throw new ProblemError([problem("E_OUTPUT_NOT_FOLDER", { path: "out", why: "it is a file" })])
 */
export class ProblemError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => p.message).join("; "));
  }
}
