/**
 * The `alliance` command line. Exit codes: 0 success, 1 the data or config has problems
 * (each named with file, row and column), 2 the command was used wrongly.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { basename, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadStudyConfig } from "./config/load-config.ts";
import { formatProblem, type Problem } from "./problem.ts";
import { outOfMemoryProblem } from "./messages.ts";

export const DEMO_CONFIG = fileURLToPath(new URL("../data/demo/study.yaml", import.meta.url));
/** How many problems are printed before "… and N more". */
const MAX_PRINTED = 40;

const HELP: Record<string, string> = {
  main: `alliance — alliance–outcome evidence from de-identified treatment data

Usage:
  alliance run --config <study.yaml> [--out <dir>] [--no-pdf]
  alliance validate --config <study.yaml> [--out <dir>]
  alliance init <files…> [--out <study.yaml>]
  alliance demo [--out <dir>] [--no-pdf]
  alliance report --config <study.yaml> --period <P> [--by site] [--out <dir>] [--previous <file|dir>] [--no-pdf]
  alliance meta --studies <file.csv> [--out <dir>] [--title <text>] [--by <column>] [--no-pdf]
  alliance <command> --help

Commands:
  run      validate a study's data and write its report, results.json and tables
  validate check a study's data against every rule; write validation.html and .json
  init     propose a config for your data files (column mapping by name and content)
  demo   run the embedded synthetic demo study (data/demo/)
  report quarterly reports for a period: the program's and, with --by site, each site's
  meta   pool published correlations (random effects), with forest and funnel plots
`,
  run: `alliance run — validate a study's data and write its report

Usage: alliance run --config <study.yaml> [--out <dir>] [--no-pdf]

  --config <file>  the study config (YAML); see docs/config.md
  --out <dir>      output folder (default: reports/<study.name>)
  --no-pdf         write the HTML report only
  -h, --help       this help

Writes report.html, report.pdf, results.json and tables/*.csv; internal/ holds
row-level working files that are not to be shared. Exit code 0 on success, 1 when
the config or data has problems (each listed with file, row and column), 2 on wrong usage.
`,
  meta: `alliance meta — random-effects meta-analysis of published correlations

Usage: alliance meta --studies <file.csv> [--out <dir>] [--title <text>] [--by <column>] [--no-pdf]

  --studies <file>  a CSV table with columns study, n, r (optional: year; any other
                    column is a moderator); see docs/meta.md
  --out <dir>       output folder (default: reports/meta/<file name>)
  --title <text>    the report's title
  --by <column>     also pool within each level of this moderator column
  --no-pdf          write the HTML report only
  -h, --help        this help

Writes meta.html, meta.pdf, meta-results.json and tables/studies.csv. Pools on
Fisher's z by REML and DerSimonian–Laird (as metafor::rma), with Egger's test.
Example: alliance meta --studies data/meta/molloy2014.csv
`,
  report: `alliance report — quarterly reports for a program and each of its sites

Usage: alliance report --config <study.yaml> --period <P> [--by site] [--out <dir>] [--previous <file|dir>] [--no-pdf]

  --config <file>     the study config (YAML); reporting.* settings in docs/config.md
  --period <P>        2026Q3 (calendar quarter), FY2027Q1 (fiscal quarter), 2026-08 (month),
                      FY2027 (fiscal year), or latest (the last complete quarter before cutoff_date)
  --by site           also write one report per site
  --out <dir>         output folder (default: reports/<study.name>/<period>)
  --previous <path>   the last published results.json (program), or that batch's folder: figures
                      changed since then by late data entry are marked as revised
  --no-pdf            write HTML only
  -h, --help          this help

Writes index.html and, per report, report.html, report.pdf and results.json; see docs/quarterly.md.
Exit code 0 when every report was written, 1 when any could not be (each named, with its
problems), 2 on wrong usage.
`,
  validate: `alliance validate — check a study's data against every validation rule

Usage: alliance validate --config <study.yaml> [--out <dir>]

  --config <file>  the study config (YAML); see docs/config.md
  --out <dir>      output folder (default: reports/<study.name>/validation)
  -h, --help       this help

Reads the files (after the identifier check), applies every rule of docs/validation-rules.md
without stopping at the first error, and writes validation.html and validation.json: every
finding with file, row, column and fix, and the count of each rule. They show cell values:
keep them with the data. Exit code 0 when there is no error, 1 when there are errors.
`,
  init: `alliance init — propose a study config for your data files

Usage: alliance init <file> [<file>] [--out <study.yaml>]

  <file>…          one file (long or wide layout) or two (episodes and sessions), any format
  --out <file>     where to write the config (default: study.yaml beside the first file)
  -h, --help       this help

Reads the files, proposes the column mapping by name and content, and writes a commented
config. Choices it could not make are left as blanks marked TODO; \`alliance validate\`
names any that remain.
`,
  demo: `alliance demo — run the embedded synthetic demo study

Usage: alliance demo [--out <dir>] [--no-pdf]

  --out <dir>  output folder (default: reports/demo)
  --no-pdf     write the HTML report only
  -h, --help   this help
`,
};

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Run the CLI with the given arguments; returns the exit code. */
export async function main(argv: string[], io: Io = consoleIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    // A study too large for the machine is the user's to act on, not a crash; other errors are bugs and propagate.
    const problem = outOfMemoryProblem(e);
    if (problem) return report(io, "the run stopped: out of memory", [problem]);
    throw e;
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.out(HELP.main!);
    return command === undefined ? 2 : 0;
  }
  if (command === "meta") return meta(rest, io);
  if (command === "validate") return validateCommand(rest, io);
  if (command === "init") return initCommand(rest, io);
  if (command === "report") return quarterly(rest, io);
  if (command !== "run" && command !== "demo") {
    io.err(`alliance: unknown command "${command}"; try \`alliance --help\``);
    return 2;
  }
  let values: { config?: string | undefined; out?: string | undefined; "no-pdf"?: boolean | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        config: { type: "string" },
        out: { type: "string" },
        "no-pdf": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    io.err(`alliance ${command}: ${(e as Error).message}; try \`alliance ${command} --help\``);
    return 2;
  }
  if (command === "demo" && values.config !== undefined) {
    io.err("alliance demo: takes no --config (it always runs data/demo/study.yaml); use `alliance run --config <file>`");
    return 2;
  }
  if (values.help) {
    io.out(HELP[command]!);
    return 0;
  }
  const configPath = command === "demo" ? DEMO_CONFIG : values.config;
  if (!configPath) {
    io.err("alliance run: --config <file> is required; try `alliance run --help`");
    return 2;
  }
  const study = loadStudyConfig(configPath);
  if (!study.ok) return report(io, `the config ${configPath} has ${count(study.problems, "problem")}`, study.problems);
  const outDir = resolve(values.out ?? `reports/${study.value.name}`);
  const { runStudy } = await import("./run.ts"); // loaded only when a study runs: keeps --help fast
  const run = await runStudy(study.value, { outDir, pdf: !values["no-pdf"] });
  if (!run.ok) {
    const files = [...new Set(run.problems.map((p) => p.where?.file).filter(Boolean))].join(", ");
    return report(io, `${count(run.problems, "error")} in ${files || "the input"}; nothing was analysed`, run.problems);
  }
  for (const n of run.value.notices) io.err(`alliance: note: ${formatProblem(n)}`);
  const shown = relative(process.cwd(), outDir) || ".";
  io.out(`wrote ${run.value.files.map((f) => `${shown}/${f}`).join(", ")}`);
  return 0;
}

