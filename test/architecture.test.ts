/**
 * The data path's layout (pipeline/phases/): one folder per phase; what passes between phases is
 * declared once (tables.ts for DuckDB tables, handoff.ts for typed data), and no phase imports
 * another phase's modules.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { closeDb, openDb, queryRows } from "../pipeline/db.ts";
import { loadStudyConfig } from "../pipeline/config/load-config.ts";
import { ingest } from "../pipeline/phases/read/read.ts";
import { validate } from "../pipeline/phases/validate/validate.ts";
import { derive } from "../pipeline/phases/derive/derive.ts";
import { TABLES, type Phase } from "../pipeline/phases/tables.ts";

const PHASES_DIR = fileURLToPath(new URL("../pipeline/phases/", import.meta.url));
const PHASES = ["read", "validate", "derive", "analyze", "render"];

/** Relative imports of a module (static and dynamic), resolved to paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((m) => m[1]!);
  return specifiers.map((s) => resolve(dirname(file), s));
}

describe("the phases", () => {
  it("each have a folder under pipeline/phases/", () => {
    expect(
      readdirSync(PHASES_DIR, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort(),
    ).toEqual([...PHASES].sort());
  });

  it("import no other phase's modules, only tables.ts and handoff.ts beside their own", () => {
    const crossings: string[] = [];
    for (const phase of PHASES) {
      for (const name of readdirSync(join(PHASES_DIR, phase))) {
        const file = join(PHASES_DIR, phase, name);
        for (const target of importsOf(file)) {
          const rel = relative(PHASES_DIR, target);
          if (rel.startsWith("..")) continue; // outside the phases: config, db, analyses, …
          const [folder] = rel.split("/");
          if (folder === phase || rel === "tables.ts" || rel === "handoff.ts") continue;
          crossings.push(`${phase}/${name} imports ${rel}`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });

  it("leave in the database only the declared tables, each until the phase declared to drop it", async () => {
    const study = loadStudyConfig(fileURLToPath(new URL("../data/demo/study.yaml", import.meta.url)));
    if (!study.ok) throw new Error("demo config");
    const db = await openDb();
    try {
      const present = async () =>
        (await queryRows<{ n: string }>(db, "SELECT table_name AS n FROM information_schema.tables ORDER BY 1")).map(
          (r) => r.n,
        );
      const declared = (after: Phase[]) =>
        Object.values(TABLES)
          .filter((t) => after.includes(t.createdBy) && !after.includes(t.droppedBy))
          .map((t) => t.name)
          .sort();
      const read = await ingest(db, study.value);
      if (!read.ok) throw new Error("demo read");
      expect(await present()).toEqual(declared(["read"]));
      await validate(db, study.value, read.value);
      expect(await present()).toEqual(declared(["read", "validate"]));
      await derive(db, study.value);
      expect(await present()).toEqual([]);
    } finally {
      closeDb(db);
    }
  });
});
