/**
 * The app's HTTP API (docs/app.md; /api/openapi.json describes it). The page uses it and a script can
 * drive it. Each route does one step of the CLI's flow on a study in the workspace: add files,
 * confirm how they read, map (the config), validate, run, download. Problems come back as
 * `{ problems: [{ code, message, fix, where }] }` with the status the route documents.
 */
import { createWriteStream, existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import type { FastifyInstance, FastifyReply } from "fastify";
import { problem } from "../messages.ts";
import { fail, ok, type Problem, type Result } from "../problem.ts";
import { loadStudyConfig } from "../config/load-config.ts";
import {
  combineValues,
  columnValues,
  detectReading,
  fileRows,
  previewFile,
  type FileReading,
  type ValueReading,
} from "./reading.ts";
import {
  displayName,
  readState,
  storedName,
  writeState,
  type StoredFile,
  type StudyState,
  type Workspace,
} from "./workspace.ts";
import { acceptConfig, applyReading, proposeForApp, restoreConfig, savedYaml } from "./study-config.ts";
import type { Engine, RunRecord, RunRequest } from "./engine.ts";
import { REPORT_CSP } from "./guards.ts";
import { OPENAPI } from "./openapi.ts";

const send = (reply: FastifyReply, status: number, problems: Problem[]) => reply.code(status).send({ problems });
const notFound = (reply: FastifyReply, what: string) => send(reply, 404, [problem("E_APP_NOT_FOUND", { what })]);
const badRequest = (reply: FastifyReply, reason: string, status = 400) =>
  send(reply, status, [problem("E_APP_REQUEST", { reason })]);

const CONTENT_TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  pdf: "application/pdf",
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  svg: "image/svg+xml",
};

/** What the API shows of a stored file. */
const fileView = (f: StoredFile) => ({
  id: f.id,
  name: f.name,
  path: f.stored,
  format: f.reading.format,
  rows: f.rows,
  columns: f.columns,
  bytes: f.bytes,
  reading: f.reading,
});

/** What the API shows of a study's state. */
const studyView = (s: StudyState) => ({
  id: s.id,
  files: s.files.map(fileView),
  values: s.values,
  reading_confirmed: s.readingConfirmed,
  has_config: s.config !== null,
  todos: s.todos,
  flagged: s.flagged,
});

const READING_QUERY = {
  type: "object",
  properties: {
    delimiter: { type: "string", enum: [",", ";", "\t", "|"] },
    encoding: { type: "string", enum: ["utf-8", "latin-1"] },
    decimal_mark: { type: "string", enum: [".", ","] },
    date_format: { type: "string", enum: ["iso", "us", "day_first"] },
  },
} as const;

/** The study.yaml the app wrote (once its config passed), parsed as a run reads it; null before that. */
const savedConfig = (dir: string) =>
  existsSync(join(dir, "study.yaml")) ? loadStudyConfig(join(dir, "study.yaml")) : null;

/** What every route works with: the workspace, the engine, and the study or file a request names. */
interface RouteContext {
  ws: Workspace;
  engine: Engine;
  options: { uploadLimitMb: number };
  /** The study's folder and state, or null with a 404 already sent. */
  studyOf(id: string, reply: FastifyReply): { dir: string; state: StudyState } | null;
  /** The study and one of its files, or null with a 404 already sent. */
  fileOf(id: string, file: string, reply: FastifyReply): { dir: string; state: StudyState; file: StoredFile } | null;
  /** The study and one of its runs, or null with a 404 already sent. */
  runOf(id: string, run: string, reply: FastifyReply): { dir: string; state: StudyState; run: RunRecord } | null;
}

