/**
 * An interrupted run (Ctrl-C) leaves no folder of row-level data behind: the folder where DuckDB may
 * move data that does not fit in memory is removed, and the process still ends by the signal.
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEMO_CONFIG } from "../../pipeline/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const BIN = fileURLToPath(new URL("../../bin/alliance.mjs", import.meta.url));
const spillFolders = (dir: string) => readdirSync(dir).filter((f) => f.startsWith("alliance-duckdb-"));

describe("an interrupted run", () => {
  it("removes its database's folder and ends by the signal", async () => {
    const tmp = tempDir("alliance-interrupt-");
    const child = spawn(process.execPath, [BIN, "run", "--config", DEMO_CONFIG, "--out", join(tmp, "out"), "--no-pdf"], { env: { ...process.env, TMPDIR: tmp }, stdio: "ignore" });
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    // Interrupt once the run has opened its database (its folder exists).
    const deadline = Date.now() + 15_000;
    while (spillFolders(tmp).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(spillFolders(tmp)).toHaveLength(1);
    child.kill("SIGINT");
    expect(await ended).toBe("SIGINT");
    expect(spillFolders(tmp)).toEqual([]);
  });
});
