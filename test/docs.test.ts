import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RULES } from "../pipeline/stages/validation-rules.ts";
import { NO_ALLIANCE } from "../pipeline/stages/shareable.ts";
import { messages } from "../pipeline/messages.ts";

const doc = readFileSync(fileURLToPath(new URL("../docs/validation-rules.md", import.meta.url)), "utf8");

describe("docs/validation-rules.md", () => {
  const codes = new Set([...RULES.map((r) => r.code), NO_ALLIANCE.code, messages.columnMissing("f", "x", "y", []).code, messages.fileUnparseable("f", null, "").code, messages.fileUnreadable("f", "r", "").code, messages.outOfMemory("").code]);
  for (const code of codes) {
    it(`documents ${code}`, () => {
      expect(doc).toContain(`\`${code}\``);
    });
  }

  it("documents each warning's reason exactly as the flow prints it", () => {
    for (const r of RULES.filter((x) => x.severity === "warning")) expect(doc).toContain(`| ${r.reason} |`);
  });
});
