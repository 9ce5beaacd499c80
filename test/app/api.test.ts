/**
 * The app's API as a script drives it (docs/app.md): a study made through the API alone gives the same
 * results.json and tables/ as `alliance run` on the study.yaml it saves; that study.yaml, added with
 * the files, restores every step; runs stream their phases; the OpenAPI document names every route.
 */
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../pipeline/app/server.ts";
import { main } from "../../pipeline/cli.ts";
import { OPENAPI } from "../../pipeline/app/openapi.ts";
import { bearer, call, DEMO_FILES, testApp, uploadFiles, waitForRun } from "../helpers/app-harness.ts";
import { tempDir } from "../helpers/temp-dir.ts";

let app: RunningApp;
const quiet = { out: () => {}, err: () => {} };

beforeAll(async () => {
  process.env.SOURCE_DATE_EPOCH = "1767225600";
  app = await testApp();
}, 30_000);

afterAll(async () => {
  delete process.env.SOURCE_DATE_EPOCH;
  await app?.close();
});

/** results.json without what depends on where the files lie: their names and the config's hash. */
function withoutPaths(text: string) {
  const r = JSON.parse(text);
  r.provenance.inputs = r.provenance.inputs.map((i: { file: string }) => ({ ...i, file: "(path)" }));
  r.provenance.config = "(path)";
  return r;
}

async function demoStudy(): Promise<string> {
  const made = await uploadFiles(
    app,
    DEMO_FILES.map((path) => ({ path })),
  );
  expect(made.status).toBe(201);
  const reading = await call(app, "PUT", `/api/studies/${made.body.id}/reading`, {});
  expect(reading.status).toBe(200);
  return made.body.id;
}

