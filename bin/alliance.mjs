#!/usr/bin/env node
// The `alliance` command. Runs the compiled JavaScript in dist/, which `npm run setup` (and so
// `npm run demo` and `npm test`) builds; when the sources have changed since, it runs them through
// tsx instead, so a stale build is never run.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isBuilt } from "../scripts/compiled.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const compiled = isBuilt(root);
if (!compiled) (await import("tsx/esm/api")).register();
/** @param {string} name a module of pipeline/ */
const load = (name) =>
  import(
    pathToFileURL(compiled ? join(root, "dist", "pipeline", `${name}.js`) : join(root, "pipeline", `${name}.ts`)).href
  );
// A run that stops early (interrupted, or by an error) removes the folders it made: where DuckDB may
// have moved row-level data, and the staging folder of outputs not yet published.
const { removeAtExit } = await load("leftovers");
removeAtExit();
// No stack trace reaches a user: an error nobody caught (a bug, or a library's stray rejection) is
// printed as a coded problem, and the process exits 1 (ALLIANCE_DEBUG=1 prints the stack too).
// The same refusal the command scaffold gives an error thrown inside a command (refusalOf).
const { consoleIo, printProblems, refusalOf } = await load("commands/command");
/** @param {unknown} e */
const crash = (e) => {
  const refusal = refusalOf(e);
  if (!refusal.ok) printProblems(consoleIo, refusal.headline, refusal.problems);
  process.exit(1);
};
process.on("uncaughtException", crash);
process.on("unhandledRejection", crash);
const { main } = await load("cli");
process.exitCode = await main(process.argv.slice(2));
