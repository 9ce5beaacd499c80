#!/usr/bin/env node
// The `alliance` command. Loads the TypeScript sources through tsx so there is no build step.
import { register } from "tsx/esm/api";

register();
// A run that stops early (interrupted, or by an error) removes the folders where DuckDB may have moved row-level data.
const { removeSpillFoldersAtExit } = await import("../pipeline/spill-folders.ts");
removeSpillFoldersAtExit();
const { main } = await import("../pipeline/cli.ts");
process.exitCode = await main(process.argv.slice(2));
