// Whether dist/ (the compiled JavaScript that `alliance` runs) is up to date with the TypeScript
// sources, and how to build it. The stamp is the newest modification time among the files the build
// reads; `npm run setup` builds when it differs, and bin/alliance.mjs runs the sources (through tsx)
// rather than a stale build.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const SOURCES = ["pipeline", "analyses", "data/benchmarks", "schema"];
const FILES = ["tsconfig.json", "tsconfig.build.json", "package-lock.json"];
const STAMP = join("dist", ".build-stamp");

/** The newest modification time (ms) of the build's inputs. @param {string} root */
export function sourceStamp(root) {
  let newest = 0;
  /** @param {string} dir */
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const d of SOURCES) if (existsSync(join(root, d))) visit(join(root, d));
  for (const f of FILES) if (existsSync(join(root, f))) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return String(Math.floor(newest));
}

/** Whether dist/ was built from the sources as they are now. @param {string} root */
export function isBuilt(root) {
  const stamp = join(root, STAMP);
  return (
    existsSync(join(root, "dist", "pipeline", "cli.js")) &&
    existsSync(stamp) &&
    readFileSync(stamp, "utf8").trim() === sourceStamp(root)
  );
}

/** Compiles the sources into dist/ (tsc -p tsconfig.build.json); returns whether it succeeded. @param {string} root */
export function build(root) {
  const stamp = sourceStamp(root);
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) return false;
  writeFileSync(join(root, STAMP), stamp + "\n");
  return true;
}

const UI_SOURCES = ["ui"];
const UI_STAMP = join("dist", "ui", ".build-stamp");

/** The newest modification time (ms) of the page's sources (ui/) and the lockfile. @param {string} root */
function uiStamp(root) {
  let newest = existsSync(join(root, "package-lock.json")) ? statSync(join(root, "package-lock.json")).mtimeMs : 0;
  /** @param {string} dir */
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const d of UI_SOURCES) if (existsSync(join(root, d))) visit(join(root, d));
  return String(Math.floor(newest));
}

/** Whether dist/ui (the app's page) was built from ui/ as it is now. @param {string} root */
export function isUiBuilt(root) {
  const stamp = join(root, UI_STAMP);
  return (
    existsSync(join(root, "dist", "ui", "index.html")) &&
    existsSync(stamp) &&
    readFileSync(stamp, "utf8").trim() === uiStamp(root)
  );
}

/** Builds the app's page with Vite (ui/vite.config.ts) into dist/ui; returns whether it succeeded. @param {string} root */
export function buildUi(root) {
  const stamp = uiStamp(root);
  const vite = join(root, "node_modules", "vite", "bin", "vite.js");
  const result = spawnSync(process.execPath, [vite, "build", "--config", join(root, "ui", "vite.config.ts")], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) return false;
  writeFileSync(join(root, UI_STAMP), stamp + "\n");
  return true;
}
