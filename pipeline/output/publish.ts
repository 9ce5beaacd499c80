/**
 * The last step of every command that writes outputs: the release check reads what is about to be
 * published, and only if it passes are the staged outputs swapped in; otherwise every staging folder
 * is discarded and the previous outputs stay as they were. The CLI's scaffold (commands/command.ts)
 * and the app's engine (app/engine.ts) both publish through here, so they cannot drift apart.
 */
import { join } from "node:path";
import type { Problem } from "../problem.ts";
import { releaseCheck, type ReleaseRules } from "../privacy/release-check.ts";
import type { StagedOutput } from "./staged-output.ts";

/**
 * Checks the staged outputs against `release` (none when null) and commits them all, or discards them
 * all. Returns the release check's problems, each with its file named as `name(staged)` sees it; an
 * empty list means the outputs were published.
 * @example await publishChecked([stageOutput("reports/demo", RUN_OUTPUTS)], rules) // => [] (published)
 */
export async function publishChecked(
  staged: readonly StagedOutput[],
  release: ReleaseRules | null,
  name: (s: StagedOutput) => string = (s) => s.target,
): Promise<Problem[]> {
  if (release) {
    const checked = await Promise.all(staged.map((s) => releaseCheck(s.dir, release)));
    const found = checked.flatMap((r, i) =>
      r.problems.map((p) => ({ ...p, where: { ...p.where, file: join(name(staged[i]!), p.where?.file ?? "") } })),
    );
    if (found.length) {
      for (const s of staged) s.discard();
      return found;
    }
  }
  for (const s of staged) s.commit();
  return [];
}
