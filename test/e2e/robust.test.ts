/**
 * The cases of "never crash on plausible data, never lose a report", through the real CLI: ordinary
 * degenerate studies give a report that says what is not estimable; empty and broken files are
 * refused, named at their line; a rerun that fails, or is killed, leaves the previous outputs
 * byte-identical; and a killed run leaves no folder of row-level data and no browser behind once the
 * next run has started.
 */
import { describe, expect, it, vi } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import { createHash } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "../helpers/temp-dir.ts";
import { filesUnder } from "../property/outputs.ts";
import { MESSAGES, text } from "../../pipeline/messages.ts";
import { findBrowser } from "../../pipeline/report/find-browser.js";
import type { Results } from "../../pipeline/results.ts";

vi.setConfig({ testTimeout: 120_000 });

const BIN = fileURLToPath(new URL("../../bin/alliance.mjs", import.meta.url));
const DEMO_DIR = fileURLToPath(new URL("../../data/demo/", import.meta.url));

function alliance(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    cwd: tempDir("alliance-cwd-"),
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the demo study with its files changed line by line (line 1 is the header). */
function demoCopy(edit: { episodes?: (lines: string[]) => string[]; sessions?: (lines: string[]) => string[] } = {}) {
  const dir = tempDir("alliance-robust-");
  cpSync(DEMO_DIR, dir, { recursive: true });
  for (const file of ["episodes", "sessions"] as const) {
    const change = edit[file];
    if (!change) continue;
    const path = join(dir, `${file}.csv`);
    writeFileSync(path, change(readFileSync(path, "utf8").trimEnd().split("\n")).join("\n") + "\n");
  }
  return { dir, config: join(dir, "study.yaml") };
}

const codesIn = (stderr: string) => [...stderr.matchAll(/\[([EWNX]_[A-Z_]+)\]/g)].map((m) => m[1]!);

describe("a study in which retention comparisons are not estimable", () => {
  const cases = {
    "no closed episode is a dropout": (l: string[]) =>
      l.map((line) => line.replace(/,(dropped out|left against advice)$/, ",completed")),
    "nobody has been discharged yet": (l: string[]) =>
      l.map((line, i) => (i === 0 ? line : line.replace(/,[^,]*,[^,]*$/, ",,"))),
  };
  for (const [name, episodes] of Object.entries(cases)) {
    it(`gives a report when ${name}, saying that the comparisons are not estimable and why`, () => {
      const { dir, config } = demoCopy({ episodes });
      const out = join(dir, "out");
      const r = alliance(["run", "--config", config, "--out", out, "--no-pdf"]);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
      expect(r.code, r.stderr).toBe(0);
      const results: Results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
      expect(results.retention.logrank).toBeNull();
      expect(results.retention.hazard_ratios).toEqual([]);
      const reasons = Object.fromEntries(results.retention.not_estimable.map((x) => [x.test, x.reason]));
      expect(Object.keys(reasons).sort()).toEqual([
        "cochran_armitage",
        "hazard_ratios",
        "logrank",
        "logrank_robust",
        "logrank_trend",
        "proportional_hazards",
      ]);
      expect(reasons.logrank_robust).toBe(reasons.logrank);
      expect(reasons.logrank).toMatch(/no analysed episode dropped out/);
      const html = readFileSync(join(out, "report.html"), "utf8");
      expect(html).toContain(`Retention comparisons across tiers are not estimable: ${reasons.logrank}`);
    });
  }
});

describe("files the pipeline cannot read", () => {
  it("refuses a sessions file with a header and no rows, naming it, and writes no report", () => {
    const { dir, config } = demoCopy({ sessions: (l) => l.slice(0, 1) });
    const r = alliance(["run", "--config", config, "--out", join(dir, "out"), "--no-pdf"]);
    expect(r.code).toBe(1);
    expect(codesIn(r.stderr)).toEqual(["E_FILE_EMPTY"]);
    expect(r.stderr).toContain(`sessions.csv: ${text("E_FILE_EMPTY", { role: "sessions" })}`);
    expect(existsSync(join(dir, "out", "results.json"))).toBe(false);
  });

  it("names a row with an extra cell and a row with an unclosed quote at their lines", () => {
    // Line 8 gets an extra cell; line 30 opens a quote that never closes.
    const { config } = demoCopy({
      sessions: (l) =>
        l.map((line, i) => (i === 7 ? `${line},extra` : i === 29 ? line.replace(/,([^,]*)$/, ',"$1') : line)),
    });
    const r = alliance(["run", "--config", config, "--no-pdf"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`sessions.csv, row 8, column 10: ${text("E_ROW_RAGGED", { expected: 9, found: 10 })}`);
    expect(r.stderr).toMatch(
      new RegExp(`sessions\\.csv, row 30, column SRS_Therapist: ${text("E_QUOTE_UNCLOSED", {})}`),
    );
    expect(codesIn(r.stderr).every((c) => c in MESSAGES)).toBe(true);
  });
});

/** Every file of a folder, by path, with the SHA-256 of its bytes. */
const snapshot = (dir: string) =>
  Object.fromEntries(
    filesUnder(dir)
      .sort()
      .map((f) => [
        f,
        createHash("sha256")
          .update(readFileSync(join(dir, f)))
          .digest("hex"),
      ]),
  );

describe("a rerun into the folder of an earlier report", () => {
  it("that fails on a config or data error leaves the earlier outputs byte-identical, and says so", () => {
    const out = tempDir("alliance-out-");
    expect(alliance(["demo", "--out", out, "--no-pdf"]).code).toBe(0);
    const before = snapshot(out);
    expect(Object.keys(before)).toContain("report.html");
    const misspelt = demoCopy({ episodes: (l) => [l[0]!.replace("DischargeReason", "DischargeReasn"), ...l.slice(1)] });
    const r = alliance(["run", "--config", misspelt.config, "--out", out, "--no-pdf"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("were left as they were");
    expect(snapshot(out)).toEqual(before);
  });

  it("that is killed at any point leaves the earlier outputs byte-identical", async () => {
    const out = tempDir("alliance-out-");
    const tmp = tempDir("alliance-tmp-");
    expect(alliance(["demo", "--out", out, "--no-pdf"], { TMPDIR: tmp }).code).toBe(0);
    let before = snapshot(out);
    const beforeResults = withoutRunAt(readFileSync(join(out, "results.json"), "utf8"));
    let killed = 0;
    for (const delay of [300, 900, 1500, 2100, 2700]) {
      const child = spawn(process.execPath, [BIN, "demo", "--out", out, "--no-pdf"], {
        env: { ...process.env, TMPDIR: tmp },
        stdio: "ignore",
      });
      const ended = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on("exit", (_code, signal) => resolve(signal)),
      );
      await new Promise((r) => setTimeout(r, delay));
      child.kill("SIGKILL");
      if ((await ended) === "SIGKILL") {
        killed++;
        const after = snapshot(out);
        // Killed after its outputs were swapped in (while it tidied up): they are the new run's, whole.
        if (!isDeepStrictEqual(after, before) && isWholeRun(out, before, beforeResults)) before = after;
        else expect(after, `killed after ${delay} ms`).toEqual(before);
      } else before = snapshot(out); // it finished first, on a fast machine: its outputs are the new ones
    }
    expect(killed).toBeGreaterThanOrEqual(3);
  });
});

/**
 * Whether `dir` holds a whole run of the same study as `before` did: the same files, and a results.json
 * that differs from the earlier one only in when it was run (the report.html and PDF follow from it).
 */
function isWholeRun(dir: string, before: Record<string, string>, beforeResults: string): boolean {
  if (JSON.stringify(Object.keys(snapshot(dir))) !== JSON.stringify(Object.keys(before))) return false;
  try {
    return (
      withoutRunAt(readFileSync(join(dir, "results.json"), "utf8")) === beforeResults &&
      readFileSync(join(dir, "report.html"), "utf8").trimEnd().endsWith("</html>")
    );
  } catch {
    return false;
  }
}

/** results.json text with its run time blanked. */
const withoutRunAt = (text: string) => text.replace(/"run_at": "[^"]*"/, '"run_at": ""');

/** Processes whose command line names `text` (e.g. a browser profile of a killed run). */
function processesNaming(text: string): number[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, "utf8").includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe("a run killed outright", () => {
  const browser = findBrowser();
  it.runIf(browser !== null || process.env.CI)(
    "leaves no spill folder and no browser of it once the next run has started",
    async () => {
      const tmp = tempDir("alliance-kill-");
      const out = join(tmp, "out");
      const child = spawn(process.execPath, [BIN, "demo", "--out", out], {
        env: { ...process.env, TMPDIR: tmp },
        stdio: "ignore",
      });
      const ended = new Promise((resolve) => child.on("exit", resolve));
      // Kill it while it prints the PDF: its database's folder and the browser's profile both exist then.
      const mine = (prefix: string) => readdirSync(tmp).filter((f) => f.startsWith(`${prefix}${child.pid}-`));
      const deadline = Date.now() + 60_000;
      while (mine("alliance-chromium-").length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const profile = mine("alliance-chromium-")[0]!;
      expect(profile).toBeDefined();
      // Wait for the browser itself to be up.
      while (processesNaming(profile).length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      child.kill("SIGKILL");
      await ended;
      // The browser was on a pipe to the killed process: it goes with it.
      const gone = Date.now() + 10_000;
      while (processesNaming(profile).length > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
      expect(processesNaming(profile)).toEqual([]);
      // The next run sweeps what the killed one could not remove.
      expect(
        alliance(["validate", "--config", `${DEMO_DIR}study.yaml`, "--out", join(tmp, "validation")], { TMPDIR: tmp })
          .code,
      ).toBe(0);
      expect(readdirSync(tmp).filter((f) => f.includes(`-${child.pid}-`))).toEqual([]);
    },
  );
});
