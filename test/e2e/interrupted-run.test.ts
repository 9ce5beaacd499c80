/**
 * A run that stops early, interrupted (Ctrl-C) or by an error nobody caught, leaves no folder of
 * row-level data behind: the folder where DuckDB may move data that does not fit in memory is
 * removed, and the process exits with 130 (Ctrl-C), or with the error.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEMO_CONFIG } from "../../pipeline/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const BIN = fileURLToPath(new URL("../../bin/alliance.mjs", import.meta.url));
const spillFolders = (dir: string) => readdirSync(dir).filter((f) => f.startsWith("alliance-duckdb-"));

describe("an interrupted run", () => {
  it("removes its database's folder and exits with 130, the status of Ctrl-C", async () => {
    const tmp = tempDir("alliance-interrupt-");
    const child = spawn(
      process.execPath,
      [BIN, "run", "--config", DEMO_CONFIG, "--out", join(tmp, "out"), "--no-pdf"],
      { env: { ...process.env, TMPDIR: tmp }, stdio: "ignore" },
    );
    const ended = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Interrupt once the run has opened its database (its folder exists).
    const deadline = Date.now() + 15_000;
    while (spillFolders(tmp).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(spillFolders(tmp)).toHaveLength(1);
    child.kill("SIGINT");
    expect(await ended).toBe(130);
    expect(spillFolders(tmp)).toEqual([]);
  });

  it("that throws an error nobody catches removes the folder too", () => {
    const tmp = tempDir("alliance-crash-");
    // A process that opens a database as the CLI does, then fails before it could close it.
    const script = `
      const { register } = await import("tsx/esm/api"); register();
      const { removeAtExit } = await import(${JSON.stringify(new URL("../../pipeline/leftovers.ts", import.meta.url).href)});
      const { openDb } = await import(${JSON.stringify(new URL("../../pipeline/db.ts", import.meta.url).href)});
      removeAtExit();
      await openDb();
      const made = (await import("node:fs")).readdirSync(process.env.TMPDIR).filter((f) => f.startsWith("alliance-duckdb-"));
      if (made.length !== 1) process.exit(3);
      throw new Error("a bug");`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, TMPDIR: tmp },
      encoding: "utf8",
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("a bug");
    expect(spillFolders(tmp)).toEqual([]);
  });
});
