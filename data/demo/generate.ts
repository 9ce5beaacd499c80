/**
 * Writes the demo study (data/demo/episodes.csv, sessions.csv) from the seeded model.
 *   npm run generate-demo                 # the embedded demo, 600 episodes
 *   npm run generate-demo -- --truth      # population values of the model (200,000 episodes)
 *   npm run generate-demo -- --episodes 100000 --out /tmp/big --seed 7
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { DEMO_PARAMETERS, EPISODE_COLUMNS, SESSION_COLUMNS, generateDemoStudy, type DemoStudy } from "./model.ts";
import { populationValues } from "./population.ts";

/** CSV text of rows whose values never contain a comma, quote or newline. */
export function plainCsv<T extends object>(rows: T[], columns: readonly (keyof T & string)[]): string {
  const lines = [columns.join(",")];
  for (const row of rows) lines.push(columns.map((c) => (row[c] ?? "") as string | number).join(","));
  return lines.join("\n") + "\n";
}

/** Writes rows as plain CSV in chunks, so a study of millions of rows never becomes one string. */
function writePlainCsv<T extends object>(path: string, rows: T[], columns: readonly (keyof T & string)[]): void {
  const fd = openSync(path, "w");
  try {
    const chunk = 100_000;
    for (let i = 0; i < rows.length || i === 0; i += chunk) {
      const text = plainCsv(rows.slice(i, i + chunk), columns);
      writeSync(fd, i === 0 ? text : text.slice(text.indexOf("\n") + 1));
    }
  } finally {
    closeSync(fd);
  }
}

export function writeDemoStudy(study: DemoStudy, dir: string): void {
  mkdirSync(dir, { recursive: true });
  writePlainCsv(join(dir, "episodes.csv"), study.episodes, EPISODE_COLUMNS);
  writePlainCsv(join(dir, "sessions.csv"), study.sessions, SESSION_COLUMNS);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      truth: { type: "boolean", default: false },
      episodes: { type: "string", default: String(DEMO_PARAMETERS.episodes) },
      seed: { type: "string", default: String(DEMO_PARAMETERS.seed) },
      out: { type: "string", default: fileURLToPath(new URL(".", import.meta.url)) },
    },
  });
  if (values.truth) {
    console.log(JSON.stringify(populationValues(), null, 2));
  } else {
    const study = generateDemoStudy(Number(values.episodes), Number(values.seed));
    writeDemoStudy(study, values.out);
    console.log(`wrote ${study.episodes.length} episodes and ${study.sessions.length} sessions to ${values.out}`);
  }
}
