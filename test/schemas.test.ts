import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import {
  CONFIG_SCHEMA_PATH,
  generateConfigSchemaText,
  generateQuarterlyResultsSchemaText,
  generateResultsSchemaText,
  QUARTERLY_RESULTS_SCHEMA_PATH,
  RESULTS_SCHEMA_PATH,
} from "../scripts/schemas.ts";

describe("JSON Schemas generated from the TypeScript types", () => {
  it("ships a config schema in step with pipeline/config/types.ts (run `npm run schema` when this fails)", () => {
    expect(readFileSync(CONFIG_SCHEMA_PATH, "utf8")).toBe(generateConfigSchemaText());
  }, 30_000);

  it("ships a results schema in step with pipeline/results.ts (run `npm run schema` when this fails)", () => {
    expect(readFileSync(RESULTS_SCHEMA_PATH, "utf8")).toBe(generateResultsSchemaText());
  }, 30_000);

  it("ships a quarterly results schema in step with pipeline/quarterly/quarterly-results.ts (run `npm run schema` when this fails)", () => {
    expect(readFileSync(QUARTERLY_RESULTS_SCHEMA_PATH, "utf8")).toBe(generateQuarterlyResultsSchemaText());
  }, 30_000);
});
