/**
 * Prints the folder of the generated study of a shape (generating it once; bench/study-cache.ts), on
 * the last line of stdout: `node bin/run-ts.mjs bench/study-dir.ts --episodes 100000 --order shuffled`.
 */
import { parseArgs } from "node:util";
import { SHAPE_OPTIONS, shapeFrom } from "./shape-options.ts";
import { cachedStudy } from "./study-cache.ts";

const { values } = parseArgs({ options: SHAPE_OPTIONS });
console.log(cachedStudy(shapeFrom(values)));
