// Finds the system Chromium that prints the PDF. Plain JavaScript so that the set-up
// script can use it before any dependency is installed.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** Environment variables that may name the browser, most specific first. */
export const BROWSER_ENV_VARS = ["ALLIANCE_CHROMIUM", "PUPPETEER_EXECUTABLE_PATH", "CHROME_PATH"];

/** Executable names tried on PATH, in order. */
export const BROWSER_NAMES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];

/**
 * The path of a Chromium-family executable, or null when none is found.
 * An environment variable from BROWSER_ENV_VARS wins over PATH.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string | null}
 * @example findBrowser() // => "/usr/bin/chromium"
 */
export function findBrowser(env = process.env) {
  for (const name of BROWSER_ENV_VARS) {
    const value = env[name];
    if (value && isExecutable(value)) return value;
  }
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    for (const name of BROWSER_NAMES) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

/** One line telling the user how to get a browser for PDF output. */
export const INSTALL_BROWSER_HINT =
  "Install Chromium to get the PDF (Debian: `sudo apt-get install chromium`; Ubuntu: `sudo apt-get install chromium-browser`), " +
  "or name an installed Chrome/Chromium in the ALLIANCE_CHROMIUM environment variable.";

/** @param {string} path */
function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
