// Writes schema/*.schema.json from the TypeScript types. Run: npm run schema
import { writeFileSync } from "node:fs";
import { CONFIG_SCHEMA_PATH, generateConfigSchemaText, generateResultsSchemaText, RESULTS_SCHEMA_PATH } from "./schemas.ts";

writeFileSync(CONFIG_SCHEMA_PATH, generateConfigSchemaText());
writeFileSync(RESULTS_SCHEMA_PATH, generateResultsSchemaText());
console.log(`wrote ${CONFIG_SCHEMA_PATH} and ${RESULTS_SCHEMA_PATH}`);
