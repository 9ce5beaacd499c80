/**
 * The data path's layout (pipeline/phases/): one folder per phase; what passes between phases is
 * declared once (tables.ts for DuckDB tables, handoff.ts for typed data, episodes.ts for the derived
 * episodes' columns), those shared modules import no phase, no phase imports another phase's
 * modules, and no module anywhere takes the handed-on types from a phase's modules. And the source
 * has no import cycle at all (madge, type imports included).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import madge from "madge";
import ts from "typescript";
import { closeDb, openDb, queryRows } from "../pipeline/db.ts";
import { loadStudyConfig } from "../pipeline/config/load-config.ts";
import { read } from "../pipeline/phases/read/read.ts";
import { validate } from "../pipeline/phases/validate/validate.ts";
import { derive } from "../pipeline/phases/derive/derive.ts";
import { TABLES, type Phase } from "../pipeline/phases/tables.ts";

const PHASES_DIR = fileURLToPath(new URL("../pipeline/phases/", import.meta.url));
const PHASES = ["read", "validate", "derive", "analyze", "render"];
/** The modules at the phases' root that every phase may import: what passes between phases. */
const SHARED = ["tables.ts", "handoff.ts", "episodes.ts"];
const SOURCE_DIRS = [
  fileURLToPath(new URL("../pipeline/", import.meta.url)),
  fileURLToPath(new URL("../analyses/", import.meta.url)),
];

/** Every TypeScript and JavaScript module under a folder. */
function modulesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.(ts|mjs|js)$/.test(f))
    .map((f) => join(dir, f));
}

/** The names a module imports from a path (type or value), e.g. ["derive", "DerivedEpisode"]. */
function namesImported(file: string, target: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*"(\.[^"]+)"/g)) {
    if (resolve(dirname(file), m[2]!) !== target) continue;
    out.push(
      ...m[1]!
        .split(",")
        .map((x) => x.replace(/^\s*type\s+/, "").trim())
        .filter(Boolean),
    );
  }
  return out;
}

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

  it("import no other phase's modules, only the shared tables.ts, handoff.ts and episodes.ts beside their own", () => {
    const crossings: string[] = [];
    for (const phase of PHASES) {
      for (const name of readdirSync(join(PHASES_DIR, phase))) {
        const file = join(PHASES_DIR, phase, name);
        for (const target of importsOf(file)) {
          const rel = relative(PHASES_DIR, target);
          if (rel.startsWith("..")) continue; // outside the phases: config, db, analyses, …
          const [folder] = rel.split("/");
          if (folder === phase || SHARED.includes(rel)) continue;
          crossings.push(`${phase}/${name} imports ${rel}`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });

  it("share modules (tables.ts, handoff.ts, episodes.ts) that import nothing from any phase", () => {
    const crossings = SHARED.flatMap((name) =>
      importsOf(join(PHASES_DIR, name))
        .map((target) => relative(PHASES_DIR, target))
        .filter((rel) => PHASES.includes(rel.split("/")[0]!))
        .map((rel) => `${name} imports ${rel}`),
    );
    expect(crossings).toEqual([]);
  });

  it("are reached by every consumer of their data (quarterly/ and the drivers too) through handoff.ts, never by another phase's types", async () => {
    const handoffTypes = new Set(
      [
        ...readFileSync(join(PHASES_DIR, "handoff.ts"), "utf8").matchAll(/^export (?:interface|type|const) (\w+)/gm),
      ].map((m) => m[1]!),
    );
    for (const t of ["DerivedEpisode", "EpisodeColumns", "LabelColumn"]) handoffTypes.add(t);
    const offenders: string[] = [];
    for (const file of SOURCE_DIRS.flatMap(modulesUnder)) {
      if (file.startsWith(PHASES_DIR)) continue;
      for (const target of importsOf(file)) {
        const rel = relative(PHASES_DIR, target);
        if (rel.startsWith("..") || SHARED.includes(rel)) continue;
        const named = namesImported(file, target).filter((n) => handoffTypes.has(n));
        if (named.length) offenders.push(`${relative(PHASES_DIR, file)} takes ${named.join(", ")} from ${rel}`);
      }
    }
    expect(offenders).toEqual([]);
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
      const readOutput = await read(db, study.value);
      if (!readOutput.ok) throw new Error("demo read");
      expect(await present()).toEqual(declared(["read"]));
      await validate(db, study.value, readOutput.value);
      expect(await present()).toEqual(declared(["read", "validate"]));
      await derive(db, study.value);
      expect(await present()).toEqual([]);
    } finally {
      closeDb(db);
    }
  });
});

describe("the source", () => {
  it("has no import cycle in pipeline/ and analyses/ (madge, type imports included)", async () => {
    const graph = await madge(SOURCE_DIRS, {
      fileExtensions: ["ts", "mjs", "js"],
      tsConfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)),
    });
    expect(graph.circular()).toEqual([]);
  });
});

describe("the functions of pipeline/ and analyses/", () => {
  it("run to at most 80 lines each (split longer ones into named steps)", () => {
    const long: string[] = [];
    for (const file of SOURCE_DIRS.flatMap(modulesUnder)) {
      const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node) => {
        if (
          ts.isFunctionDeclaration(node) ||
          ts.isMethodDeclaration(node) ||
          ts.isArrowFunction(node) ||
          ts.isFunctionExpression(node)
        ) {
          const lines =
            source.getLineAndCharacterOfPosition(node.getEnd()).line -
            source.getLineAndCharacterOfPosition(node.getStart()).line +
            1;
          if (lines > 80)
            long.push(
              `${relative(PHASES_DIR, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} (${lines} lines)`,
            );
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(long).toEqual([]);
  });
});