async function validateCommand(args: string[], io: Io): Promise<number> {
  let values: { config?: string | undefined; out?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({ args, options: { config: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true }));
  } catch (e) {
    io.err(`alliance validate: ${(e as Error).message}; try \`alliance validate --help\``);
    return 2;
  }
  if (values.help) {
    io.out(HELP.validate!);
    return 0;
  }
  if (!values.config) {
    io.err("alliance validate: --config <file> is required; try `alliance validate --help`");
    return 2;
  }
  const study = loadStudyConfig(values.config);
  if (!study.ok) return report(io, `the config ${values.config} has ${count(study.problems, "problem")}`, study.problems);
  const outDir = resolve(values.out ?? `reports/${study.value.name}/validation`);
  const { runValidate } = await import("./validation/run-validate.ts");
  const run = await runValidate(study.value, outDir);
  if (!run.ok) return report(io, `${count(run.problems, "problem")}`, run.problems);
  const { totals, findings } = run.value.report;
  const shown = relative(process.cwd(), outDir) || ".";
  const summary = `${plural(totals.error, "error")}, ${plural(totals.warning, "warning")}, ${plural(totals.note, "note")}; wrote ${run.value.files.map((f) => `${shown}/${f}`).join(", ")}`;
  const errors = findings.filter((f) => f.severity === "error");
  if (errors.length) return report(io, summary, errors);
  io.out(`alliance: ${summary}`);
  return 0;
}

