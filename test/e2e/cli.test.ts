/** The `alliance` command as a user runs it: exit codes and the messages on stderr. */
import { describe, expect, it, vi } from "vitest";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { tempDir } from "../helpers/temp-dir.ts";
import { text } from "../../pipeline/messages.ts";

// Each call starts Node, tsx and DuckDB: seconds, not milliseconds.
vi.setConfig({ testTimeout: 60_000 });

const BIN = fileURLToPath(new URL("../../bin/alliance.mjs", import.meta.url));
const DEMO_DIR = fileURLToPath(new URL("../../data/demo/", import.meta.url));

function alliance(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: tempDir("alliance-cwd-") });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the demo study with one line of one file replaced (line 1 is the header). */
function brokenDemo(file: "episodes.csv" | "sessions.csv", line: number, edit: (text: string) => string) {
  const dir = tempDir("alliance-broken-");
  cpSync(DEMO_DIR, dir, { recursive: true });
  const lines = readFileSync(join(dir, file), "utf8").split("\n");
  lines[line - 1] = edit(lines[line - 1]!);
  writeFileSync(join(dir, file), lines.join("\n"));
  return join(dir, "study.yaml");
}

describe("alliance CLI on malformed demo files", () => {
  it("stops on a letter in a score, naming file, row and column, with exit code 1", () => {
    const config = brokenDemo("sessions.csv", 12, (l) => l.replace(/^([^,]*,[^,]*,)[^,]*/, "$1x"));
    const r = alliance("run", "--config", config, "--no-pdf", "--quiet");
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe("alliance: 1 error in sessions.csv; nothing was analysed");
    expect(r.stderr).toContain(
      `sessions.csv, row 12, column SRS_Relationship: ${text("E_SCORE_NOT_NUMBER", { value: "x", name: "" })}`,
    );
  });

  it("stops on a missing column, naming file, header row and column", () => {
    const config = brokenDemo("episodes.csv", 1, (l) => l.replace("DischargeReason", "Reason"));
    const r = alliance("run", "--config", config, "--no-pdf");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `episodes.csv, row 1, column DischargeReason: ${text("E_COLUMN_MISSING", { field: "discharge_reason", column: "DischargeReason", present: [] })}`,
    );
  });

  it("stops on a discharge before admission, naming file, row and column", () => {
    const config = brokenDemo("episodes.csv", 5, (l) =>
      l.replace(/,(\d{4}-\d{2}-\d{2}),(\d{4}-\d{2}-\d{2}),/, ",$1,2020-01-01,"),
    );
    const r = alliance("run", "--config", config, "--no-pdf");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`episodes.csv, row 5, column DischargeDate: ${text("E_DISCHARGE_BEFORE_ADMIT", {})}`);
  });

  it("names the config key that is wrong", () => {
    const dir = tempDir("alliance-cfg-");
    cpSync(DEMO_DIR, dir, { recursive: true });
    const config = join(dir, "study.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("min_cell_size: 11", "min_cell_size: eleven"));
    const r = alliance("run", "--config", config);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("key privacy.min_cell_size: must be a whole number");
  });
});

describe("alliance CLI usage", () => {
  it("prints help for each command and exits 0", () => {
    for (const args of [["--help"], ["run", "--help"], ["demo", "--help"]]) {
      const r = alliance(...args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stdout).toContain("Usage");
    }
  });

  it("exits 2 with a one-line reason on an unknown command or option", () => {
    const unknown = alliance("frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    expect(alliance("run", "--config", "x.yaml", "--colour").code).toBe(2);
  });

  it("exits 2 when run has no --config", () => {
    expect(alliance("run").code).toBe(2);
  });
});

describe("progress", () => {
  it("says on stderr what each phase did and how long it took; --quiet says nothing; stdout is the same", () => {
    const out = join(tempDir("alliance-progress-"), "out");
    const loud = alliance("demo", "--out", out, "--no-pdf");
    const quiet = alliance("demo", "--out", out, "--no-pdf", "--quiet");
    expect([loud.code, quiet.code]).toEqual([0, 0]);
    const phases = loud.stderr
      .trim()
      .split("\n")
      .map((l) => /^alliance: (\S+)\s+\d+\.\d\d s/.exec(l)?.[1]);
    expect(phases).toEqual(["read", "validate", "derive", "analyze", "render", "check"]);
    expect(loud.stderr).toContain("600 episodes, 4,408 sessions");
    expect(quiet.stderr).toBe("");
    expect(loud.stdout).toBe(quiet.stdout);
    expect(loud.stdout.trim().split("\n")).toHaveLength(1);
    expect(loud.stdout).toMatch(/^wrote .*results\.json/);
  });
});
