// One formulation of the demo's PDF work, for bench/floor-demo.ts to time from outside:
//   launch  start the system Chromium as the pipeline does (pipeline/report/pdf.ts) and close it;
//   print   the same, printing the demo's report.html (given) to PDF in between.
// Runs the compiled pipeline (dist/), as `alliance` does.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const [step, htmlPath] = process.argv.slice(2);
const { openPrinter } = await import(fileURLToPath(new URL("../dist/pipeline/report/pdf.js", import.meta.url)));
const printer = await openPrinter();
if (!printer.ok) throw new Error("no browser: see `npm run setup`");
if (step === "print") await printer.value.print(readFileSync(String(htmlPath), "utf8"));
await printer.value.close();