async function initCommand(args: string[], io: Io): Promise<number> {
  let parsed: { values: { out?: string | undefined; help?: boolean | undefined }; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { out: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (e) {
    io.err(`alliance init: ${(e as Error).message}; try \`alliance init --help\``);
    return 2;
  }
  if (parsed.values.help) {
    io.out(HELP.init!);
    return 0;
  }
  const files = parsed.positionals;
  if (files.length < 1 || files.length > 2) {
    io.err("alliance init: give one data file (long or wide) or two (episodes and sessions); try `alliance init --help`");
    return 2;
  }
  const { runInit } = await import("./init/run-init.ts");
  const run = await runInit(files, parsed.values.out ?? null);
  if (!run.ok) return report(io, `${count(run.problems, "problem")}; no config was written`, run.problems);
  io.out(`alliance: wrote ${relative(process.cwd(), run.value.path) || run.value.path}${run.value.blanks.length ? `; fill in the ${count(run.value.blanks, "blank")} marked TODO: ${run.value.blanks.join(", ")}` : ""}`);
  return 0;
}

async function meta(args: string[], io: Io): Promise<number> {
  let values: { studies?: string | undefined; out?: string | undefined; title?: string | undefined; by?: string | undefined; "no-pdf"?: boolean | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { studies: { type: "string" }, out: { type: "string" }, title: { type: "string" }, by: { type: "string" }, "no-pdf": { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }));
  } catch (e) {
    io.err(`alliance meta: ${(e as Error).message}; try \`alliance meta --help\``);
    return 2;
  }
  if (values.help) {
    io.out(HELP.meta!);
    return 0;
  }
  if (!values.studies) {
    io.err("alliance meta: --studies <file.csv> is required; try `alliance meta --help`");
    return 2;
  }
  const outDir = resolve(values.out ?? `reports/meta/${basename(values.studies).replace(/\.[^.]*$/, "")}`);
  const { runMeta } = await import("./meta/run-meta.ts");
  const run = await runMeta({ studiesPath: values.studies, outDir, ...(values.title ? { title: values.title } : {}), ...(values.by ? { by: values.by } : {}), pdf: !values["no-pdf"] });
  if (!run.ok) return report(io, `${count(run.problems, "problem")} in ${basename(values.studies)}; nothing was pooled`, run.problems);
  for (const n of run.value.notices) io.err(`alliance: note: ${formatProblem(n)}`);
  const shown = relative(process.cwd(), outDir) || ".";
  io.out(`pooled ${run.value.results.k} studies: ${run.value.results.reml.apa} (REML)`);
  io.out(`wrote ${run.value.files.map((f) => `${shown}/${f}`).join(", ")}`);
  return 0;
}

async function quarterly(args: string[], io: Io): Promise<number> {
  let values: { config?: string | undefined; period?: string | undefined; by?: string | undefined; out?: string | undefined; previous?: string | undefined; "no-pdf"?: boolean | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { config: { type: "string" }, period: { type: "string" }, by: { type: "string" }, out: { type: "string" }, previous: { type: "string" }, "no-pdf": { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }));
  } catch (e) {
    io.err(`alliance report: ${(e as Error).message}; try \`alliance report --help\``);
    return 2;
  }
  if (values.help) {
    io.out(HELP.report!);
    return 0;
  }
  if (!values.config || !values.period) {
    io.err("alliance report: --config <file> and --period <P> are required; try `alliance report --help`");
    return 2;
  }
  if (values.by !== undefined && values.by !== "site") {
    io.err(`alliance report: --by takes "site" (got "${values.by}")`);
    return 2;
  }
  if (values.previous !== undefined && !existsSync(values.previous)) {
    io.err(`alliance report: --previous ${values.previous} does not exist`);
    return 2;
  }
  const study = loadStudyConfig(values.config);
  if (!study.ok) return report(io, `the config ${values.config} has ${count(study.problems, "problem")}`, study.problems);
  const { runQuarterly } = await import("./quarterly/run-report.ts");
  const run = await runQuarterly(study.value, { period: values.period, by: values.by === "site" ? "site" : null, outDir: values.out ?? null, previous: values.previous ?? null, pdf: !values["no-pdf"] });
  if (!run.ok) return report(io, `${count(run.problems, "problem")}; no report was written`, run.problems);
  for (const n of run.value.notices) io.err(`alliance: note: ${formatProblem(n)}`);
  const shown = relative(process.cwd(), run.value.outDir) || ".";
  io.out(`${run.value.period.title}: wrote ${run.value.written.length} report(s) and ${shown}/index.html`);
  for (const w of run.value.written) io.out(`  ${w.label}: ${w.files.map((f) => `${relative(process.cwd(), w.dir)}/${f}`).join(", ")}`);
  if (!run.value.failed.length) return 0;
  for (const f of run.value.failed) report(io, `the report for ${f.group} was not written: ${count(f.problems, "problem")}`, f.problems);
  return 1;
}

function report(io: Io, headline: string, problems: Problem[]): number {
  io.err(`alliance: ${headline}`);
  for (const p of problems.slice(0, MAX_PRINTED)) io.err(`  ${formatProblem(p)}`);
  if (problems.length > MAX_PRINTED) io.err(`  … and ${problems.length - MAX_PRINTED} more (all listed in internal/02-validation.json)`);
  return 1;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
const count = (items: unknown[], noun: string) => plural(items.length, noun);
