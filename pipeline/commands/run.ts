/**
 * `alliance run` and `alliance demo`: validate a study's data and write its report, results.json and
 * tables into the output folder (default reports/<study name>).
 */
import { join, resolve } from "node:path";
import { ROOT } from "../root.ts";
import { loadStudyConfig } from "../config/load-config.ts";
import {
  count,
  done,
  KEEP_INTERNAL,
  QUIET,
  refused,
  runTime,
  shown,
  type Command,
  type Context,
  type Outcome,
  type Values,
} from "./command.ts";

export const DEMO_CONFIG = join(ROOT, "data", "demo", "study.yaml");

/** What a run publishes in its output folder; `internal` only so that one an earlier version left there is removed. */
export const RUN_OUTPUTS = ["report.html", "report.pdf", "results.json", "tables", "internal"];

async function runConfig(configPath: string, values: Values, ctx: Context): Promise<Outcome> {
  const study = loadStudyConfig(configPath);
  if (!study.ok) return refused(`the config ${configPath} has ${count(study.problems, "problem")}`, study.problems);
  const outDir = resolve(typeof values.out === "string" ? values.out : `reports/${study.value.name}`);
  const internal = ctx.internalDir(values, outDir);
  if (!internal.ok) return refused("--keep-internal cannot be used so", [internal.problem]);
  const out = ctx.stage(outDir, RUN_OUTPUTS);
  const { runStudy } = await import("../drivers/run-study.ts"); // loaded only when a study runs: keeps --help fast
  const run = await runStudy(study.value, {
    outDir: out.dir,
    internalDir: internal.dir,
    pdf: !values["no-pdf"],
    now: runTime(),
    progress: ctx.progress,
  });
  if (!run.ok) {
    const files = [...new Set(run.problems.map((p) => p.where?.file).filter(Boolean))].join(", ");
    return refused(`${count(run.problems, "error")} in ${files || "the input"}; nothing was analysed`, run.problems);
  }
  return done({
    stdout: [`wrote ${run.value.files.map((f) => `${shown(outDir)}/${f}`).join(", ")}`],
    notices: run.value.notices,
    release: run.value.release,
  });
}

const RUN_HELP = `  --config <file>         the study config (YAML); see docs/config.md
  --out <dir>             output folder (default: reports/<study.name>)
  --no-pdf                write the HTML report only
  --keep-internal <dir>   also keep the row-level working files, in this folder (made readable by
                          you only; never inside the output folder). Without it none are kept.
  --quiet                 no progress on stderr (by default one line per phase, with its time)
  -h, --help              this help

Writes report.html, report.pdf, results.json and tables/*.csv, all safe to share: small counts are
withheld, and a release check reads every file before it is published (docs/privacy.md). The
previous outputs are replaced only when the run has finished. Exit code 0 on success, 1 when the
config or data has problems (each listed with file, row and column), 2 on wrong usage.
`;

export const runCommand: Command = {
  name: "run",
  summary: "validate a study's data and write its report, results.json and tables",
  usage: "alliance run --config <study.yaml> [--out <dir>] [--no-pdf] [--keep-internal <dir>] [--quiet]",
  help: RUN_HELP,
  options: {
    config: { type: "string" },
    out: { type: "string" },
    "no-pdf": { type: "boolean" },
    ...KEEP_INTERNAL,
    ...QUIET,
  },
  check: (v) => (typeof v.config === "string" ? null : "--config <file> is required"),
  run: (v, _p, ctx) => runConfig(v.config as string, v, ctx),
};

export const demoCommand: Command = {
  name: "demo",
  summary: "run the embedded synthetic demo study (data/demo/)",
  usage: "alliance demo [--out <dir>] [--no-pdf] [--keep-internal <dir>] [--quiet]",
  help: `  --out <dir>             output folder (default: reports/demo)
  --no-pdf                write the HTML report only
  --keep-internal <dir>   also keep the row-level working files, in this folder (never inside the output folder)
  --quiet                 no progress on stderr
  -h, --help              this help
`,
  options: {
    out: { type: "string" },
    "no-pdf": { type: "boolean" },
    config: { type: "string" },
    ...KEEP_INTERNAL,
    ...QUIET,
  },
  check: (v) =>
    v.config !== undefined
      ? "takes no --config (it always runs data/demo/study.yaml); use `alliance run --config <file>`"
      : null,
  run: (v, _p, ctx) => runConfig(DEMO_CONFIG, v, ctx),
};
