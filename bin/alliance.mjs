#!/usr/bin/env node
// The `alliance` command. Loads the TypeScript sources through tsx so there is no build step.
import { register } from "tsx/esm/api";

register();
// A run that stops early (interrupted, or by an error) removes the folders it made: where DuckDB may
// have moved row-level data, and the staging folder of outputs not yet published.
const { removeAtExit } = await import("../pipeline/leftovers.ts");
removeAtExit();
const { main } = await import("../pipeline/cli.ts");
process.exitCode = await main(process.argv.slice(2));
