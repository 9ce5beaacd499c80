/**
 * Outputs replaced only by a finished run (pipeline/output/staged-output.ts): a commit swaps in only
 * the entries the command owns; a discarded run leaves the folder as it was; and the staging folder
 * of a run killed in the middle of its commit is found by the next run, which puts the previous
 * outputs back.
 */
import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { recoverStaging, stageOutput } from "../../pipeline/output/staged-output.ts";
import { tempDir } from "../helpers/temp-dir.ts";

function folderWith(files: Record<string, string>): string {
  const dir = join(tempDir("alliance-staged-"), "out");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");

describe("staged outputs", () => {
  it("replace the entries the command owns, remove its stale ones, and leave the rest of the folder alone", () => {
    const out = folderWith({
      "report.html": "old",
      "report.pdf": "old pdf",
      "tables/a.csv": "old",
      "2025Q4/index.html": "a quarterly batch",
    });
    const staged = stageOutput(out, ["report.html", "report.pdf", "tables"]);
    writeFileSync(staged.path("report.html"), "new");
    writeFileSync(staged.path("tables/b.csv"), "new");
    expect(read(out, "report.html")).toBe("old"); // nothing changes before the commit
    expect(staged.commit().sort()).toEqual(["report.html", "tables"]);
    expect(read(out, "report.html")).toBe("new");
    expect(existsSync(join(out, "report.pdf"))).toBe(false); // from an earlier run: it would look current
    expect(readdirSync(join(out, "tables"))).toEqual(["b.csv"]);
    expect(read(out, "2025Q4/index.html")).toBe("a quarterly batch");
    expect(readdirSync(join(out, "..")).filter((f) => f.includes("staging"))).toEqual([]);
  });

  it("leave the folder untouched when the run is discarded", () => {
    const out = folderWith({ "report.html": "old" });
    const staged = stageOutput(out, ["report.html"]);
    writeFileSync(staged.path("report.html"), "half-written");
    staged.discard();
    expect(read(out, "report.html")).toBe("old");
    expect(readdirSync(join(out, ".."))).toEqual(["out"]);
  });

  it("are put back by the next run when a killed run stopped in the middle of its commit", () => {
    const out = folderWith({ "report.html": "old", "results.json": "old" });
    // What a commit leaves when killed between its renames: the journal, the previous report.html
    // moved aside, the new one moved in, the new results.json not yet.
    const gone = 2 ** 22 + 7; // above Linux's default pid_max: no running process has it
    const staging = join(out, "..", `.out.alliance-staging-${gone}-abc123`);
    mkdirSync(join(staging, ".previous"), { recursive: true });
    writeFileSync(
      join(staging, ".commit.json"),
      JSON.stringify({ target: out, incoming: ["report.html", "results.json"] }),
    );
    renameSync(join(out, "report.html"), join(staging, ".previous", "report.html"));
    writeFileSync(join(out, "report.html"), "new");
    writeFileSync(join(staging, "results.json"), "new");
    expect(recoverStaging(join(out, ".."))).toEqual([staging]);
    expect([read(out, "report.html"), read(out, "results.json")]).toEqual(["old", "old"]);
    expect(existsSync(staging)).toBe(false);
  });
});