/** Registers every route of the API (docs/app.md), in groups by step. */
export function registerRoutes(
  app: FastifyInstance,
  ws: Workspace,
  engine: Engine,
  options: { uploadLimitMb: number },
): void {
  const ctx: RouteContext = {
    ws,
    engine,
    options,
    studyOf(id, reply) {
      const dir = ws.studyDir(id);
      if (!dir) {
        void notFound(reply, `study ${id}`);
        return null;
      }
      return { dir, state: readState(dir) };
    },
    fileOf(id, fileId, reply) {
      const s = ctx.studyOf(id, reply);
      const file = s?.state.files.find((f) => f.id === fileId);
      if (s && !file) void notFound(reply, `file ${fileId}`);
      return s && file ? { ...s, file } : null;
    },
    runOf(id, runId, reply) {
      const s = ctx.studyOf(id, reply);
      const run = s ? engine.find(s.dir, runId) : null;
      if (s && (!run || run.study !== s.state.id)) void notFound(reply, `run ${runId}`);
      return s && run && run.study === s.state.id ? { ...s, run } : null;
    },
  };
  app.get("/api/openapi.json", async () => OPENAPI);
  registerUpload(app, ctx);
  registerStudy(app, ctx);
  registerFiles(app, ctx);
  registerReading(app, ctx);
  registerConfig(app, ctx);
  registerRuns(app, ctx);
  registerOutputs(app, ctx);
}

/** Each data file's reading as the pipeline would detect it, and the values' marks they suggest together. */
async function readUploads(
  dir: string,
  data: { name: string; stored: string; bytes: number }[],
): Promise<Result<{ files: StoredFile[]; values: ValueReading }>> {
  const files: StoredFile[] = [];
  const found: Partial<ValueReading>[] = [];
  for (const [i, f] of data.entries()) {
    const detected = await detectReading(join(dir, f.stored));
    if (!detected.ok) return fail(...detected.problems.map((p) => ({ ...p, where: { ...p.where, file: f.name } })));
    const { rows, columns, reading } = detected.value;
    files.push({ id: `f${i + 1}`, name: f.name, stored: f.stored, bytes: f.bytes, rows, columns, reading });
    found.push(detected.value.values);
  }
  return ok({ files, values: combineValues(found) });
}

