/**
 * Family: the output location fails. Each cause is found before any work and refused with its code
 * (docs/failures.md), with no stack trace, the previous outputs byte-identical and no staging folder
 * left; a link to another disk and a study name too long for a staging folder's name just work.
 */
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_CONFIG } from "../../pipeline/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { canMount, cli, expectAsDocumented, leftovers, readOnlyFolder, snapshot } from "../helpers/faults.ts";

const demo = (out: string, extra: string[] = []) => ["demo", "--out", out, "--no-pdf", "--quiet", ...extra];

/** A folder holding a finished demo run's outputs. */
function withPrevious(): { dir: string; out: string } {
  const dir = tempDir("alliance-outfault-");
  const out = join(dir, "out");
  expect(cli(demo(out)).status).toBe(0);
  return { dir, out };
}

describe("family: the output location fails", () => {
  it("--out is a file", () => {
    const dir = tempDir("alliance-outfault-");
    const file = join(dir, "report.txt");
    writeFileSync(file, "mine\n");
    expectAsDocumented("--out is a file", cli(demo(file)));
    expect(readFileSync(file, "utf8")).toBe("mine\n");
    expect(leftovers(dir)).toEqual([]);
  });

  it("--out lies under a file", () => {
    const dir = tempDir("alliance-outfault-");
    const file = join(dir, "report.txt");
    writeFileSync(file, "mine\n");
    const r = cli(demo(join(file, "sub", "out")));
    expectAsDocumented("--out lies under a file", r);
    expect(r.stderr).toContain(`lies under the file ${file}`);
    expect(readFileSync(file, "utf8")).toBe("mine\n");
  });

  // A read-only memory disk as root (permission bits do not bind root), permission bits otherwise.
  it("the output folder is read-only", (ctx) => {
    const disk = join(tempDir("alliance-outfault-"), "disk");
    const readOnly = readOnlyFolder(disk);
    if (!readOnly) return ctx.skip(); // root without the right to mount
    try {
      const out = join(disk, "out");
      expect(cli(demo(out)).status).toBe(0);
      const before = snapshot(out);
      readOnly.seal();
      const r = cli(demo(out));
      expectAsDocumented("the output folder is read-only", r);
      expect(snapshot(out)).toEqual(before);
      expect(leftovers(disk)).toEqual([]);
    } finally {
      readOnly.release();
    }
  });

  it("the output folder's parent is read-only", (ctx) => {
    const disk = join(tempDir("alliance-outfault-"), "disk");
    const readOnly = readOnlyFolder(disk);
    if (!readOnly) return ctx.skip(); // root without the right to mount
    try {
      readOnly.seal();
      const r = cli(demo(join(disk, "new", "out")));
      expectAsDocumented("the output folder's parent is read-only", r);
      expect(snapshot(disk)).toEqual({});
    } finally {
      readOnly.release();
    }
  });

  it("the disk has no room for the outputs", (ctx) => {
    const { dir, out } = withPrevious();
    const disk = join(dir, "small-disk");
    mkdirSync(disk);
    if (!canMount(disk)) return ctx.skip(); // needs root with the mount capability (CI has it)
    spawnSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", disk]);
    try {
      cpSync(out, join(disk, "out"), { recursive: true });
      const before = snapshot(join(disk, "out"));
      expectAsDocumented("the disk has no room for the outputs", cli(demo(join(disk, "out"))));
      expect(snapshot(join(disk, "out"))).toEqual(before);
      expect(leftovers(disk)).toEqual([]);
    } finally {
      spawnSync("umount", [disk]);
    }
  });

  it("a file-size limit is hit while writing", () => {
    const { dir, out } = withPrevious();
    const before = snapshot(out);
    const r = cli(demo(out), { fileSizeKb: 40 });
    expectAsDocumented("a file-size limit is hit while writing", r);
    expect(r.stderr).toContain("EFBIG");
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(dir)).toEqual([]);
  });

  it("--out is a link to another disk", () => {
    const dir = tempDir("alliance-outfault-");
    // /dev/shm is a memory disk: another file system than the temporary folder's.
    const target = spawnSync("mktemp", ["-d", "/dev/shm/alliance-outfault-XXXXXX"], { encoding: "utf8" }).stdout.trim();
    expect(target).not.toBe("");
    try {
      symlinkSync(target, join(dir, "link"));
      expectAsDocumented("--out is a link to another disk", cli(demo(join(dir, "link"))));
      expectAsDocumented("--out is a link to another disk", cli(demo(join(dir, "link")))); // and replaces what it published there
      expect(Object.keys(snapshot(target)!)).toContain("results.json");
      expect([...leftovers(dir), ...leftovers("/dev/shm")]).toEqual([]);
    } finally {
      spawnSync("rm", ["-rf", target]);
    }
  });

  it("the study's name is too long for a staging folder's name", () => {
    const dir = tempDir("alliance-outfault-");
    for (const f of ["episodes.csv", "sessions.csv"]) cpSync(join("data/demo", f), join(dir, f));
    const name = "a".repeat(240);
    writeFileSync(
      join(dir, "study.yaml"),
      readFileSync(DEMO_CONFIG, "utf8").replace(/^  name: demo$/m, `  name: ${name}`),
    );
    const r = cli(["run", "--config", join(dir, "study.yaml"), "--no-pdf", "--quiet"], { cwd: dir });
    expectAsDocumented("the study's name is too long for a staging folder's name", r);
    expect(Object.keys(snapshot(join(dir, "reports", name))!)).toContain("results.json");
    expect(leftovers(join(dir, "reports"))).toEqual([]);
  });
});
