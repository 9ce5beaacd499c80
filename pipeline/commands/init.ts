/** `alliance init`: propose a study config for the user's data files. */
import { count, done, refused, shown, type Command } from "./command.ts";

export const initCommand: Command = {
  name: "init",
  summary: "propose a config for your data files (column mapping by name and content)",
  usage: "alliance init <file> [<file>] [--out <study.yaml>] [--force]",
  help: `  <file>…          one file (long or wide layout) or two (episodes and sessions), any format
  --out <file>     where to write the config (default: study.yaml beside the first file)
  --force          replace an existing config (it is kept first as <name>.bak)
  -h, --help       this help

Reads the files, proposes the column mapping by name and content, and writes a commented
config. Choices it could not make are left as blanks marked TODO; \`alliance validate\`
names any that remain. An existing config is never replaced unasked: the proposal is written
beside it, as study.proposed.yaml.
`,
  options: { out: { type: "string" }, force: { type: "boolean" } },
  positionals: true,
  check: (_v, files) =>
    files.length < 1 || files.length > 2 ? "give one data file (long or wide) or two (episodes and sessions)" : null,
  async run(v, files) {
    const { runInit } = await import("../drivers/init.ts");
    const run = await runInit(files, typeof v.out === "string" ? v.out : null, v.force === true);
    if (!run.ok) return refused(`${count(run.problems, "problem")}; no config was written`, run.problems);
    const { blanks, kept, backup } = run.value;
    const beside = kept
      ? ` beside your ${shown(kept)}, which was left as it was (--force replaces it, keeping a backup)`
      : "";
    const saved = backup ? `; your previous config was kept as ${shown(backup)}` : "";
    return done({
      release: null,
      stdout: [
        `alliance: wrote ${shown(run.value.path)}${beside}${saved}${blanks.length ? `; fill in the ${count(blanks, "blank")} marked TODO: ${blanks.join(", ")}` : ""}`,
      ],
    });
  },
};
