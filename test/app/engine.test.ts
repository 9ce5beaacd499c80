/**
 * The app's warm engine: one Chromium kept between runs and started again when it has died, and
 * runs that publish whole or not at all, so a run that fails leaves every earlier run's outputs as
 * they were.
 */
import { readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../pipeline/app/server.ts";
import { call, DEMO_FILES, testApp, uploadFiles, waitForRun } from "../helpers/app-harness.ts";

let app: RunningApp;

beforeAll(async () => {
  app = await testApp({ pdf: true });
}, 30_000);

afterAll(async () => {
  await app?.close();
});

async function demoStudy(): Promise<string> {
  const made = await uploadFiles(
    app,
    DEMO_FILES.map((path) => ({ path })),
  );
  await call(app, "PUT", `/api/studies/${made.body.id}/reading`, {});
  return made.body.id;
}

const run = async (id: string) =>
  waitForRun(app, id, (await call(app, "POST", `/api/studies/${id}/runs`, {})).body.run);

describe("the app's engine", () => {
  it("keeps one browser between runs, and starts a new one when it has died", async () => {
    const id = await demoStudy();
    expect((await run(id)).files).toContain("report.pdf");
    const first = await app.engine.browserPid();
    expect((await run(id)).files).toContain("report.pdf");
    expect(await app.engine.browserPid()).toBe(first);
    process.kill(first!, "SIGKILL");
    await new Promise((ok) => setTimeout(ok, 300));
    const after = await run(id);
    expect(after.status).toBe("done");
    expect(after.files).toContain("report.pdf");
    expect(await app.engine.browserPid()).not.toBe(first);
  }, 90_000);

  it("leaves an earlier run's outputs whole when a later run fails", async () => {
    const id = await demoStudy();
    const good = await run(id);
    const report = await call(app, "GET", `/api/studies/${id}/runs/${good.id}/files/report.html`);
    // The sessions file vanishes behind the app's back: the next run fails with a coded problem.
    const sessions = join(app.workspace, "studies", id, "files", "f2.csv");
    renameSync(sessions, `${sessions}.away`);
    const bad = await run(id);
    renameSync(`${sessions}.away`, sessions);
    expect(bad.status).toBe("failed");
    expect(bad.problems[0].code).toBe("E_FILE_UNREADABLE");
    expect((await call(app, "GET", `/api/studies/${id}/runs/${bad.id}/files/report.html`)).status).toBe(404);
    const again = await call(app, "GET", `/api/studies/${id}/runs/${good.id}/files/report.html`);
    expect(again.body).toBe(report.body);
    expect(readFileSync(join(app.workspace, "studies", id, "runs", good.id, "report.html"), "utf8")).toBe(report.body);
  }, 90_000);
});
