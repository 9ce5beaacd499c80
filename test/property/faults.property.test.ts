/**
 * The output-location faults and stop signals at random moments, on generated studies, through the
 * real CLI in a child process (PDF stage included). Whatever the fault and whenever the signal:
 *   - the command exits 0, 1, 130 or 143; any other status, or a stack trace on stderr, fails;
 *   - on 1 it names a code of the messages module; on 130 or 143, E_INTERRUPTED;
 *   - unless it exits 0, the previous outputs are byte-identical; when it does, they are whole;
 *   - no staging folder and no browser is left behind.
 */
import fc from "fast-check";
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeStudy } from "../../data/generator/write-study.ts";
import { DEFAULT_SHAPE } from "../../data/generator/shape.ts";
import { MESSAGES } from "../../pipeline/messages.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import {
  browsersOf,
  cli,
  cliSignalled,
  codesOf,
  hasStack,
  readOnlyFolder,
  leftovers,
  snapshot,
  type CliResult,
} from "../helpers/faults.ts";

const RUNS = Number(process.env.ALLIANCE_FAULT_RUNS ?? 6);

type Fault = "out-is-file" | "out-under-file" | "read-only" | "file-size-limit" | "link-to-other-disk" | "signal";

const cases: fc.Arbitrary<Case> = fc.record({
  seed: fc.integer({ min: 1, max: 100_000 }),
  episodes: fc.integer({ min: 30, max: 400 }),
  fault: fc.constantFrom<Fault>(
    "out-is-file",
    "out-under-file",
    "read-only",
    "file-size-limit",
    "link-to-other-disk",
    "signal",
    "signal",
  ),
  signal: fc.constantFrom<NodeJS.Signals>("SIGINT", "SIGTERM"),
  delayMs: fc.integer({ min: 0, max: 5000 }),
  pdf: fc.boolean(),
});

type Case = { seed: number; episodes: number; fault: Fault; signal: NodeJS.Signals; delayMs: number; pdf: boolean };

async function checkFault(c: Case): Promise<void> {
  const dir = tempDir("alliance-fault-prop-");
  const { config } = writeStudy(
    { ...DEFAULT_SHAPE, seed: c.seed, episodes: c.episodes, sites: 3, therapists: 12 },
    join(dir, "study"),
  );
  let out = join(dir, "out");
  const args = (to: string) => ["run", "--config", config, "--out", to, "--quiet", ...(c.pdf ? [] : ["--no-pdf"])];
  const first = cli(args(out));
  expect([0, 1], first.stderr).toContain(first.status);
  let before = snapshot(out);
  let r: CliResult & { pid?: number };
  let otherDisk: string | null = null;
  let readOnly: ReturnType<typeof readOnlyFolder> = null;
  switch (c.fault) {
    case "out-is-file":
      out = join(dir, "file.txt");
      writeFileSync(out, "mine");
      r = cli(args(out));
      break;
    case "out-under-file":
      writeFileSync(join(dir, "file.txt"), "mine");
      r = cli(args(join(dir, "file.txt", "out")));
      break;
    case "read-only": {
      // The previous outputs on a disk made read-only (helpers/faults.ts), the run then pointed there.
      readOnly = readOnlyFolder(join(dir, "disk"));
      fc.pre(readOnly !== null); // root without the right to mount: this case cannot be made
      if (before) cpSync(out, join(dir, "disk", "out"), { recursive: true });
      out = join(dir, "disk", "out");
      before = snapshot(out);
      readOnly!.seal();
      r = cli(args(out));
      break;
    }
    case "file-size-limit":
      r = cli(args(out), { fileSizeKb: 8 + (c.delayMs % 64) });
      break;
    case "link-to-other-disk":
      otherDisk = spawnSync("mktemp", ["-d", "/dev/shm/alliance-fault-XXXXXX"], { encoding: "utf8" }).stdout.trim();
      mkdirSync(join(dir, "links"));
      symlinkSync(otherDisk, join(dir, "links", "out"));
      r = cli(args(join(dir, "links", "out")));
      break;
    case "signal":
      r = await cliSignalled(args(out), c.signal, /^/, c.delayMs);
      break;
  }
  const context = `${JSON.stringify(c)}\n${r.stderr}`;
  try {
    expect([0, 1, 130, 143], context).toContain(r.status);
    expect(hasStack(r.stderr), context).toBe(false);
    const codes = codesOf(r.stderr);
    if (r.status !== 0) expect(codes.length, context).toBeGreaterThan(0);
    for (const code of codes) expect(code in MESSAGES, context).toBe(true);
    if (r.status === 130 || r.status === 143) expect(codes, context).toContain("E_INTERRUPTED");
    if (r.status !== 0 && c.fault !== "out-is-file") expect(snapshot(out), context).toEqual(before);
    if (r.status === 0 && c.fault !== "link-to-other-disk")
      expect(Object.keys(snapshot(out) ?? {}), context).toContain("results.json");
    expect([...leftovers(dir), ...leftovers(join(dir, "links")), ...leftovers(join(dir, "disk"))], context).toEqual([]);
    if (r.pid !== undefined) expect(browsersOf(r.pid), context).toEqual([]);
  } finally {
    if (otherDisk) spawnSync("rm", ["-rf", otherDisk]);
    readOnly?.release();
  }
}

describe("faults and signals at random moments", () => {
  it("exit 0, 1, 130 or 143 with a code and no stack trace, the previous outputs whole, nothing left behind", async () => {
    await fc.assert(fc.asyncProperty(cases, checkFault), {
      numRuns: RUNS,
      seed: Number(process.env.ALLIANCE_FAULT_SEED ?? Date.now() % 1e9),
      endOnFailure: true,
    });
  }, 240_000);
});
