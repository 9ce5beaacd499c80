/**
 * Family: a signal during the PDF stage. On Ctrl-C or SIGTERM every command stops at once with
 * E_INTERRUPTED and 130 or 143, publishes nothing more, ends its browser and leaves the previous
 * outputs byte-identical (docs/failures.md); no library's handler keeps it alive.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_CONFIG } from "../../pipeline/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { browsersOf, cli, cliSignalled, expectAsDocumented, leftovers, snapshot } from "../helpers/faults.ts";

describe("family: a signal during the PDF stage", () => {
  for (const [signal, fault] of [
    ["SIGINT", "Ctrl-C during the PDF of alliance run"],
    ["SIGTERM", "SIGTERM during the PDF of alliance run"],
  ] as const) {
    it(
      fault,
      async () => {
        const dir = tempDir("alliance-signal-");
        const out = join(dir, "out");
        expect(cli(["demo", "--out", out, "--quiet"]).status).toBe(0);
        const before = snapshot(out);
        // The render phase's line is printed as the PDF begins.
        const started = Date.now();
        const r = await cliSignalled(["run", "--config", DEMO_CONFIG, "--out", out], signal, /alliance: render /m, 150);
        expect(r.sent).toBe(true);
        expectAsDocumented(fault, r);
        expect(r.stderr).toMatch(/nothing of it was published/);
        expect(Date.now() - started).toBeLessThan(20_000);
        expect(snapshot(out)).toEqual(before);
        expect(leftovers(dir)).toEqual([]);
        expect(browsersOf(r.pid)).toEqual([]);
      },
      60_000,
    );
  }

  it("Ctrl-C during the PDFs of alliance report --by site", async () => {
    const dir = tempDir("alliance-signal-");
    const out = join(dir, "batch");
    const args = ["report", "--config", DEMO_CONFIG, "--period", "latest", "--by", "site", "--out", out];
    expect(cli(args).status).toBe(0);
    const before = snapshot(out);
    const started = Date.now();
    // The batch prints no phase lines: the signal comes once its browser runs, while it prints.
    const again = await cliSignalled(args, "SIGINT", (pid) => browsersOf(pid).length > 0, 400);
    expect(again.sent).toBe(true);
    expectAsDocumented("Ctrl-C during the PDFs of alliance report --by site", again);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(dir)).toEqual([]);
    expect(browsersOf(again.pid)).toEqual([]);
  }, 90_000);
});
