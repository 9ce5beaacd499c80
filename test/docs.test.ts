/**
 * docs/validation-rules.md is the user's list of every code: it must name each code of the messages
 * module (pipeline/messages.ts) and no code the module does not have.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RULES } from "../pipeline/phases/validate/validation-rules.ts";
import { MESSAGES } from "../pipeline/messages.ts";

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
