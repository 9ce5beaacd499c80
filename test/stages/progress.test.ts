/** Progress lines (pipeline/progress.ts): one per phase; on a terminal, a live line of rows read. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { progressOn } from "../../pipeline/progress.ts";

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { written, write: (s: string) => written.push(s), isTTY };
}

afterEach(() => vi.useRealTimers());

describe("progress", () => {
  it("ends each phase with one line: its name, its seconds and what it made", () => {
    const s = stream(false);
    const p = progressOn(s);
    p.begin("derive");
    p.end("derive", "600 episodes");
    expect(s.written).toHaveLength(1);
    expect(s.written[0]).toMatch(/^alliance: derive +\d+\.\d\d s {2}600 episodes\n$/);
  });

  it("on a terminal, rewrites a live line with the rows read while a phase runs, and clears it at the end", () => {
    vi.useFakeTimers();
    const s = stream(true);
    const p = progressOn(s);
    let rows = 0;
    p.begin("read", () => rows);
    rows = 1_234_567;
    vi.advanceTimersByTime(300);
    expect(s.written.at(-1)).toBe("\r\x1b[2Kalliance: read … 1,234,567 rows");
    p.end("read");
    expect(s.written.at(-2)).toBe("\r\x1b[2K");
    expect(s.written.at(-1)).toMatch(/^alliance: read +\d+\.\d\d s\n$/);
  });

  it("writes no live line where stderr is not a terminal (a log file, a pipe)", () => {
    vi.useFakeTimers();
    const s = stream(false);
    const p = progressOn(s);
    p.begin("read", () => 5);
    vi.advanceTimersByTime(1000);
    expect(s.written).toEqual([]);
  });
});
