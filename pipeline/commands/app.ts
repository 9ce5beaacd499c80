/**
 * `alliance app`: the local browser app (pipeline/app/, docs/app.md). Prints one address with a token
 * and serves the page and its API on 127.0.0.1 until stopped (Ctrl-C).
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { problem } from "../messages.ts";
import { refused, type Command } from "./command.ts";

export const appCommand: Command = {
  name: "app",
  summary: "the app in your browser: add files, map, validate, run and download, no YAML",
  usage: "alliance app [--port <n>] [--workspace <dir>] [--upload-limit <MB>] [--open] [--no-pdf]",
  help: `  --port <n>            the port on 127.0.0.1 (default 8765, or a free one when it is taken)
  --workspace <dir>     where uploads and outputs are kept (default ./alliance-workspace; made
                        readable by you only; nothing is written outside it)
  --upload-limit <MB>   the largest file the app takes (default 1024)
  --open                open the address in the system's browser
  --no-pdf              write HTML reports only
  -h, --help            this help

Prints the address to open, with its token; the app listens on this machine only and sends
nothing anywhere. Stop it with Ctrl-C. See docs/app.md.
`,
  options: {
    port: { type: "string" },
    workspace: { type: "string" },
    "upload-limit": { type: "string" },
    open: { type: "boolean" },
    "no-pdf": { type: "boolean" },
  },
  check(v) {
    if (v.port !== undefined && !/^\d{1,5}$/.test(String(v.port))) return "--port takes a number";
    if (v["upload-limit"] !== undefined && !/^\d+$/.test(String(v["upload-limit"])))
      return "--upload-limit takes a whole number of MB";
    return null;
  },
  async run(v, _p, ctx) {
    const { startApp } = await import("../app/server.ts");
    const workspace = resolve(typeof v.workspace === "string" ? v.workspace : "alliance-workspace");
    const port = typeof v.port === "string" ? Number(v.port) : null;
    let app;
    try {
      app = await startApp({
        workspace,
        port,
        pdf: !v["no-pdf"],
        ...(typeof v["upload-limit"] === "string" ? { uploadLimitMb: Number(v["upload-limit"]) } : {}),
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE")
        return refused("the app could not start", [problem("E_APP_PORT_IN_USE", { port: port ?? 0 })]);
      if (code === "EACCES" || code === "ENOTDIR" || code === "EROFS" || code === "ENOSPC" || code === "EEXIST")
        return refused("the app could not start", [
          problem("E_APP_WORKSPACE", { reason: `${code}: ${workspace}` }, { file: workspace }),
        ]);
      throw e;
    }
    ctx.io.out(`alliance app: open ${app.url}`);
    ctx.io.err(`alliance app: workspace ${app.workspace}; stop with Ctrl-C`);
    if (v.open)
      spawn(process.platform === "darwin" ? "open" : "xdg-open", [app.url], { stdio: "ignore", detached: true })
        .on("error", () => {})
        .unref();
    void app.engine.warm();
    // Served until stopped: Ctrl-C or SIGTERM ends the process through the CLI's own handler
    // (leftovers.ts), which ends the browser and removes any staging folder of a run under way.
    return new Promise<never>(() => {});
  },
};
