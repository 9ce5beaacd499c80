#!/usr/bin/env node
// Does whatever set-up `npm run demo` and `npm test` need and is missing:
// the npm dependencies (npm install from package-lock.json, when it changed since the last install;
// not `npm ci`, which in npm 11 rejects the lockfiles npm 11 writes when optional
// platform packages are involved)
// the compiled JavaScript in dist/ that `alliance` runs (when the sources changed since the last build),
// the app's page in dist/ui, built from ui/ by Vite (likewise),
// and the system Chromium for PDF output (apt-get, when absent and we may install it).
// When everything is present it only reads two small files and returns.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findBrowser, INSTALL_BROWSER_HINT } from "../pipeline/report/find-browser.js";
import { build, buildUi, isBuilt, isUiBuilt } from "./compiled.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** @param {string} line */
const say = (line) => console.error(`[setup] ${line}`);

checkNode();
ensureDependencies();
ensureBuild();
ensureUi();
ensureBrowser();

function checkNode() {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    say(`Node ${process.versions.node} is too old: this tool needs Node 20.19 or newer.`);
    process.exit(1);
  }
}

function ensureDependencies() {
  const lock = join(root, "package-lock.json");
  const stamp = join(root, "node_modules", ".alliance-setup-stamp");
  const want = createHash("sha256").update(readFileSync(lock)).digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === want) return;
  say("installing npm dependencies (npm install, from package-lock.json)…");
  const result = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) {
    say("npm install failed; see the messages above.");
    process.exit(result.status ?? 1);
  }
  writeFileSync(stamp, want + "\n");
}

function ensureBuild() {
  if (isBuilt(root)) return;
  say("compiling the TypeScript sources into dist/ (tsc -p tsconfig.build.json)…");
  if (!build(root)) {
    say("the build failed; see the messages above.");
    process.exit(1);
  }
}

function ensureUi() {
  if (isUiBuilt(root)) return;
  say("building the app's page into dist/ui (vite build)…");
  if (!buildUi(root)) {
    say("the page's build failed; see the messages above.");
    process.exit(1);
  }
}

function ensureBrowser() {
  if (findBrowser()) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  const canSudo = !isRoot && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
  if (!hasApt || (!isRoot && !canSudo)) {
    say(`no Chromium found; reports will be written as HTML only. ${INSTALL_BROWSER_HINT}`);
    return;
  }
  const prefix = isRoot ? [] : ["sudo", "-n"];
  /** @param {string[]} args */
  const apt = (...args) =>
    spawnSync(prefix[0] ?? "apt-get", [...prefix.slice(1), ...(prefix.length ? ["apt-get"] : []), ...args], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    }).status === 0;
  say("no Chromium found; installing the system package with apt-get (once)…");
  const installed =
    apt("update", "-qq") &&
    (apt("install", "-y", "-qq", "chromium") || apt("install", "-y", "-qq", "chromium-browser"));
  if (!installed || !findBrowser()) {
    say(`could not install Chromium; reports will be written as HTML only. ${INSTALL_BROWSER_HINT}`);
  }
}
