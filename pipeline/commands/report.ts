/** `alliance report`: quarterly reports for a program and, with --by site, each of its sites. */
import { join, relative, resolve } from "node:path";
import { loadStudyConfig } from "../config/load-config.ts";
import { checkLogo, checkTemplates } from "../config/branding-files.ts";
import { count, done, KEEP_INTERNAL, refused, runTime, shown, type Command } from "./command.ts";

export const reportCommand: Command = {
  name: "report",
  summary: "quarterly reports for a period: the program's and, with --by site, each site's",
  usage:
    "alliance report --config <study.yaml> --period <P> [--by site] [--out <dir>] [--previous <file|dir>] [--no-pdf] [--keep-internal <dir>]",
  help: `  --config <file>        the study config (YAML); reporting.* settings in docs/config.md
  --period <P>           2026Q3 (calendar quarter), FY2027Q1 (fiscal quarter), 2026-08 (month),
                         FY2027 (fiscal year), or latest (the last complete quarter before cutoff_date)
  --by site              also write one report per site
  --out <dir>            output folder (default: reports/<study.name>/<period>)
  --previous <path>      the last published results.json (program), or that batch's folder: figures
                         changed since then by late data entry are marked as revised
  --no-pdf               write HTML only
  --keep-internal <dir>  also keep the row-level working files, in this folder (never inside the output folder)
  -h, --help             this help

Writes index.html and, per report, report.html, report.pdf and results.json; see docs/quarterly.md.
The previous batch of the period is replaced only when this one has been written. Exit code 0 when
every report was written, 1 when any could not be (each named, with its problems), 2 on wrong usage.
`,
  options: {
    config: { type: "string" },
    period: { type: "string" },
    by: { type: "string" },
    out: { type: "string" },
    previous: { type: "string" },
    "no-pdf": { type: "boolean" },
    ...KEEP_INTERNAL,
  },
  check(v) {
    if (typeof v.config !== "string" || typeof v.period !== "string")
      return "--config <file> and --period <P> are required";
    if (v.by !== undefined && v.by !== "site") return `--by takes "site" (got "${String(v.by)}")`;
    return null;
  },
  async run(v, _p, ctx) {
    const configPath = v.config as string;
    const study = loadStudyConfig(configPath);
    if (!study.ok) return refused(`the config ${configPath} has ${count(study.problems, "problem")}`, study.problems);
    const { runQuarterly, resolvePeriod, checkPrevious } = await import("../drivers/quarterly.ts");
    const period = resolvePeriod(study.value, v.period as string);
    if (!period.ok) return refused(`${count(period.problems, "problem")}; no report was written`, period.problems);
    // Every file the batch reads besides the data is checked before any work, so that none can fail it halfway.
    const { branding } = study.value.reporting;
    const inputs = [
      typeof v.previous === "string" ? checkPrevious(v.previous) : null,
      branding.logo ? checkLogo(branding.logo) : null,
      branding.templates ? checkTemplates(branding.templates) : null,
    ].filter((p) => p !== null);
    if (inputs.length)
      return refused(
        `${count(inputs, "problem")}; no report was written, and the published batch was left as it was`,
        inputs,
      );
    const outDir = resolve(typeof v.out === "string" ? v.out : join("reports", study.value.name, period.value.label));
    const internal = ctx.internalDir(v, outDir);
    if (!internal.ok) return refused("--keep-internal cannot be used so", [internal.problem]);
    const bySite = v.by === "site";
    const out = ctx.stage(outDir, ["index.html", "program", "internal", ...(bySite ? ["site-*"] : [])]);
    const run = await runQuarterly(study.value, {
      period: period.value,
      by: bySite ? "site" : null,
      outDir: out.dir,
      internalDir: internal.dir,
      previous: typeof v.previous === "string" ? v.previous : null,
      pdf: !v["no-pdf"],
      now: runTime(),
    });
    if (!run.ok) return refused(`${count(run.problems, "problem")}; no report was written`, run.problems);
    const b = run.value;
    const stdout = [`${b.period.title}: wrote ${b.written.length} report(s) and ${shown(outDir)}/index.html`];
    for (const w of b.written)
      stdout.push(
        `  ${w.label}: ${w.files.map((f) => `${shown(join(outDir, relative(out.dir, w.dir)))}/${f}`).join(", ")}`,
      );
    return done({
      stdout,
      notices: b.notices,
      release: b.release,
      failures: b.failed.map((f) => ({
        headline: `the report for ${f.group} was not written: ${count(f.problems, "problem")}`,
        problems: f.problems,
      })),
    });
  },
};
