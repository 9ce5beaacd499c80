/**
 * docs/validation-rules.md is the user's list of every code: it must name each code of the messages
 * module (pipeline/messages.ts) and no code the module does not have.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RULES } from "../pipeline/phases/validate/validation-rules.ts";
import { MESSAGES } from "../pipeline/messages.ts";
import { defaultPaths } from "../pipeline/config/defaults.ts";

const doc = readFileSync(fileURLToPath(new URL("../docs/validation-rules.md", import.meta.url)), "utf8");
const documented = new Set([...doc.matchAll(/^\| `([EWNX]_[A-Z_]+)` \|/gm)].map((m) => m[1]!));

describe("docs/validation-rules.md", () => {
  for (const code of Object.keys(MESSAGES)) {
    it(`documents ${code}`, () => {
      expect(documented.has(code), `${code} has no row in docs/validation-rules.md`).toBe(true);
    });
  }

  it("documents no code that the messages module does not have", () => {
    expect([...documented].filter((c) => !(c in MESSAGES))).toEqual([]);
  });

  it("has a message for every rule of the catalogue", () => {
    expect(RULES.map((r) => r.code).filter((c) => !(c in MESSAGES))).toEqual([]);
  });

  it("documents each warning's reason exactly as the flow prints it", () => {
    for (const r of RULES.filter((x) => x.severity === "warning")) expect(doc).toContain(`| ${r.reason} |`);
  });
});

describe("docs/config.md and the defaults object (pipeline/config/defaults.ts)", () => {
  it("lists every default, and only those, in its Defaults table", () => {
    const text = readFileSync("docs/config.md", "utf8");
    const table = text.slice(text.indexOf("## Defaults"));
    const listed = [...table.matchAll(/^\| `([\w.]+)` \| `(.+)` \|$/gm)].map((m) => [m[1]!, JSON.parse(m[2]!)]);
    expect(listed).toEqual(defaultPaths());
  });

  it("gives each default to the schema as its `default`", () => {
    const schema = JSON.stringify(JSON.parse(readFileSync("schema/study-config.schema.json", "utf8")));
    for (const [path, value] of defaultPaths()) expect(schema, path).toContain(`"default":${JSON.stringify(value)}`);
  });
});
