/** `alliance meta`: random-effects pooling of published correlations. */
import { basename, resolve } from "node:path";
import { count, done, refused, runTime, shown, type Command } from "./command.ts";

export const metaCommand: Command = {
  name: "meta",
  summary: "pool published correlations (random effects), with forest and funnel plots",
  usage: "alliance meta --studies <file.csv> [--out <dir>] [--title <text>] [--by <column>] [--no-pdf]",
  help: `  --studies <file>  a CSV table with columns study, n, r (optional: year; any other
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
  options: {
    studies: { type: "string" },
    out: { type: "string" },
    title: { type: "string" },
    by: { type: "string" },
    "no-pdf": { type: "boolean" },
  },
  check: (v) => (typeof v.studies === "string" ? null : "--studies <file.csv> is required"),
  async run(v, _p, ctx) {
    const studies = v.studies as string;
    const outDir = resolve(
      typeof v.out === "string" ? v.out : `reports/meta/${basename(studies).replace(/\.[^.]*$/, "")}`,
    );
    const out = ctx.stage(outDir, ["meta.html", "meta.pdf", "meta-results.json", "tables"]);
    const { runMeta } = await import("../drivers/meta.ts");
    const run = await runMeta({
      studiesPath: studies,
      outDir: out.dir,
      ...(typeof v.title === "string" ? { title: v.title } : {}),
      ...(typeof v.by === "string" ? { by: v.by } : {}),
      pdf: !v["no-pdf"],
      now: runTime(),
    });
    if (!run.ok)
      return refused(`${count(run.problems, "problem")} in ${basename(studies)}; nothing was pooled`, run.problems);
    const pooled = run.value.results.reml;
    return done({
      stdout: [
        `pooled ${run.value.results.k} studies: ${pooled ? `${pooled.apa} (REML)` : "not estimable"}`,
        `wrote ${run.value.files.map((f) => `${shown(outDir)}/${f}`).join(", ")}`,
      ],
      notices: run.value.notices,
      release: run.value.release,
    });
  },
};
