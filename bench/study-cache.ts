/**
 * The benchmarks' study: generated once by the demo generator (data/demo/generate.ts) into a cache
 * folder in the system's temporary directory, which later runs of the same size and seed reuse
 * (1,310,000 episodes give about 10 million sessions).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

/** @example cachedStudy("100000", "20261122") // => "/tmp/alliance-bench-100000-20261122" (with study.yaml, episodes.csv, sessions.csv) */
export function cachedStudy(episodes: string, seed: string): string {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const dir = join(tmpdir(), `alliance-bench-${episodes}-${seed}`);
  if (!existsSync(join(dir, "study.yaml"))) {
    console.log(`generating ${Number(episodes).toLocaleString("en-US")} episodes into ${dir} (once; later runs reuse it)`);
    execFileSync(process.execPath, [join(root, "bin/run-ts.mjs"), join(root, "data/demo/generate.ts"), "--episodes", episodes, "--seed", seed, "--out", dir], { stdio: "inherit" });
    const config = parse(readFileSync(join(root, "data/demo/study.yaml"), "utf8"));
    config.study.name = "bench";
    writeFileSync(join(dir, "study.yaml"), stringify(config));
  }
  return dir;
}
