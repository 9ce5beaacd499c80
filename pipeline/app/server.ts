/**
 * The app's server: Fastify on 127.0.0.1 with its multipart, static and cookie plugins, the guards
 * (guards.ts), the API (routes.ts) and the page built from ui/ by Vite (dist/ui). Opening the
 * address it prints, with its token, sets the token's cookie and leads to the page.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import multipart from "@fastify/multipart";
import cookie from "@fastify/cookie";
import staticFiles from "@fastify/static";
import { ROOT } from "../root.ts";
import { installGuards, sameToken, TOKEN_COOKIE } from "./guards.ts";
import { registerRoutes } from "./routes.ts";
import { openWorkspace } from "./workspace.ts";
import { createEngine, type Engine } from "./engine.ts";
import { problem } from "../messages.ts";

/** Where Vite puts the page (npm run setup builds it). */
export const UI_DIR = join(ROOT, "dist", "ui");
/** The port the app tries first; another free one when it is taken and --port was not given. */
export const DEFAULT_APP_PORT = 8765;
/** The default upload limit, per file, in MB. */
export const DEFAULT_UPLOAD_LIMIT_MB = 1024;

export interface AppOptions {
  workspace: string;
  /** null: the default port, or any free one when it is taken. */
  port: number | null;
  uploadLimitMb?: number;
  /** Print PDFs (default true; tests of the API alone may turn it off). */
  pdf?: boolean;
  /** The token; a new random one by default. */
  token?: string;
}

export interface RunningApp {
  app: FastifyInstance;
  engine: Engine;
  url: string;
  port: number;
  token: string;
  workspace: string;
  close(): Promise<void>;
}

/**
 * Starts the app and resolves once it listens.
 * @example const a = await startApp({ workspace: "ws", port: null }); a.url // => "http://127.0.0.1:8765/?token=…"
 */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const ws = openWorkspace(options.workspace);
  // DuckDB's spill files and the browser's profile go to the system's temporary folder: the
  // workspace's own, so that nothing is written outside it.
  process.env.TMPDIR = ws.tmp;
  const token = options.token ?? randomBytes(24).toString("hex");
  const uploadLimitMb = options.uploadLimitMb ?? DEFAULT_UPLOAD_LIMIT_MB;
  const engine = createEngine({ pdf: options.pdf !== false });
  let port = 0;
  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024, return503OnClosing: true });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: uploadLimitMb * 1024 * 1024, files: 5, fields: 10, parts: 20 } });
  installGuards(app, { token, port: () => port });
  registerRoutes(app, ws, engine, { uploadLimitMb });
  if (existsSync(UI_DIR)) await app.register(staticFiles, { root: UI_DIR, prefix: "/", index: false, wildcard: true });
  app.get<{ Querystring: { token?: string } }>("/", async (req, reply) => {
    if (req.query.token !== undefined) {
      if (!sameToken(req.query.token, token)) return reply.code(401).send({ problems: [problem("E_APP_TOKEN", {})] });
      // The token moves into a cookie that no script can read and no other site's page sends.
      reply.setCookie(TOKEN_COOKIE, token, { httpOnly: true, sameSite: "strict", path: "/" });
      return reply.redirect("/");
    }
    if (!existsSync(join(UI_DIR, "index.html")))
      return reply.code(503).type("text/plain").send("The page is not built: run `npm run setup`.");
    return reply.header("cache-control", "no-store").sendFile("index.html");
  });
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _req, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413 || error.code === "FST_REQ_FILE_TOO_LARGE")
      return reply.code(413).send({ problems: [problem("E_APP_UPLOAD_TOO_LARGE", { limitMb: uploadLimitMb })] });
    if (status < 500)
      return reply.code(status).send({ problems: [problem("E_APP_REQUEST", { reason: error.message })] });
    return reply.code(500).send({
      problems: [problem("E_APP_REQUEST", { reason: `the app failed (${error.message}); report this as a bug` })],
    });
  });
  port = await listen(app, options.port);
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  return {
    app,
    engine,
    url,
    port,
    token,
    workspace: ws.root,
    async close() {
      await app.close();
      await engine.close();
    },
  };
}

/** Listens on the loopback interface only: the given port, or the default and else any free one. */
async function listen(app: FastifyInstance, port: number | null): Promise<number> {
  try {
    await app.listen({ host: "127.0.0.1", port: port ?? DEFAULT_APP_PORT });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE" || port !== null) throw e;
    await app.listen({ host: "127.0.0.1", port: 0 });
  }
  const address = app.server.address();
  return typeof address === "object" && address ? address.port : 0;
}