describe("the app's API", () => {
  it("answers an upload with 201, each file's format, rows, columns and proposed reading", async () => {
    const made = await uploadFiles(
      app,
      DEMO_FILES.map((path) => ({ path })),
    );
    expect(made.status).toBe(201);
    expect(
      made.body.files.map((f: { name: string; format: string; rows: number; reading: object }) => [
        f.name,
        f.format,
        f.rows,
        f.reading,
      ]),
    ).toEqual([
      ["episodes.csv", "csv", 600, { format: "csv", delimiter: ",", encoding: "utf-8" }],
      ["sessions.csv", "csv", 4408, { format: "csv", delimiter: ",", encoding: "utf-8" }],
    ]);
    expect(made.body.files[1].columns).toContain("SRS_Total");
  });

  it("proposes the config only once the reading is confirmed, and refuses a config that does not pass with 422 and its codes", async () => {
    const made = await uploadFiles(
      app,
      DEMO_FILES.map((path) => ({ path })),
    );
    expect((await call(app, "GET", `/api/studies/${made.body.id}/config`)).status).toBe(409);
    const id = await demoStudy();
    const got = await call(app, "GET", `/api/studies/${id}/config`);
    expect(got.body.valid).toBe(true);
    expect(got.body.config.columns.sessions.alliance).toBe("SRS_Total");
    const broken = { ...got.body.config, tiers: { ...got.body.config.tiers, cut_points: [36, 30] } };
    const put = await call(app, "PUT", `/api/studies/${id}/config`, broken);
    expect(put.status).toBe(422);
    expect(put.body.problems[0].code).toMatch(/^E_CONFIG/);
    const outside = await call(app, "PUT", `/api/studies/${id}/config`, {
      ...got.body.config,
      files: { episodes: "/etc/passwd", sessions: "files/f2.csv" },
    });
    expect(outside.status).toBe(422);
    expect(outside.body.problems[0].where.key).toBe("files.episodes");
  });

  it("validates with every finding's code, file, row, column, message and fix", async () => {
    const id = await demoStudy();
    const v = await call(app, "POST", `/api/studies/${id}/validate`);
    expect(v.status).toBe(200);
    expect(v.body.errors).toBe(0);
    const f = v.body.findings.find((x: { code: string }) => x.code === "W_SESSION_AFTER_CUTOFF");
    expect(f).toMatchObject({ severity: "warning", file: "sessions.csv", file_id: "f2", column: "SessionDate" });
    expect(f.row).toBeGreaterThan(1);
    expect(f.fix.length).toBeGreaterThan(10);
  });

  it("gives the same results.json and tables/ as `alliance run` on the study.yaml it saves (apart from run_at and paths)", async () => {
    const id = await demoStudy();
    const started = await call(app, "POST", `/api/studies/${id}/runs`, {});
    expect(started.status).toBe(202);
    const run = await waitForRun(app, id, started.body.run);
    expect(run.status).toBe("done");
    expect(run.events.filter((e: { type: string }) => e.type === "end").map((e: { phase: string }) => e.phase)).toEqual(
      ["read", "validate", "derive", "analyze", "render", "check"],
    );

    const dir = tempDir("app-saved-");
    const yaml = await call(app, "GET", `/api/studies/${id}/study.yaml`);
    expect(yaml.status).toBe(200);
    writeFileSync(join(dir, "study.yaml"), yaml.body);
    for (const f of DEMO_FILES) copyFileSync(f, join(dir, f.split("/").pop()!));
    expect(
      await main(["run", "--config", join(dir, "study.yaml"), "--out", join(dir, "out"), "--no-pdf", "--quiet"], quiet),
    ).toBe(0);

    const fromApp = (path: string) =>
      call(app, "GET", `/api/studies/${id}/runs/${run.id}/files/${path}`).then((r) =>
        typeof r.body === "string" ? r.body : JSON.stringify(r.body, null, 2) + "\n",
      );
    expect(withoutPaths(await fromApp("results.json"))).toEqual(
      withoutPaths(readFileSync(join(dir, "out", "results.json"), "utf8")),
    );
    const tables = readdirSync(join(dir, "out", "tables")).sort();
    expect(
      run.files
        .filter((f: string) => f.startsWith("tables/"))
        .map((f: string) => f.slice(7))
        .sort(),
    ).toEqual(tables);
    for (const t of tables)
      expect(await fromApp(`tables/${t}`)).toBe(readFileSync(join(dir, "out", "tables", t), "utf8"));
  }, 60_000);

  it("restores every step from a saved study.yaml added with its files", async () => {
    const id = await demoStudy();
    const config = (await call(app, "GET", `/api/studies/${id}/config`)).body.config;
    await call(app, "PUT", `/api/studies/${id}/config`, {
      ...config,
      study: { ...config.study, title: "Restored study" },
      tiers: { ...config.tiers, cut_points: [28, 35] },
    });
    const dir = tempDir("app-restore-");
    writeFileSync(join(dir, "study.yaml"), (await call(app, "GET", `/api/studies/${id}/study.yaml`)).body);
    const again = await uploadFiles(app, [...DEMO_FILES.map((path) => ({ path })), { path: join(dir, "study.yaml") }]);
    expect(again.body.restored).toBe(true);
    const restored = await call(app, "GET", `/api/studies/${again.body.id}/config`);
    expect(restored.body.valid).toBe(true);
    expect(restored.body.config.study.title).toBe("Restored study");
    expect(restored.body.config.tiers.cut_points).toEqual([28, 35]);
    expect(restored.body.config.files.episodes.path).toBe("files/f1.csv");
  });

  it("streams a run's phases as server-sent events ending in done", async () => {
    const id = await demoStudy();
    const { run } = (await call(app, "POST", `/api/studies/${id}/runs`, {})).body;
    const res = await fetch(`http://127.0.0.1:${app.port}/api/studies/${id}/runs/${run}/events`, {
      headers: bearer(app),
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await res.text();
    expect(text).toMatch(/^event: begin\ndata: \{"type":"begin","phase":"read"\}/);
    expect(text.trimEnd().split("\n\n").at(-1)).toMatch(/^event: done\n/);
  }, 60_000);

  it("serves only what a run published, and a quarterly batch through the same runs", async () => {
    const id = await demoStudy();
    const { run } = (
      await call(app, "POST", `/api/studies/${id}/runs`, { kind: "quarterly", period: "latest", by: "site" })
    ).body;
    const done = await waitForRun(app, id, run);
    expect(done.status).toBe("done");
    expect(done.files).toContain("index.html");
    expect(done.files.some((f: string) => /^site-.*\/report\.html$/.test(f))).toBe(true);
    expect((await call(app, "GET", `/api/studies/${id}/runs/${run}/files/index.html`)).status).toBe(200);
    expect((await call(app, "GET", `/api/studies/${id}/runs/${run}/files/..%2F..%2Fstate.json`)).status).toBe(404);
    expect((await call(app, "GET", `/api/studies/${id}/runs/${run}/files/.run.json`)).status).toBe(404);
  }, 60_000);

  it("describes every route it serves in /api/openapi.json", async () => {
    const doc = await call(app, "GET", "/api/openapi.json");
    expect(doc.body.openapi).toBe("3.1.0");
    for (const [path, methods] of Object.entries(OPENAPI.paths)) {
      const url = path.replace(/\{path\}/, "*").replace(/\{(\w+)\}/g, ":$1");
      for (const method of Object.keys(methods))
        expect(app.app.hasRoute({ method: method.toUpperCase() as "GET", url }), `${method} ${path}`).toBe(true);
    }
  });
});
