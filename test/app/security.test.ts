/**
 * The app's guards for a machine in a clinic (docs/app.md, "Security"), each refused with its status
 * and code: no token or a wrong one (401), a foreign Host or Origin (403), an upload over the limit
 * (413), a file name that climbs out of the workspace (stored under the app's own name). A DELETE
 * leaves no file of the study, the server listens on loopback only and sends no CORS headers.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../pipeline/app/server.ts";
import { APP_CSP } from "../../pipeline/app/guards.ts";
import { call, DEMO_FILES, testApp, uploadFiles, waitForRun } from "../helpers/app-harness.ts";
import { tempDir } from "../helpers/temp-dir.ts";

let app: RunningApp;

beforeAll(async () => {
  app = await testApp({ uploadLimitMb: 1 });
}, 30_000);

afterAll(async () => {
  await app?.close();
});

/** A raw request, with whatever Host and Origin headers a hostile page could send. */
function raw(
  path: string,
  headers: Record<string, string>,
  method = "GET",
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: app.port, path, method, headers }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const host = () => `127.0.0.1:${app.port}`;
const codeOf = (body: string) => JSON.parse(body).problems[0].code;

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => statSync(join(dir, f)).isFile());
}

describe("the app's guards", () => {
  it("refuses an /api request without the token, or with a wrong one (401 E_APP_TOKEN)", async () => {
    const none = await raw("/api/openapi.json", { host: host() });
    expect([none.status, codeOf(none.body)]).toEqual([401, "E_APP_TOKEN"]);
    const wrong = await raw("/api/openapi.json", {
      host: host(),
      authorization: `Bearer ${"0".repeat(app.token.length)}`,
    });
    expect([wrong.status, codeOf(wrong.body)]).toEqual([401, "E_APP_TOKEN"]);
    const right = await raw("/api/openapi.json", { host: host(), authorization: `Bearer ${app.token}` });
    expect(right.status).toBe(200);
  });

  it("moves the token of the printed address into an HttpOnly, SameSite=Strict cookie that then authorises", async () => {
    const opened = await raw(`/?token=${app.token}`, { host: host() });
    expect(opened.status).toBe(302);
    const cookie = String(opened.headers["set-cookie"]);
    expect(cookie).toMatch(/alliance_token=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await raw("/api/openapi.json", { host: host(), cookie: cookie.split(";")[0]! });
    expect(withCookie.status).toBe(200);
    expect((await raw("/?token=wrong", { host: host() })).status).toBe(401);
  });

  it("refuses a foreign Host (DNS rebinding) with 403 E_APP_HOST, even with the token", async () => {
    for (const h of [`evil.example:${app.port}`, `127.0.0.1:${app.port + 1}`, "localhost"]) {
      const r = await raw("/api/openapi.json", { host: h, authorization: `Bearer ${app.token}` });
      expect([h, r.status, codeOf(r.body)]).toEqual([h, 403, "E_APP_HOST"]);
    }
    expect(
      (await raw("/api/openapi.json", { host: `localhost:${app.port}`, authorization: `Bearer ${app.token}` })).status,
    ).toBe(200);
  });

  it("refuses a request from another Origin with 403 E_APP_ORIGIN, and sends no CORS headers", async () => {
    const r = await raw(
      "/api/studies",
      { host: host(), origin: "http://evil.example", authorization: `Bearer ${app.token}` },
      "POST",
    );
    expect([r.status, codeOf(r.body)]).toEqual([403, "E_APP_ORIGIN"]);
    const pre = await raw(
      "/api/studies",
      { host: host(), origin: "http://evil.example", "access-control-request-method": "POST" },
      "OPTIONS",
    );
    expect(Object.keys(pre.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
    const own = await raw("/api/openapi.json", {
      host: host(),
      origin: `http://${host()}`,
      authorization: `Bearer ${app.token}`,
    });
    expect(own.status).toBe(200);
    expect(Object.keys(own.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
  });

  it("sends a Content-Security-Policy that allows no other origin, and a stricter one for reports", async () => {
    const page = await raw("/", { host: host() });
    expect(page.headers["content-security-policy"]).toBe(APP_CSP);
    expect(APP_CSP).not.toMatch(/https?:|\*/);
  });

  it("refuses an upload over the limit with 413 E_APP_UPLOAD_TOO_LARGE and keeps nothing of it", async () => {
    const big = join(tempDir("app-big-"), "big.csv");
    writeFileSync(big, "ClientID,x\n" + "C00001,1\n".repeat(200_000)); // 1.8 MB against a 1 MB limit
    const before = filesUnder(join(app.workspace, "studies")).length;
    const r = await uploadFiles(app, [{ path: big }]);
    expect([r.status, r.body.problems[0].code]).toEqual([413, "E_APP_UPLOAD_TOO_LARGE"]);
    expect(filesUnder(join(app.workspace, "studies")).length).toBe(before);
  });

  it("stores an upload named ../../x.csv under the app's own name, writing nothing outside the workspace", async () => {
    const parent = dirname(app.workspace);
    const outside = () => filesUnder(parent).filter((f) => !f.startsWith("workspace"));
    const before = outside();
    const r = await uploadFiles(app, [
      { path: DEMO_FILES[0]!, name: "../../x.csv" },
      { path: DEMO_FILES[1]!, name: "..\\..\\sessions.csv" },
    ]);
    expect(r.status).toBe(201);
    expect(r.body.files.map((f: { name: string; path: string }) => [f.name, f.path])).toEqual([
      ["x.csv", "files/f1.csv"],
      ["sessions.csv", "files/f2.csv"],
    ]);
    expect(outside()).toEqual(before);
    expect(existsSync(join(parent, "x.csv"))).toBe(false);
  });

  it("makes the workspace readable by the user only (mode 0700)", () => {
    expect(statSync(app.workspace).mode & 0o777).toBe(0o700);
  });

  it("leaves no file of a study after DELETE", async () => {
    const made = await uploadFiles(
      app,
      DEMO_FILES.map((path) => ({ path })),
    );
    const id = made.body.id;
    await call(app, "PUT", `/api/studies/${id}/reading`, {});
    const { run } = (await call(app, "POST", `/api/studies/${id}/runs`, {})).body;
    await waitForRun(app, id, run);
    expect(filesUnder(app.workspace).some((f) => f.includes(id))).toBe(true);
    expect((await call(app, "DELETE", `/api/studies/${id}`)).status).toBe(204);
    expect(filesUnder(app.workspace).filter((f) => f.includes(id))).toEqual([]);
    expect((await call(app, "GET", `/api/studies/${id}`)).status).toBe(404);
  }, 60_000);

  it("listens on the loopback interface only", () => {
    const address = app.app.server.address();
    expect(typeof address === "object" && address?.address).toBe("127.0.0.1");
  });
});
