/**
 * Helpers for the app's tests: a running app on a free loopback port with its own workspace, the
 * demo's files (and copies of them as other clinics export them), and a headless system Chromium
 * driven by puppeteer-core as a user would drive it: by the keyboard, with axe-core checking each step.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { launch, type Browser, type Page } from "puppeteer-core";
import { startApp, type RunningApp } from "../../pipeline/app/server.ts";
import { findBrowser } from "../../pipeline/report/find-browser.js";
import { CHROMIUM_ARGS } from "../../pipeline/report/pdf.ts";
import { tempDir } from "./temp-dir.ts";

export const DEMO_FILES = ["data/demo/episodes.csv", "data/demo/sessions.csv"];

/** Starts the app on a free port with a new workspace. */
export async function testApp(options: { pdf?: boolean; uploadLimitMb?: number } = {}): Promise<RunningApp> {
  return startApp({
    workspace: join(tempDir("app-ws-"), "workspace"),
    port: 0,
    pdf: options.pdf ?? false,
    ...(options.uploadLimitMb ? { uploadLimitMb: options.uploadLimitMb } : {}),
  });
}

/** The headers that authorise a script's request. */
export const bearer = (app: RunningApp) => ({ authorization: `Bearer ${app.token}` });

/** Uploads files through the API as a script would; returns the study's id. */
export async function uploadFiles(
  app: RunningApp,
  paths: { path: string; name?: string }[],
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  for (const p of paths) form.append("files", new Blob([readFileSync(p.path)]), p.name ?? p.path.split("/").pop()!);
  const res = await fetch(`http://127.0.0.1:${app.port}/api/studies`, {
    method: "POST",
    headers: bearer(app),
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

/** A JSON request to the app with the token. */
export async function call(
  app: RunningApp,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${app.port}${path}`, {
    method,
    headers: { ...bearer(app), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: the text itself */
  }
  return { status: res.status, body: parsed };
}

/** Waits for a run to end and returns its record. */
export async function waitForRun(app: RunningApp, study: string, run: string): Promise<any> {
  for (;;) {
    const r = await call(app, "GET", `/api/studies/${study}/runs/${run}`);
    if (r.body.status === "done" || r.body.status === "failed") return r.body;
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/**
 * A copy of the demo as a European clinic exports it: semicolons, decimal commas, day-first dates,
 * an e-mail column (a direct identifier) in the episodes, and a letter typed into one score
 * (sessions.csv row 4 counting the header as row 1, column SRS_Total: "3O,5").
 */
export function europeanDemo(dir: string): { episodes: string; sessions: string; badRow: number; badColumn: string } {
  mkdirSync(dir, { recursive: true });
  const convert = (file: string, extra?: (cells: string[], i: number) => string[]) => {
    const lines = readFileSync(join("data/demo", file), "utf8").trimEnd().split("\n");
    return lines
      .map((line, i) => {
        let cells = line
          .split(",")
          .map((c) =>
            /^\d{4}-\d{2}-\d{2}$/.test(c)
              ? `${c.slice(8, 10)}/${c.slice(5, 7)}/${c.slice(0, 4)}`
              : c.replace(/^(\d+)\.(\d+)$/, "$1,$2"),
          );
        if (extra) cells = extra(cells, i);
        return cells.join(";");
      })
      .join("\r\n");
  };
  const episodes = join(dir, "episodes.csv");
  const sessions = join(dir, "sessions.csv");
  writeFileSync(
    episodes,
    "\uFEFF" + convert("episodes.csv", (cells, i) => [...cells, i === 0 ? "Email" : `client${i}@example.org`]) + "\r\n",
  );
  const header = readFileSync("data/demo/sessions.csv", "utf8").split("\n")[0]!.split(",");
  const total = header.indexOf("SRS_Total");
  writeFileSync(
    sessions,
    convert("sessions.csv", (cells, i) => (i === 3 ? cells.map((c, j) => (j === total ? "3O,5" : c)) : cells)) + "\r\n",
  );
  return { episodes, sessions, badRow: 4, badColumn: "SRS_Total" };
}

/** The system Chromium, headless, for the page (not the PDF printer's single-process flags). */
export async function openBrowser(): Promise<Browser> {
  const executablePath = findBrowser();
  if (!executablePath) throw new Error("no Chromium: npm run setup installs it");
  return launch({
    executablePath,
    headless: true,
    // The printer's flags, but as separate processes: a page with frames, not one printed page.
    args: [...CHROMIUM_ARGS.filter((a) => a !== "--single-process" && a !== "--no-zygote"), "--window-size=1280,900"],
    defaultViewport: { width: 1280, height: 900 },
  });
}

/**
 * Presses Tab until the element matching `selector` has the focus (at most `max` presses): the
 * element is reachable by the keyboard alone. Throws when it is not.
 */
export async function tabTo(page: Page, selector: string, max = 400): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`${selector} cannot be reached with the Tab key`);
}

/** Reaches an element by the keyboard and activates it with Enter. */
export async function pressOn(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(`${selector}:not([disabled])`, { timeout: 60_000 });
  await tabTo(page, selector);
  await page.keyboard.press("Enter");
}

/** Chooses a value of a <select> by the keyboard: focus it, then arrow keys until it holds `value`. */
export async function chooseByKeyboard(page: Page, selector: string, value: string): Promise<void> {
  await tabTo(page, selector);
  for (const key of ["Home", ...Array(12).fill("ArrowDown")] as const) {
    if ((await page.$eval(selector, (el) => (el as HTMLSelectElement).value)) === value) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${selector} never held ${value}`);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v: { id: string; impact: string; nodes: { target: string[] }[] }) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
  return (result as { id: string; impact: string; nodes: string[] }[]).filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
}
