/**
 * docs/failures.md is a promise: each of its rows names a code the messages module has, and a test
 * in test/e2e/ runs that fault and checks the row (helpers/faults.ts, expectAsDocumented).
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "../../pipeline/messages.ts";
import { documentedFailures } from "../helpers/faults.ts";

const tests = readdirSync("test/e2e")
  .filter((f) => f.endsWith("-faults.test.ts"))
  .map((f) => readFileSync(`test/e2e/${f}`, "utf8"))
  .join("\n");

describe("docs/failures.md", () => {
  it("names only codes of the messages module, and exit statuses 0, 1, 129, 130 or 143", () => {
    for (const row of documentedFailures()) {
      if (row.code) expect(row.code in MESSAGES, row.fault).toBe(true);
      expect([0, 1, 129, 130, 143], row.fault).toContain(row.exit);
    }
  });

  it("has each of its rows checked by a fault test of that name", () => {
    const untested = documentedFailures().filter(
      (row) => !tests.includes(`expectAsDocumented("${row.fault}"`) && !tests.includes(`"${row.fault}"]`),
    );
    expect(untested.map((r) => r.fault)).toEqual([]);
  });
});
