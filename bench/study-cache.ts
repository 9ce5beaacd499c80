/**
 * The benchmarks' studies: generated once for each shape (data/generator/write-study.ts) into a cache
 * folder in the system's temporary directory, named by the shape, which later runs reuse.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeStudy } from "../data/generator/write-study.ts";
import type { StudyShape } from "../data/generator/shape.ts";

/** @example cachedStudy({ ...DEFAULT_SHAPE, episodes: 100000 }) // => "/tmp/alliance-bench-3f2a…" (study.yaml, episodes.csv, sessions.csv) */
export function cachedStudy(shape: StudyShape): string {
  const key = createHash("sha256").update(JSON.stringify(shape)).digest("hex").slice(0, 12);
  const dir = join(tmpdir(), `alliance-bench-${shape.episodes}-${key}`);
  if (!existsSync(join(dir, "study.yaml"))) {
    console.log(
      `generating ${shape.episodes.toLocaleString("en-US")} episodes into ${dir} (once; later runs reuse it)`,
    );
    const written = writeStudy(shape, dir);
    console.log(`  ${written.sessions.toLocaleString("en-US")} sessions`);
  }
  return dir;
}
