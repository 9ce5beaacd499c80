#!/usr/bin/env node
// The `alliance` command. Loads the TypeScript sources through tsx so there is no build step.
import { register } from "tsx/esm/api";

register();
// An interrupted run removes the folders where DuckDB may have moved row-level data.
const { removeSpillFoldersOnInterrupt } = await import("../pipeline/spill-folders.ts");
removeSpillFoldersOnInterrupt();
const { main } = await import("../pipeline/cli.ts");
process.exitCode = await main(process.argv.slice(2));
