/**
 * Sudden gains and losses (analyses/sudden-gains.ts) against the R package suddengains 0.7.2 on its
 * example data sgdata, read in place from ../shared/reference-data/sgdata.csv. Expected values: the
 * package's tests/testthat/test-describe_sg.R (cut-off 7: 24 gains, 15 people, magnitudes 11 (SD
 * 3.43) and 11.4 (SD 3.98), 4 and 3 reversals) and test-identify_sg.R / test-identify_sl.R, and
 * the rest from running the package once (test/reference/suddengains-sgdata.out).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { reliableChangeCutoff, suddenShifts, type SuddenShift } from "../../analyses/sudden-gains.ts";
import { ROOT } from "../../pipeline/root.ts";

/**
 * sgdata.csv, read in place: from ALLIANCE_SHARED_DIR when set, else the nearest folder above the
 * project holding shared/reference-data (CI and the development checkout: ../shared).
 */
function sgdataPath(): string {
  const name = join("reference-data", "sgdata.csv");
  const given = process.env["ALLIANCE_SHARED_DIR"];
  if (given) return join(given, name);
  for (let dir = dirname(ROOT); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "shared", name))) return join(dir, "shared", name);
    if (dirname(dir) === dir)
      throw new Error(
        `no shared/${name} above ${ROOT}: set ALLIANCE_SHARED_DIR to the folder that holds reference-data/`,
      );
  }
}
const SGDATA = sgdataPath();

/** sgdata's rows: id, and BDI at sessions 1–12 (bdi_s1 … bdi_s12), missing as null; and bdi_s0. */
function readSgdata(): { id: number; bdi: (number | null)[]; s0: number | null }[] {
  const [head, ...rows] = readFileSync(SGDATA, "utf8").trim().split(/\r?\n/);
  const cols = head!.split(",").map((c) => c.replaceAll('"', ""));
  const at = (name: string) => cols.indexOf(name);
  const cell = (v: string | undefined) => (v === undefined || v === "" || v === "NA" ? null : Number(v));
  return rows.map((line) => {
    const v = line.split(",");
    return {
      id: Number(v[at("id")]),
      bdi: Array.from({ length: 12 }, (_, i) => cell(v[at(`bdi_s${i + 1}`)])),
      s0: cell(v[at("bdi_s0")]),
    };
  });
}

/** The reference output's table for one run: id, session n (1-based), magnitude, reversal. */
function referenceRows(header: string): [number, number, number, number][] {
  const text = readFileSync(join(ROOT, "test/reference/suddengains-sgdata.out"), "utf8");
  const block = text.slice(text.indexOf(header)).split("\n").slice(2);
  const out: [number, number, number, number][] = [];
  for (const line of block) {
    const m = line.trim().split(/\s+/);
    if (m.length !== 6 || !/^\d+$/.test(m[0]!)) break;
    out.push([Number(m[1]), Number(m[2]), Math.abs(Number(m[3])), Number(m[5])]);
  }
  return out;
}

const sd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};

function shiftsOf(kind: "gain" | "loss", cutoff: number) {
  return readSgdata().map((p) => ({
    id: p.id,
    shifts: suddenShifts(p.bdi, { cutoff, higherIsBetter: false }).filter((s) => s.kind === kind),
  }));
}

const asRows = (people: { id: number; shifts: SuddenShift[] }[]) =>
  people.flatMap((p) => p.shifts.map((s) => [p.id, s.at + 1, s.magnitude, s.reversal ? 1 : 0]));

