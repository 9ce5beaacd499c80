// Writes schema/study-config.schema.json from the config types. Run: npm run schema
import { writeFileSync } from "node:fs";
import { CONFIG_SCHEMA_PATH, generateConfigSchemaText } from "./config-schema.ts";

writeFileSync(CONFIG_SCHEMA_PATH, generateConfigSchemaText());
console.log(`wrote ${CONFIG_SCHEMA_PATH}`);
