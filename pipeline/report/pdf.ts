/**
 * Prints report.html to PDF with the system Chromium through puppeteer-core. The page is
 * loaded from memory with every network request refused, so the PDF shows exactly what
 * the offline HTML shows. The browser is driven over a pipe rather than a socket: when the process
 * that started it dies, even killed outright, the pipe closes and the browser (with its renderers)
 * exits too. Its profile is a folder of this run's own, removed when the browser is closed, or by
 * the next run should this one be killed (leftovers.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, type Page } from "puppeteer-core";
import { forgetLeftover, forgetProcess, ownPrefix, TEMP_PREFIXES, trackLeftover, trackProcess } from "../leftovers.ts";
import { findBrowser, INSTALL_BROWSER_HINT } from "./find-browser.js";
import { problem } from "../messages.ts";
import { fail, ok, type Result } from "../problem.ts";

/**
 * Flags for a headless run as root on a closed network (no sandbox, no background traffic). One
 * process (--single-process --no-zygote): it prints one self-contained page with every request
 * refused, and starting and printing so took 1.6 s rather than 2.1 s (scratch measurement, medians of
 * five, on the demo report).
 */
export const CHROMIUM_ARGS = [
  "--single-process",
  "--no-zygote",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--font-render-hinting=none",
];

export interface PdfOutput {
  bytes: Uint8Array;
  /** URLs the page tried to load (and was refused): should always be empty. */
  blockedRequests: string[];
}

/** One Chromium that prints many pages, each in its own tab, so a batch starts the browser once. */
export interface Printer {
  print(html: string): Promise<PdfOutput>;
  close(): Promise<void>;
  /** Whether the browser is still running (the app starts a new one when it has died). */
  alive(): boolean;
  /** The browser's process id (for tests of a browser that dies). */
  pid(): number | null;
}

/**
 * Start the browser; pages may be printed concurrently. Close it when done.
 * @param reuseTabs keep each tab, once printed, for the next print rather than closing it: a browser
 *   kept between runs (the app's) then prints without opening a tab, which took about 0.35 s a print
 */
export async function openPrinter(
  browserPath: string | null = findBrowser(),
  options: { reuseTabs?: boolean } = {},
): Promise<Result<Printer>> {
  if (!browserPath) return fail(problem("W_NO_BROWSER", { hint: INSTALL_BROWSER_HINT, file: "no PDF" }));
  const profile = mkdtempSync(join(tmpdir(), ownPrefix(TEMP_PREFIXES.browser)));
  trackLeftover(profile);
  const removeProfile = () => {
    rmSync(profile, { recursive: true, force: true });
    forgetLeftover(profile);
  };
  let browser: Awaited<ReturnType<typeof launch>>;
  try {
    // The CLI's own signal handlers end a run (leftovers.ts); the driver's would keep it alive.
    browser = await launch({
      executablePath: browserPath,
      headless: true,
      args: CHROMIUM_ARGS,
      pipe: true,
      userDataDir: profile,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (e) {
    removeProfile();
    throw e;
  }
  const pid = browser.process()?.pid ?? null;
  if (pid !== null) trackProcess(pid);
  const readyPage = async (page: Page | null): Promise<ReadyPage> => {
    const tab = page ?? (await browser.newPage());
    const blockedRequests: string[] = [];
    await tab.setRequestInterception(true);
    tab.on("request", (req) => {
      if (req.url().startsWith("data:") || req.url() === "about:blank") return void req.continue();
      blockedRequests.push(req.url());
      void req.abort();
    });
    return { page: tab, blockedRequests };
  };
  // A tab made ready while the run is still busy elsewhere (the data phases, on a small study, leave
  // the browser's core idle): opening it and turning on request interception took about 0.35 s on
  // the demo, which the first print would otherwise wait for. Later prints open tabs of their own.
  let spare: Promise<ReadyPage> | null = browser.pages().then((open) => readyPage(open[0] ?? null));
  spare.catch(() => {}); // a spare that failed is replaced by a new tab when printing
  /** Tabs printed with and kept for the next print (reuseTabs). */
  const idle: ReadyPage[] = [];
  return ok({
    async print(html: string): Promise<PdfOutput> {
      const taken = spare;
      spare = null;
      const ready = idle.pop() ?? (await taken?.catch(() => null)) ?? (await readyPage(null));
      const { page, blockedRequests } = ready;
      blockedRequests.length = 0;
      let kept = false;
      try {
        await page.setContent(html, { waitUntil: "load" });
        const bytes = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
        const refused = [...blockedRequests];
        if (options.reuseTabs) {
          idle.push(ready);
          kept = true;
        }
        return { bytes, blockedRequests: refused };
      } finally {
        if (!kept) await page.close().catch(() => {});
      }
    },
    async close() {
      await browser.close().catch(() => {}); // a browser that died is already closed
      if (pid !== null) forgetProcess(pid);
      removeProfile();
    },
    alive: () => browser.connected,
    pid: () => pid,
  });
}

/** A browser tab that refuses every request but the page's own data: URLs, and the URLs it refused. */
interface ReadyPage {
  page: Page;
  blockedRequests: string[];
}

/** Print one page to PDF with its own browser. */
export async function printPdf(html: string, browserPath: string | null = findBrowser()): Promise<Result<PdfOutput>> {
  const printer = await openPrinter(browserPath);
  if (!printer.ok) return fail(problem("W_NO_BROWSER", { hint: INSTALL_BROWSER_HINT, file: "the PDF" }));
  try {
    return ok(await printer.value.print(html));
  } finally {
    await printer.value.close();
  }
}
