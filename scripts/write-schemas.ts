// Writes schema/*.schema.json from the TypeScript types. Run: npm run schema
import { writeFileSync } from "node:fs";
import * as schemas from "./schemas.ts";

const written = [
  [schemas.CONFIG_SCHEMA_PATH, schemas.generateConfigSchemaText()],
  [schemas.RESULTS_SCHEMA_PATH, schemas.generateResultsSchemaText()],
  [schemas.QUARTERLY_RESULTS_SCHEMA_PATH, schemas.generateQuarterlyResultsSchemaText()],
] as const;
for (const [path, text] of written) writeFileSync(path, text);
console.log(`wrote ${written.map(([path]) => path).join(", ")}`);
