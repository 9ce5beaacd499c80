// One formulation of the demo's PDF work, for bench/floor-demo.ts to time from outside:
//   launch  start the system Chromium as the pipeline does (pipeline/report/pdf.ts) and close it;
//   print   the same, printing the demo's report.html (given) to PDF in between;
//   cli     the browser's own printer, without puppeteer: `chromium --headless --print-to-pdf` on the same
//           file with the same flags, waited for.
// Runs the compiled pipeline (dist/), as `alliance` does.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [step, htmlPath] = process.argv.slice(2);
const dist = (/** @type {string} */ path) =>
  import(fileURLToPath(new URL(`../dist/pipeline/report/${path}`, import.meta.url)));
if (step === "cli") {
  const [{ CHROMIUM_ARGS }, { findBrowser }] = await Promise.all([dist("pdf.js"), dist("find-browser.js")]);
  const work = mkdtempSync(join(tmpdir(), "alliance-floor-cli-"));
  const args = [
    "--headless",
    ...CHROMIUM_ARGS,
    `--user-data-dir=${join(work, "profile")}`,
    "--no-pdf-header-footer",
    `--print-to-pdf=${join(work, "report.pdf")}`,
  ];
  execFileSync(findBrowser(), [...args, pathToFileURL(String(htmlPath)).href], { stdio: "ignore" });
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}
const { openPrinter } = await dist("pdf.js");
const printer = await openPrinter();
if (!printer.ok) throw new Error("no browser: see `npm run setup`");
if (step === "print") await printer.value.print(readFileSync(String(htmlPath), "utf8"));
await printer.value.close();
