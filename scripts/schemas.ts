/**
 * Generates the JSON Schemas of the study config, of results.json and of a quarterly report's
 * results.json from their TypeScript types (pipeline/config/types.ts, pipeline/results.ts,
 * pipeline/quarterly/quarterly-results.ts), so the types stay the single source.
 */
import { createGenerator } from "ts-json-schema-generator";
import { fileURLToPath } from "node:url";

export const CONFIG_SCHEMA_PATH = fileURLToPath(new URL("../schema/study-config.schema.json", import.meta.url));

export const RESULTS_SCHEMA_PATH = fileURLToPath(new URL("../schema/results.schema.json", import.meta.url));

export const QUARTERLY_RESULTS_SCHEMA_PATH = fileURLToPath(
  new URL("../schema/quarterly-results.schema.json", import.meta.url),
);

/** The config schema as JSON text, exactly as it is committed. */
export const generateConfigSchemaText = (): string =>
  schemaText("../pipeline/config/types.ts", "StudyConfigFile", "Alliance pipeline study config");

/** The results.json schema as JSON text, exactly as it is committed. */
export const generateResultsSchemaText = (): string =>
  schemaText("../pipeline/results.ts", "Results", "Alliance pipeline results.json");

/** The schema of a quarterly report's results.json (`alliance report`) as JSON text, exactly as it is committed. */
export const generateQuarterlyResultsSchemaText = (): string =>
  schemaText(
    "../pipeline/quarterly/quarterly-results.ts",
    "QuarterlyResults",
    "Alliance pipeline quarterly report results.json",
  );

function schemaText(source: string, type: string, title: string): string {
  const schema = createGenerator({
    path: fileURLToPath(new URL(source, import.meta.url)),
    tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)),
    type,
    additionalProperties: false,
    skipTypeCheck: true,
    jsDoc: "extended",
  }).createSchema(type);
  schema.title = title;
  return JSON.stringify(schema, null, 2) + "\n";
}
