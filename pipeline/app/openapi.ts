/**
 * The OpenAPI 3.1 document of the app's API, served at /api/openapi.json. docs/app.md explains the
 * flow; a test holds this document to the routes the server registers.
 */
const problems = {
  description: "The coded problems",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Problems" } } },
};
const json = (description: string, schema: object = { type: "object" }) => ({
  description,
  content: { "application/json": { schema } },
});
const id = { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^[a-f0-9]{16}$" } };
const file = { name: "file", in: "path", required: true, schema: { type: "string", pattern: "^f[0-9]+$" } };
const run = { name: "run", in: "path", required: true, schema: { type: "string", pattern: "^[a-f0-9]{12}$" } };
const std = { "401": problems, "403": problems, "404": problems };

export const OPENAPI = {
  openapi: "3.1.0",
  info: {
    title: "alliance app",
    version: "1",
    description:
      "The local API under `alliance app` (docs/app.md). Every request needs the token that the app printed, as `Authorization: Bearer <token>` or the cookie set when its address is opened. The server listens on 127.0.0.1 only, refuses foreign Host and Origin headers, and sends no CORS headers.",
  },
  servers: [{ url: "/" }],
  security: [{ bearer: [] }, { cookie: [] }],
  paths: {
    "/api/studies": {
      post: {
        summary: "Add a study's files (one data file, or episodes and sessions; a study.yaml may come with them)",
        requestBody: {
          required: true,
          content: {
            "multipart/form-data": {
              schema: {
                type: "object",
                properties: { files: { type: "array", items: { type: "string", format: "binary" } } },
              },
            },
          },
        },
        responses: {
          "201": json("The study, with how each file reads", { $ref: "#/components/schemas/NewStudy" }),
          "400": problems,
          "413": problems,
          "422": problems,
          ...std,
        },
      },
    },
    "/api/studies/{id}": {
      get: {
        summary: "The study's files and settled steps",
        parameters: [id],
        responses: { "200": json("The study"), ...std },
      },
      delete: {
        summary: "Remove the study's uploads and outputs from the workspace",
        parameters: [id],
        responses: { "204": { description: "Deleted" }, "409": problems, ...std },
      },
    },
    "/api/studies/{id}/files/{file}/preview": {
      get: {
        summary: "The file's first rows, typed as the pipeline types them under a reading",
        parameters: [
          id,
          file,
          ...["delimiter", "encoding", "decimal_mark", "date_format"].map((name) => ({
            name,
            in: "query",
            schema: { type: "string" },
          })),
        ],
        responses: { "200": json("Columns with their kind, and rows of cells { text, value, ok }"), ...std },
      },
    },
    "/api/studies/{id}/files/{file}/rows": {
      get: {
        summary: "Rows from…to of the file, as text (row numbers as findings give them)",
        parameters: [
          id,
          file,
          { name: "from", in: "query", schema: { type: "integer" } },
          { name: "to", in: "query", schema: { type: "integer" } },
        ],
        responses: { "200": json("columns and rows"), ...std },
      },
    },
    "/api/studies/{id}/files/{file}/values": {
      get: {
        summary: "A column's most frequent values with their counts",
        parameters: [id, file, { name: "column", in: "query", required: true, schema: { type: "string" } }],
        responses: { "200": json("values"), ...std },
      },
    },
    "/api/studies/{id}/reading": {
      put: {
        summary: "Confirm how the files read; the config is proposed then",
        parameters: [id],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  files: {
                    type: "object",
                    additionalProperties: {
                      type: "object",
                      properties: { delimiter: { type: "string" }, encoding: { enum: ["utf-8", "latin-1"] } },
                    },
                  },
                  values: {
                    type: "object",
                    properties: {
                      decimal_mark: { enum: [".", ","] },
                      date_format: { enum: ["iso", "us", "day_first"] },
                    },
                  },
                },
              },
            },
          },
        },
        responses: { "200": json("The study and its config"), "422": problems, ...std },
      },
    },
    "/api/studies/{id}/config": {
      get: {
        summary: "The current config (schema/study-config.schema.json) with its open TODOs",
        parameters: [id],
        responses: { "200": json("{ config, todos, flagged, valid }"), "409": problems, ...std },
      },
      put: {
        summary: "Replace the config; it must pass every check of the CLI",
        parameters: [id],
        requestBody: { required: true, content: { "application/json": { schema: { type: "object" } } } },
        responses: { "200": json("{ config, todos, valid }"), "422": problems, ...std },
      },
    },
    "/api/studies/{id}/study.yaml": {
      get: {
        summary: "The config as YAML, naming the files as they were sent",
        parameters: [id],
        responses: {
          "200": { description: "study.yaml", content: { "application/yaml": {} } },
          "409": problems,
          ...std,
        },
      },
    },
    "/api/studies/{id}/validate": {
      post: {
        summary: "Every rule of docs/validation-rules.md",
        parameters: [id],
        responses: {
          "200": json(
            "{ errors, warnings, notes, findings: [{ code, severity, file, file_id, row, column, message, fix }] }",
          ),
          "409": problems,
          ...std,
        },
      },
    },
    "/api/studies/{id}/runs": {
      post: {
        summary: "Start a run: the research report (default) or a quarterly batch",
        parameters: [id],
        requestBody: {
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  kind: { enum: ["study", "quarterly"] },
                  period: { type: "string" },
                  by: { enum: ["site", null] },
                },
              },
            },
          },
        },
        responses: { "202": json("{ run }"), "409": problems, ...std },
      },
    },
    "/api/studies/{id}/runs/{run}": {
      get: {
        summary: "A run's status, events, files and problems",
        parameters: [id, run],
        responses: { "200": json("The run"), ...std },
      },
    },
    "/api/studies/{id}/runs/{run}/events": {
      get: {
        summary: "Server-sent events of the run's phases, ending with done or failed",
        parameters: [id, run],
        responses: { "200": { description: "text/event-stream", content: { "text/event-stream": {} } }, ...std },
      },
    },
    "/api/studies/{id}/runs/{run}/files/{path}": {
      get: {
        summary: "A published output: report.html, report.pdf, results.json, tables/…",
        parameters: [id, run, { name: "path", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "The file" }, ...std },
      },
    },
    "/api/openapi.json": { get: { summary: "This document", responses: { "200": json("OpenAPI 3.1") } } },
  },
  components: {
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer" },
      cookie: { type: "apiKey", in: "cookie", name: "alliance_token" },
    },
    schemas: {
      Problems: {
        type: "object",
        properties: {
          problems: {
            type: "array",
            items: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string" },
                message: { type: "string" },
                fix: { type: "string" },
                where: { type: "object" },
              },
            },
          },
        },
      },
      NewStudy: {
        type: "object",
        required: ["id", "files"],
        properties: {
          id: { type: "string" },
          files: {
            type: "array",
            items: {
              type: "object",
              properties: {
                id: { type: "string" },
                name: { type: "string" },
                format: { type: "string" },
                rows: { type: "integer" },
                columns: { type: "array", items: { type: "string" } },
                reading: { type: "object" },
              },
            },
          },
          values: { type: "object" },
          restored: { type: "boolean" },
        },
      },
    },
  },
} as const;