describe("sudden gains on suddengains' sgdata (BDI, lower is better)", () => {
  it("cut-off 7: 24 gains in 15 of 43 people, 8 with more than one (test-describe_sg.R)", () => {
    const people = shiftsOf("gain", 7);
    expect(people).toHaveLength(43);
    expect(people.reduce((n, p) => n + p.shifts.length, 0)).toBe(24);
    expect(people.filter((p) => p.shifts.length > 0)).toHaveLength(15);
    expect(people.filter((p) => p.shifts.length > 1)).toHaveLength(8);
  });

  it("cut-off 7: magnitudes 11 (SD 3.43) over all gains, 11.4 (SD 3.98) over each person's first (test-describe_sg.R)", () => {
    const people = shiftsOf("gain", 7);
    const all = people.flatMap((p) => p.shifts.map((s) => s.magnitude));
    const first = people.filter((p) => p.shifts.length).map((p) => p.shifts[0]!.magnitude);
    expect(all.reduce((a, b) => a + b, 0) / all.length).toBeCloseTo(11, 12);
    expect(sd(all)).toBeCloseTo(3.42624144432096, 12);
    expect(first.reduce((a, b) => a + b, 0) / first.length).toBeCloseTo(11.4, 12);
    expect(sd(first)).toBeCloseTo(3.97851372104853, 12);
  });

  it("cut-off 7: 4 reversals over all gains, 3 over each person's first (test-describe_sg.R)", () => {
    const people = shiftsOf("gain", 7);
    expect(people.flatMap((p) => p.shifts).filter((s) => s.reversal)).toHaveLength(4);
    expect(people.filter((p) => p.shifts[0]?.reversal)).toHaveLength(3);
  });

  it("cut-off 7: each gain's person, session, magnitude and reversal as create_bysg lists them", () => {
    expect(asRows(shiftsOf("gain", 7))).toEqual(referenceRows("## identify = sg cutoff = 7 "));
  });

  it("the RCI cut-off from bdi_s0 and reliability .931 is 4.65703 (test-define_crit1_cutoff.R), and finds create_bysg's 29 gains", () => {
    const s0 = readSgdata()
      .map((p) => p.s0)
      .filter((x): x is number => x != null);
    const cutoff = reliableChangeCutoff(sd(s0), 0.931);
    expect(cutoff).toBeCloseTo(4.65703025815442, 12);
    expect(asRows(shiftsOf("gain", cutoff))).toEqual(referenceRows("## identify = sg cutoff = 4.65703 "));
  });

  it("losses at cut-off 7 are identify_sl's three (its missing 25% rule changes none of them here)", () => {
    expect(asRows(shiftsOf("loss", 7))).toEqual(referenceRows("## identify = sl cutoff = -7 "));
  });
});

describe("sudden gains: the criteria at their boundaries (hand-worked)", () => {
  const lowerBetter = { cutoff: 7, higherIsBetter: false };

  it("identify_sg's own cases (test-identify_sg.R, data set 2): one gain per row, in its place", () => {
    const rows = [
      [35, 37, 23, 23, 24, 21],
      [35, 37, 34, 24, 24, 21],
      [35, 37, 34, 34, 24, 21],
      [35, 37, 34, 37, 37, 37],
    ];
    expect(rows.map((r) => suddenShifts(r, lowerBetter).map((s) => s.at + 1))).toEqual([[2], [3], [4], []]);
  });

  it("criterion 1 holds at exactly the cut-off (a drop of 7 from 28 to 21)", () => {
    expect(suddenShifts([30, 29, 28, 21, 20, 21], lowerBetter).map((s) => s.magnitude)).toEqual([7]);
    expect(suddenShifts([30, 29, 28, 21.5, 20, 21], lowerBetter)).toEqual([]);
  });

  it("criterion 2 holds at exactly 25% of the score before (8 → 6 with cut-off 2)", () => {
    const rule = { cutoff: 2, higherIsBetter: false };
    expect(suddenShifts([9, 8, 8, 6, 6, 6], rule)).toHaveLength(1);
    expect(suddenShifts([9, 8.1, 8.1, 6.1, 6, 6], rule)).toHaveLength(0);
  });

  it("criterion 3 needs two scores on each side; a missing one raises the critical t to 3.182", () => {
    expect(suddenShifts([null, 28, 28, 20, null, null], lowerBetter)).toEqual([]);
    const [g] = suddenShifts([30, null, 28, 20, 20, 19], lowerBetter);
    expect(g!.critical).toBeCloseTo(3.18244630528371, 10); // R: qt(0.975, 3);
  });

  it("a gain on a higher-is-better scale is a rise; a loss is the mirror image with the 25% rule", () => {
    const up = { cutoff: 7, higherIsBetter: true };
    expect(suddenShifts([10, 11, 12, 30, 28, 33], up).map((s) => s.kind)).toEqual(["gain"]);
    // A worsening of 8 from 40 is under 25% of 40: no loss (identify_sl, lacking the rule, would call it one).
    expect(suddenShifts([40, 41, 40, 32, 31, 32], up)).toEqual([]);
    expect(suddenShifts([20, 21, 20, 12, 11, 12], up).map((s) => s.kind)).toEqual(["loss"]);
  });

  it("a reversal is a later score more than half the gain back (n+2 onward), not at exactly half", () => {
    // Gain 34 → 23 (11): half back is 28.5.
    expect(suddenShifts([35, 37, 34, 23, 24, 21, 28.5], lowerBetter)[0]!.reversal).toBe(false);
    expect(suddenShifts([35, 37, 34, 23, 24, 21, 29], lowerBetter)[0]!.reversal).toBe(true);
  });
});
