/**
 * The app as a clinic evaluator uses it: the real server, the real page and the system Chromium,
 * driven by the keyboard alone, with axe-core checking every step for serious or critical
 * accessibility violations. Screenshots of each step go to $APP_SCREENSHOTS when it is set.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "puppeteer-core";
import type { RunningApp } from "../../pipeline/app/server.ts";
import {
  chooseByKeyboard,
  DEMO_FILES,
  europeanDemo,
  openBrowser,
  pressOn,
  seriousViolations,
  tabTo,
  testApp,
} from "../helpers/app-harness.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const shots = process.env.APP_SCREENSHOTS;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await testApp({ pdf: true });
  browser = await openBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Checks the step with axe-core, and keeps a screenshot of it when asked. */
async function lookAt(page: Page, name: string, violations: Record<string, unknown>) {
  const found = await seriousViolations(page);
  if (found.length) violations[name] = found;
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  }
}

/** Opens the printed address (token in the URL) and adds files through the file chooser, by the keyboard. */
async function openAndAdd(files: string[]): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(app.url);
  await page.waitForSelector("#file-input");
  await page.bringToFront();
  await tabTo(page, "#file-input");
  // Space on the focused input opens the system's file chooser; a first press can come before the
  // page has taken the focus, so a press that opens nothing is repeated.
  for (let attempt = 1; ; attempt++) {
    try {
      const [chooser] = await Promise.all([page.waitForFileChooser({ timeout: 5_000 }), page.keyboard.press("Space")]);
      await chooser.accept(files);
      return page;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

const badCells = (page: Page) => page.$$eval(".tabulator-cell.bad", (cells) => cells.map((c) => c.textContent));

describe("alliance app in the browser", () => {
  it("takes the demo from files to a report and its PDF, by the keyboard alone, with no serious accessibility violation", async () => {
    const violations: Record<string, unknown> = {};
    const page = await openAndAdd(DEMO_FILES);
    await lookAt(page, "1-add-files", violations);
    await pressOn(page, "#upload");
    await page.waitForSelector("#confirm-reading");
    await page.waitForFunction(() => document.querySelectorAll(".tabulator-row").length >= 10);
    expect(await page.$eval("#decimal-mark", (e) => (e as HTMLSelectElement).value)).toBe(".");
    expect(await badCells(page)).toEqual([]);
    await lookAt(page, "2-reading", violations);

    await pressOn(page, "#confirm-reading");
    await page.waitForSelector("#save-mapping");
    expect(await page.$eval("#map-sessions-alliance", (e) => (e as HTMLSelectElement).value)).toBe("SRS_Total");
    await page.waitForSelector("#reason-0");
    await lookAt(page, "3-map", violations);

    await pressOn(page, "#save-mapping");
    await page.waitForFunction(
      () => /0 error\(s\)/.test(document.querySelector("#validate-summary")?.textContent ?? ""),
      { timeout: 60_000 },
    );
    await lookAt(page, "4-validate", violations);

    await pressOn(page, "#to-run");
    await pressOn(page, "#run");
    await page.waitForSelector("#download-pdf", { timeout: 120_000 });
    const frame = await (await page.$("#report-frame"))!.contentFrame();
    await frame!.waitForSelector("h1");
    expect(await frame!.$eval("h1", (h) => h.textContent)).toMatch(/Alliance and outcome study/);
    await lookAt(page, "5-run", violations);

    // The PDF download, as the user gets it.
    const downloads = tempDir("app-downloads-");
    const cdp = await page.createCDPSession();
    await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads });
    await pressOn(page, "#download-pdf");
    const pdf = join(downloads, "report.pdf");
    for (let i = 0; i < 100 && !existsSync(pdf); i++) await new Promise((ok) => setTimeout(ok, 100));
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe("%PDF-");

    await pressOn(page, "#to-save");
    await page.waitForSelector("#save-yaml");
    await lookAt(page, "7-save", violations);
    expect(violations).toEqual({});
    await page.close();
  }, 240_000);

  it("reads a European export right once confirmed, highlights a letter in a score at its row and column, and drops an identifier column with one click", async () => {
    const violations: Record<string, unknown> = {};
    const eu = europeanDemo(tempDir("app-eu-"));
    const page = await openAndAdd([eu.episodes, eu.sessions]);
    await pressOn(page, "#upload");
    await page.waitForSelector("#confirm-reading");
    // Proposed from the files: semicolons, decimal commas, day-first dates.
    expect(await page.$eval("#decimal-mark", (e) => (e as HTMLSelectElement).value)).toBe(",");
    expect(await page.$eval("#date-format", (e) => (e as HTMLSelectElement).value)).toBe("day_first");
    expect(await page.$eval("#delimiter-f2", (e) => (e as HTMLSelectElement).value)).toBe(";");
    await page.waitForFunction(() => document.querySelectorAll(".tabulator-row").length >= 10);
    // The letter in row 4's score shows as a red cell; nothing else does.
    await page.waitForFunction(() => document.querySelectorAll(".tabulator-cell.bad").length === 1);
    expect(await badCells(page)).toEqual(["3O,5"]);
    // A wrong choice shows at once: dates read month first turn the days above 12 red.
    await chooseByKeyboard(page, "#date-format", "us");
    await page.waitForFunction(() => document.querySelectorAll(".tabulator-cell.bad").length > 5);
    await lookAt(page, "eu-2-wrong-reading", violations);
    await chooseByKeyboard(page, "#date-format", "day_first");
    await page.waitForFunction(() => document.querySelectorAll(".tabulator-cell.bad").length === 1);

    await pressOn(page, "#confirm-reading");
    // Day-first dates leave the cutoff to the user: the date picker, by the keyboard.
    await page.waitForSelector("#cutoff-date");
    expect(await page.$eval("#cutoff-date", (e) => (e as HTMLInputElement).value)).toBe("");
    await tabTo(page, "#cutoff-date");
    await page.keyboard.type("12312025");
    expect(await page.$eval("#cutoff-date", (e) => (e as HTMLInputElement).value)).toBe("2025-12-31");
    await lookAt(page, "eu-3-map", violations);
    await pressOn(page, "#save-mapping");
    // The identifier column stops everything until it is dropped: one click.
    await page.waitForSelector('button[data-drop="Email"]', { timeout: 60_000 });
    await lookAt(page, "eu-4-identifier", violations);
    await pressOn(page, 'button[data-drop="Email"]');
    await page.waitForFunction(
      () =>
        !document.querySelector('button[data-drop="Email"]') &&
        /error/.test(document.querySelector("#validate-summary")?.textContent ?? ""),
      { timeout: 60_000 },
    );
    // The letter in the score is the remaining error, shown at its row and column.
    await page.waitForSelector(".finding-detail .tabulator-cell.bad", { timeout: 30_000 });
    expect(await page.$eval("#finding-where", (e) => e.textContent)).toBe(
      `sessions.csv, row ${eu.badRow}, column ${eu.badColumn}`,
    );
    expect(
      await page.$$eval(".finding-detail .tabulator-cell.bad", (cells) => cells.map((c) => c.textContent)),
    ).toEqual(["3O,5"]);
    const highlightedRow = await page.$eval(
      ".finding-detail .tabulator-cell.bad",
      (c) => c.closest(".tabulator-row")?.querySelector(".tabulator-cell")?.textContent,
    );
    expect(highlightedRow).toBe(String(eu.badRow));
    expect(await page.$eval("#to-run", (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await lookAt(page, "eu-4-letter-in-score", violations);
    const states = readdirSync(join(app.workspace, "studies")).map((id) =>
      JSON.parse(readFileSync(join(app.workspace, "studies", id, "state.json"), "utf8")),
    );
    const config = states.find((s) => s.values.decimal_mark === ",").config;
    expect(config.privacy.drop_columns).toEqual(["Email"]);
    expect(violations).toEqual({});
    await page.close();
  }, 240_000);
});
