/**
 * Generates the JSON Schemas of the study config, of results.json and of a quarterly report's
 * results.json from their TypeScript types (pipeline/config/types.ts, pipeline/results.ts,
 * pipeline/quarterly/quarterly-results.ts), so the types stay the single source.
 */
import { createGenerator } from "ts-json-schema-generator";
import { fileURLToPath } from "node:url";
import { defaultPaths } from "../pipeline/config/defaults.ts";

export const CONFIG_SCHEMA_PATH = fileURLToPath(new URL("../schema/study-config.schema.json", import.meta.url));

export const RESULTS_SCHEMA_PATH = fileURLToPath(new URL("../schema/results.schema.json", import.meta.url));

export const QUARTERLY_RESULTS_SCHEMA_PATH = fileURLToPath(
  new URL("../schema/quarterly-results.schema.json", import.meta.url),
);

/** The config schema as JSON text, exactly as it is committed: each default of pipeline/config/defaults.ts as `default`. */
export const generateConfigSchemaText = (): string =>
  schemaText("../pipeline/config/types.ts", "StudyConfigFile", "Alliance pipeline study config", withDefaults);

type Node = { properties?: Record<string, Node>; $ref?: string; default?: unknown; anyOf?: Node[] };

/** Sets `default` on the property of every key path of DEFAULTS (following $refs); throws on a path the types lack. */
function withDefaults(schema: { definitions?: Record<string, Node> }): void {
  const defs = schema.definitions ?? {};
  const deref = (n: Node): Node => (n.$ref ? defs[n.$ref.replace("#/definitions/", "")]! : n);
  for (const [path, value] of defaultPaths()) {
    let node: Node = defs.StudyConfigFile!;
    const keys = path.split(".");
    keys.forEach((key, i) => {
      const next =
        deref(node).properties?.[key] ??
        deref(node)
          .anyOf?.map(deref)
          .find((a) => a.properties?.[key])?.properties?.[key];
      if (!next) throw new Error(`the config's types have no key ${path} (pipeline/config/defaults.ts)`);
      if (i === keys.length - 1) next.default = value;
      node = next;
    });
  }
}

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

function schemaText(source: string, type: string, title: string, amend: (schema: any) => void = () => {}): string {
  const schema = createGenerator({
    path: fileURLToPath(new URL(source, import.meta.url)),
    tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)),
    type,
    additionalProperties: false,
    skipTypeCheck: true,
    jsDoc: "extended",
  }).createSchema(type);
  schema.title = title;
  amend(schema);
  return JSON.stringify(schema, null, 2) + "\n";
}
