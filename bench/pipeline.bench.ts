/**
 * Benchmark of `alliance run` on a generated study of a given size.
 *   npm run bench -- --episodes 1310000 [--seed N] [--no-pdf] [--runs 3]
 * The demo generator (data/demo/model.ts) writes the study's CSV files once, into a cache folder in
 * the system's temporary directory that later runs of the same size and seed reuse (1,310,000
 * episodes give about 10 million sessions). Each run happens in a fresh child process, so the peak
 * memory printed is the pipeline's alone, not the generator's. Prints each phase's seconds and rows
 * per second, CSV → derive (ingest + validate + derive), the whole run, and the peak resident memory
 * (of the whole run, and by the end of derive); with several runs, the median of each.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median } from "simple-statistics";
import { DEMO_PARAMETERS } from "../data/demo/model.ts";
import { loadStudyConfig } from "../pipeline/config/load-config.ts";
import { runStudy, type Phase } from "../pipeline/run.ts";
import { runChild } from "./child-run.ts";
import { cachedStudy } from "./study-cache.ts";

const { values } = parseArgs({
  options: {
    episodes: { type: "string", default: "100000" },
    seed: { type: "string", default: String(DEMO_PARAMETERS.seed) },
    "no-pdf": { type: "boolean", default: false },
    runs: { type: "string", default: "1" },
    child: { type: "string" },
  },
});

interface RunTimes {
  phases: Partial<Record<Phase, number>>;
  rows: number;
  peakMb: number;
  /** Peak resident memory when derive had ended (the CSV → derive target's memory). */
  deriveMb: number;
}

const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

if (values.child !== undefined) {
  // One timed run, in its own process; prints its times as the last line of output.
  const study = loadStudyConfig(join(values.child, "study.yaml"));
  if (!study.ok) throw new Error(JSON.stringify(study.problems));
  const out = mkdtempSync(join(tmpdir(), "alliance-bench-out-"));
  const phases: RunTimes["phases"] = {};
  let deriveMb = 0;
  const run = await runStudy(study.value, {
    outDir: out,
    pdf: !values["no-pdf"],
    onPhase: (phase, s) => {
      phases[phase] = s;
      if (phase === "derive") deriveMb = peakMb();
    },
  });
  rmSync(out, { recursive: true, force: true });
  if (!run.ok) throw new Error(JSON.stringify(run.problems));
  const rows = run.value.results.provenance.inputs.reduce((a, f) => a + (f.rows ?? 0), 0);
  console.log(JSON.stringify({ phases, rows, peakMb: peakMb(), deriveMb } satisfies RunTimes));
} else {
  const dir = cachedStudy(values.episodes, values.seed);
  const runs: RunTimes[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    runs.push(runChild<RunTimes>(fileURLToPath(import.meta.url), ["--child", dir, ...(values["no-pdf"] ? ["--no-pdf"] : [])]));
  }
  const rows = runs[0]!.rows;
  const sum = (r: RunTimes, phases: Phase[]) => phases.reduce((a, p) => a + (r.phases[p] ?? 0), 0);
  const line = (name: string, seconds: number) => console.log(`${name.padEnd(14)} ${seconds.toFixed(2).padStart(7)} s  ${Math.round(rows / seconds).toLocaleString("en-US").padStart(12)} rows/s`);
  console.log(`study: ${rows.toLocaleString("en-US")} input rows (episodes + sessions), ${runs.length} run${runs.length > 1 ? "s, medians" : ""}`);
  const phases = Object.keys(runs[0]!.phases) as Phase[];
  for (const p of phases) line(p, median(runs.map((r) => r.phases[p]!)));
  line("CSV → derive", median(runs.map((r) => sum(r, ["ingest", "validate", "derive"]))));
  line("whole run", median(runs.map((r) => sum(r, phases))));
  console.log(`peak RSS       ${median(runs.map((r) => r.peakMb))} MB (${median(runs.map((r) => r.deriveMb))} MB by the end of derive)`);
}
