/**
 * Generates the study config's JSON Schema from the TypeScript types in
 * pipeline/config/types.ts, so the types stay the single source of truth.
 */
import { createGenerator } from "ts-json-schema-generator";
import { fileURLToPath } from "node:url";

export const CONFIG_SCHEMA_PATH = fileURLToPath(new URL("../schema/study-config.schema.json", import.meta.url));

/** The schema as JSON text, exactly as it is committed. */
export function generateConfigSchemaText(): string {
  const schema = createGenerator({
    path: fileURLToPath(new URL("../pipeline/config/types.ts", import.meta.url)),
    tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)),
    type: "StudyConfigFile",
    additionalProperties: false,
    skipTypeCheck: true,
    jsDoc: "extended",
  }).createSchema("StudyConfigFile");
  schema.title = "Alliance pipeline study config";
  return JSON.stringify(schema, null, 2) + "\n";
}
