/**
 * The project's folder (package.json, templates/, data/demo/), found from this module's own place, so
 * that the same code finds it run from its TypeScript sources or compiled into dist/.
 * @example join(ROOT, "templates") // => "/…/alliance-pipeline/templates"
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** The project's name and version (package.json), for provenance. */
export const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
};