/** POST /api/studies: the files, streamed to the workspace, each with how it reads. */
function registerUpload(app: FastifyInstance, { ws, options }: RouteContext): void {
  app.post("/api/studies", async (req, reply) => {
    if (!req.isMultipart()) return badRequest(reply, "send the files as multipart/form-data, in parts named files");
    const id = ws.newStudy();
    const dir = ws.studyDir(id)!;
    const sent: { name: string; stored: string; bytes: number }[] = [];
    try {
      for await (const part of req.parts()) {
        if (part.type !== "file") continue;
        if (part.fieldname !== "files") {
          part.file.resume();
          continue;
        }
        const stored = storedName(sent.length + 1, part.filename);
        const path = join(dir, stored);
        await pipeline(part.file, createWriteStream(path, { mode: 0o600 }));
        sent.push({ name: displayName(part.filename), stored, bytes: statSync(path).size });
      }
    } catch (e) {
      ws.deleteStudy(id);
      if ((e as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE")
        return send(reply, 413, [problem("E_APP_UPLOAD_TOO_LARGE", { limitMb: options.uploadLimitMb })]);
      throw e;
    }
    const configs = sent.filter((f) => /\.ya?ml$/i.test(f.stored));
    const data = sent.filter((f) => !configs.includes(f));
    if (data.length < 1 || data.length > 2) {
      ws.deleteStudy(id);
      return badRequest(
        reply,
        `add one data file (long or wide layout) or two (episodes and sessions), with a study.yaml if you have one; got ${data.length}`,
      );
    }
    const read = await readUploads(dir, data);
    if (!read.ok) {
      ws.deleteStudy(id);
      return send(reply, 422, read.problems);
    }
    const { files, values } = read.value;
    let state: StudyState = { id, files, values, readingConfirmed: false, config: null, todos: [], flagged: [] };
    // A study.yaml added with its files restores every step.
    const config = configs[0];
    if (config) {
      const restored = restoreConfig(readFileSync(join(dir, config.stored), "utf8"), state);
      if (restored) {
        state = restored;
        acceptConfig(dir, state, state.config); // writes study.yaml when it passes; the map step shows what does not
      }
    }
    writeState(dir, state);
    return reply
      .code(201)
      .send({ id, files: files.map(fileView), values: state.values, restored: state.config !== null });
  });
}

/** A study's state, and its removal. */
function registerStudy(app: FastifyInstance, { ws, engine, studyOf }: RouteContext): void {
  app.get<{ Params: { id: string } }>("/api/studies/:id", async (req, reply) => {
    const s = studyOf(req.params.id, reply);
    return s ? studyView(s.state) : reply;
  });

  app.delete<{ Params: { id: string } }>("/api/studies/:id", async (req, reply) => {
    const s = studyOf(req.params.id, reply);
    if (!s) return reply;
    if (engine.busy(s.state.id))
      return badRequest(reply, "a run of this study is under way; delete it when the run has ended", 409);
    ws.deleteStudy(s.state.id);
    return reply.code(204).send();
  });
}

/** A file's first rows under a reading, rows around a finding, and a column's values. */
function registerFiles(app: FastifyInstance, { fileOf }: RouteContext): void {
  app.get<{
    Params: { id: string; file: string };
    Querystring: Partial<Pick<FileReading, "delimiter" | "encoding"> & ValueReading>;
  }>("/api/studies/:id/files/:file/preview", { schema: { querystring: READING_QUERY } }, async (req, reply) => {
    const s = fileOf(req.params.id, req.params.file, reply);
    if (!s) return reply;
    const f = s.file;
    const q = req.query;
    const reading = {
      format: f.reading.format,
      delimiter: q.delimiter ?? f.reading.delimiter,
      encoding: q.encoding ?? f.reading.encoding,
    };
    const values = {
      decimal_mark: q.decimal_mark ?? s.state.values.decimal_mark,
      date_format: q.date_format ?? s.state.values.date_format,
    };
    const preview = await previewFile(join(s.dir, f.stored), reading, values);
    if (!preview.ok)
      return {
        reading,
        columns: [],
        rows: [],
        problems: preview.problems.map((p) => ({ ...p, where: { ...p.where, file: f.name } })),
      };
    return preview.value;
  });

  app.get<{ Params: { id: string; file: string }; Querystring: { from?: number; to?: number } }>(
    "/api/studies/:id/files/:file/rows",
    {
      schema: {
        querystring: {
          type: "object",
          properties: { from: { type: "integer", minimum: 1 }, to: { type: "integer", minimum: 1 } },
        },
      },
    },
    async (req, reply) => {
      const s = fileOf(req.params.id, req.params.file, reply);
      if (!s) return reply;
      const f = s.file;
      const from = req.query.from ?? 1;
      const to = Math.min(req.query.to ?? from + 20, from + 200);
      const rows = await fileRows(join(s.dir, f.stored), f.reading, from, to);
      return rows.ok ? rows.value : send(reply, 422, rows.problems);
    },
  );

  app.get<{ Params: { id: string; file: string }; Querystring: { column: string } }>(
    "/api/studies/:id/files/:file/values",
    { schema: { querystring: { type: "object", required: ["column"], properties: { column: { type: "string" } } } } },
    async (req, reply) => {
      const s = fileOf(req.params.id, req.params.file, reply);
      if (!s) return reply;
      const f = s.file;
      const values = await columnValues(join(s.dir, f.stored), f.reading, req.query.column);
      return values.ok ? { values: values.value } : send(reply, 422, values.problems);
    },
  );
}

/** PUT …/reading: the reading confirmed, and the config proposed then. */
function registerReading(app: FastifyInstance, { studyOf }: RouteContext): void {
  app.put<{
    Params: { id: string };
    Body: {
      files?: Record<string, { delimiter?: string; encoding?: "utf-8" | "latin-1" }>;
      values?: Partial<ValueReading>;
    };
  }>(
    "/api/studies/:id/reading",
    {
      schema: {
        body: {
          type: "object",
          properties: {
            files: {
              type: "object",
              additionalProperties: {
                type: "object",
                properties: {
                  delimiter: READING_QUERY.properties.delimiter,
                  encoding: READING_QUERY.properties.encoding,
                },
                additionalProperties: false,
              },
            },
            values: {
              type: "object",
              properties: {
                decimal_mark: READING_QUERY.properties.decimal_mark,
                date_format: READING_QUERY.properties.date_format,
              },
              additionalProperties: false,
            },
          },
          additionalProperties: false,
        },
      },
    },
    async (req, reply) => {
      const s = studyOf(req.params.id, reply);
      if (!s) return reply;
      let state: StudyState = { ...s.state, values: { ...s.state.values, ...req.body.values } };
      state.files = state.files.map((f) => {
        const given = req.body.files?.[f.id];
        return given ? { ...f, reading: { ...f.reading, ...given } } : f;
      });
      state.readingConfirmed = true;
      if (state.config === null) {
        const proposal = await proposeForApp(s.dir, state);
        if (!proposal.ok) return send(reply, 422, proposal.problems);
        state = {
          ...state,
          config: proposal.value.config,
          todos: proposal.value.todos,
          flagged: proposal.value.flagged,
        };
      } else state = applyReading(state);
      writeState(s.dir, state);
      const accepted = acceptConfig(s.dir, state, state.config);
      return {
        ...studyView(state),
        config: state.config,
        valid: accepted.ok,
        problems: accepted.ok ? [] : accepted.problems,
      };
    },
  );
}

/** The config (JSON and YAML) and its validation. */
function registerConfig(app: FastifyInstance, { studyOf }: RouteContext): void {
  app.get<{ Params: { id: string } }>("/api/studies/:id/config", async (req, reply) => {
    const s = studyOf(req.params.id, reply);
    if (!s) return reply;
    if (!s.state.config)
      return badRequest(
        reply,
        "confirm how the files read first (PUT /api/studies/{id}/reading): the config is proposed then",
        409,
      );
    const parsed = savedConfig(s.dir);
    return { config: s.state.config, todos: s.state.todos, flagged: s.state.flagged, valid: parsed?.ok === true };
  });

  app.put<{ Params: { id: string }; Body: unknown }>("/api/studies/:id/config", async (req, reply) => {
    const s = studyOf(req.params.id, reply);
    if (!s) return reply;
    const accepted = acceptConfig(s.dir, s.state, req.body);
    if (!accepted.ok) return send(reply, 422, accepted.problems);
    const state: StudyState = { ...s.state, config: accepted.value, todos: [] };
    writeState(s.dir, state);
    return { config: state.config, todos: [], flagged: state.flagged, valid: true };
  });

  app.get<{ Params: { id: string } }>("/api/studies/:id/study.yaml", async (req, reply) => {
    const s = studyOf(req.params.id, reply);
    if (!s) return reply;
    const text = savedYaml(s.state);
    if (text === null) return badRequest(reply, "there is no config yet", 409);
    return reply
      .header("content-type", "application/yaml; charset=utf-8")
      .header("content-disposition", 'attachment; filename="study.yaml"')
      .send(text);
  });

  app.post<{ Params: { id: string } }>("/api/studies/:id/validate", async (req, reply) => {
    const s = studyOf(req.params.id, reply);
    if (!s) return reply;
    const study = savedConfig(s.dir);
    if (!study?.ok)
      return send(reply, 409, [
        problem("E_APP_CONFIG_INCOMPLETE", { todos: s.state.todos }),
        ...(study && !study.ok ? study.problems : []),
      ]);
    const { runValidate } = await import("../drivers/validate.ts");
    const run = await runValidate(study.value, join(s.dir, "validation"));
    if (!run.ok) return send(reply, 422, run.problems);
    const byStored = (file: string | undefined) => s.state.files.find((f) => f.stored.endsWith(`/${file}`));
    const findings = run.value.report.findings.slice(0, 5000).map((f) => {
      const stored = byStored(f.where?.file);
      return {
        code: f.code,
        severity: f.severity,
        file: stored?.name ?? f.where?.file ?? null,
        file_id: stored?.id ?? null,
        row: f.where?.row ?? null,
        column: f.where?.column ?? null,
        key: f.where?.key ?? null,
        message: f.message,
        fix: f.fix ?? "",
      };
    });
    const t = run.value.report.totals;
    return { errors: t.error, warnings: t.warning, notes: t.note, findings };
  });
}

/** Starting a run, and its status. */
function registerRuns(app: FastifyInstance, { engine, studyOf, runOf }: RouteContext): void {
  app.post<{
    Params: { id: string };
    Body: { kind?: "study" | "quarterly"; period?: string; by?: "site" | null } | null;
  }>(
    "/api/studies/:id/runs",
    {
      schema: {
        body: {
          type: ["object", "null"],
          properties: {
            kind: { type: "string", enum: ["study", "quarterly"] },
            period: { type: "string", pattern: "^(latest|\\d{4}Q[1-4]|FY\\d{4}(Q[1-4])?|\\d{4}-\\d{2})$" },
            by: { type: ["string", "null"], enum: ["site", null] },
          },
          additionalProperties: false,
        },
      },
    },
    async (req, reply) => {
      const s = studyOf(req.params.id, reply);
      if (!s) return reply;
      if (!existsSync(join(s.dir, "study.yaml")))
        return send(reply, 409, [problem("E_APP_CONFIG_INCOMPLETE", { todos: s.state.todos })]);
      const body = req.body ?? {};
      const request: RunRequest =
        body.kind === "quarterly"
          ? { kind: "quarterly", period: body.period ?? "latest", by: body.by ?? null }
          : { kind: "study" };
      const run = engine.start(s.state.id, s.dir, request);
      return reply.code(202).send({ run: run.id });
    },
  );

  app.get<{ Params: { id: string; run: string } }>("/api/studies/:id/runs/:run", async (req, reply) => {
    return runOf(req.params.id, req.params.run, reply)?.run ?? reply;
  });
}

/** A run's events as they come, and the files it published. */
function registerOutputs(app: FastifyInstance, { engine, runOf }: RouteContext): void {
  app.get<{ Params: { id: string; run: string } }>("/api/studies/:id/runs/:run/events", async (req, reply) => {
    const found = runOf(req.params.id, req.params.run, reply);
    if (!found) return reply;
    const { run } = found;
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-content-type-options": "nosniff",
    });
    const write = (e: { type: string }) => out.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    const ended = () => run.status === "done" || run.status === "failed";
    // The events so far, then each later one as it comes (replay and subscription happen in one tick).
    for (const e of run.events) write(e);
    if (ended()) return void out.end();
    const stop = engine.listen(run.id, (e) => {
      write(e);
      if (e.type === "done" || e.type === "failed") {
        stop();
        out.end();
      }
    });
    req.raw.on("close", stop);
  });

  app.get<{ Params: { id: string; run: string; "*": string } }>(
    "/api/studies/:id/runs/:run/files/*",
    async (req, reply) => {
      const s = runOf(req.params.id, req.params.run, reply);
      if (!s) return reply;
      const { run } = s;
      if (run.status !== "done") return notFound(reply, `published run ${req.params.run}`);
      const wanted = req.params["*"];
      // Only a file the run published (and the release check passed) is served; the name is looked up, not joined blindly.
      if (!run.files.includes(wanted)) return notFound(reply, `file ${wanted} in run ${run.id}`);
      const root = realpathSync(join(s.dir, "runs", run.id));
      const path = resolve(root, wanted);
      if (!path.startsWith(root + sep) || !existsSync(path) || realpathSync(path) !== path)
        return notFound(reply, `file ${wanted}`);
      const ext = wanted.split(".").pop() ?? "";
      reply.header("content-type", CONTENT_TYPES[ext] ?? "application/octet-stream");
      if (ext === "html") reply.header("content-security-policy", REPORT_CSP);
      if (req.query && (req.query as Record<string, unknown>).download !== undefined)
        reply.header("content-disposition", `attachment; filename="${relative(root, path).replace(/[\\/]/g, "-")}"`);
      return reply.send(readFileSync(path));
    },
  );
}
