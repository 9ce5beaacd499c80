#!/usr/bin/env node
// The `alliance` command. Loads the TypeScript sources through tsx so there is no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../pipeline/cli.ts");
process.exitCode = await main(process.argv.slice(2));
