/**
 * A study too large for the machine ends with E_OUT_OF_MEMORY and what to do, not a stack trace.
 * The run is replaced by one that throws DuckDB 1.5's out-of-memory error, as DuckDB words it (the
 * first line, as test/stages/database.test.ts provokes it); any other error is a coded E_INTERNAL_ERROR.
 */
import { describe, expect, it, vi } from "vitest";

const OUT_OF_MEMORY = new Error(
  "Out of Memory Error: could not allocate block of size 256.0 KiB (18.8 MiB/19.0 MiB used)",
);
const thrown = { error: OUT_OF_MEMORY };
vi.mock("../../pipeline/drivers/run-study.ts", () => ({ runStudy: async () => Promise.reject(thrown.error) }));
import { DEMO_CONFIG, main } from "../../pipeline/cli.ts";

function capture() {
  const err: string[] = [];
  return { io: { out: () => {}, err: (l: string) => err.push(l) }, err };
}

describe("alliance run on a study too large for the machine", () => {
  it("exits with 1 and names E_OUT_OF_MEMORY with its fix", async () => {
    thrown.error = OUT_OF_MEMORY;
    const { io, err } = capture();
    expect(await main(["run", "--config", DEMO_CONFIG, "--no-pdf"], io)).toBe(1);
    expect(err[0]).toBe("alliance: the run stopped: out of memory");
    expect(err[1]).toContain("[E_OUT_OF_MEMORY]");
    expect(err[1]).toContain("Fix: Close other programs");
  });

  it("names any other error as the bug it is, E_INTERNAL_ERROR, with its message and no stack trace", async () => {
    thrown.error = new Error("Binder Error: column x not found");
    const { io, err } = capture();
    expect(await main(["run", "--config", DEMO_CONFIG, "--no-pdf"], io)).toBe(1);
    expect(err[0]).toBe("alliance: the command failed unexpectedly");
    expect(err[1]).toContain("Binder Error: column x not found");
    expect(err[1]).toContain("[E_INTERNAL_ERROR]");
    expect(err.join("\n")).not.toMatch(/\n\s+at /);
  });
});
