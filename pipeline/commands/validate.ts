/** `alliance validate`: every rule of docs/validation-rules.md, without stopping at the first error. */
import { resolve } from "node:path";
import { loadStudyConfig } from "../config/load-config.ts";
import { count, done, plural, refused, runTime, shown, type Command } from "./command.ts";

export const validateCommand: Command = {
  name: "validate",
  summary: "check a study's data against every rule; write validation.html and .json",
  usage: "alliance validate --config <study.yaml> [--out <dir>]",
  help: `  --config <file>  the study config (YAML); see docs/config.md
  --out <dir>      output folder (default: reports/<study.name>/validation)
  -h, --help       this help

Reads the files (after the identifier check), applies every rule of docs/validation-rules.md
without stopping at the first error, and writes validation.html and validation.json: every
finding with file, row, column and fix, and the count of each rule. Findings name rows by their
file and row number, never by client id or a person's date. Exit code 0 when there is no error,
1 when there are errors.
`,
  options: { config: { type: "string" }, out: { type: "string" } },
  check: (v) => (typeof v.config === "string" ? null : "--config <file> is required"),
  async run(v, _p, ctx) {
    const configPath = v.config as string;
    const study = loadStudyConfig(configPath);
    if (!study.ok) return refused(`the config ${configPath} has ${count(study.problems, "problem")}`, study.problems);
    const outDir = resolve(typeof v.out === "string" ? v.out : `reports/${study.value.name}/validation`);
    const out = ctx.stage(outDir, ["validation.json", "validation.html"]);
    const { runValidate } = await import("../drivers/validate.ts");
    const run = await runValidate(study.value, out.dir, runTime());
    if (!run.ok) return refused(count(run.problems, "problem"), run.problems);
    const { totals, findings } = run.value.report;
    const summary = `${plural(totals.error, "error")}, ${plural(totals.warning, "warning")}, ${plural(totals.note, "note")}; wrote ${run.value.files.map((f) => `${shown(outDir)}/${f}`).join(", ")}`;
    const errors = findings.filter((f) => f.severity === "error");
    // The report is published either way: it is what the user needs to fix the errors.
    return done({
      stdout: errors.length ? [] : [`alliance: ${summary}`],
      failures: errors.length ? [{ headline: summary, problems: errors }] : [],
      release: run.value.release,
    });
  },
};
