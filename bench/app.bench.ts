/**
 * Benchmark of a warm app against the CLI, on the same study, in one run of the benchmark:
 *   npm run bench:app -- [--runs 5] [--episodes 100000 --therapists 5000 --sites 50 --order shuffled]
 * The demo is always measured; a generated study of the given shape too when --episodes is given
 * (every shape option: bench/shape-options.ts). The app is started in this process with its own
 * workspace, the study is added through the API (its files and its study.yaml), and one run warms
 * it (modules loaded, Chromium started). Then, in turn, N runs of the app (from POST …/runs to the
 * `done` event, report.html and report.pdf published and checked) and N runs of the CLI as a user
 * runs it (`node bin/alliance.mjs run --config study.yaml`, a fresh process, start-up included).
 * Prints the median, minimum and maximum of each, in seconds.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median } from "simple-statistics";
import { startApp, type RunningApp } from "../pipeline/app/server.ts";
import { SHAPE_OPTIONS, shapeFrom } from "./shape-options.ts";
import { cachedStudy } from "./study-cache.ts";

const { values } = parseArgs({
  options: { ...SHAPE_OPTIONS, runs: { type: "string", default: "5" }, "no-cli": { type: "boolean", default: false } },
});
const BIN = fileURLToPath(new URL("../bin/alliance.mjs", import.meta.url));
const RUNS = Number(values.runs);

async function api(app: RunningApp, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${app.port}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${app.token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Adds the study (its two files and study.yaml) to the app; returns its id. */
async function addStudy(app: RunningApp, dir: string): Promise<string> {
  const form = new FormData();
  for (const name of ["episodes.csv", "sessions.csv", "study.yaml"])
    form.append("files", new Blob([readFileSync(join(dir, name))]), name);
  const res = await fetch(`http://127.0.0.1:${app.port}/api/studies`, {
    method: "POST",
    headers: { authorization: `Bearer ${app.token}` },
    body: form,
  });
  const made = (await res.json()) as { id: string; restored: boolean };
  if (!made.restored) throw new Error("the study's config was not restored");
  await api(app, "PUT", `/api/studies/${made.id}/reading`, {});
  return made.id;
}

/** Each phase's seconds in the app's runs (from their `end` events), for the breakdown. */
const phases = new Map<string, number[]>();

/** One run in the app: from the request to the `done` event, in seconds. */
async function appRun(app: RunningApp, id: string): Promise<number> {
  const started = performance.now();
  const { run } = await api(app, "POST", `/api/studies/${id}/runs`, {});
  const res = await fetch(`http://127.0.0.1:${app.port}/api/studies/${id}/runs/${run}/events`, {
    headers: { authorization: `Bearer ${app.token}` },
  });
  const text = await res.text();
  const seconds = (performance.now() - started) / 1000;
  if (!/event: done\n/.test(text)) throw new Error(`the app's run failed: ${text.slice(-500)}`);
  const record = await api(app, "GET", `/api/studies/${id}/runs/${run}`);
  if (!record.files.includes("report.pdf")) throw new Error("the app's run wrote no PDF");
  for (const e of record.events as { type: string; phase: string; seconds: number }[])
    if (e.type === "end") phases.set(e.phase, [...(phases.get(e.phase) ?? []), e.seconds]);
  return seconds;
}

/** One run of the CLI in a fresh process, in seconds. */
function cliRun(dir: string): number {
  const out = mkdtempSync(join(tmpdir(), "alliance-bench-app-cli-"));
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [BIN, "run", "--config", join(dir, "study.yaml"), "--out", join(out, "report"), "--quiet"],
    { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" },
  );
  const seconds = (performance.now() - started) / 1000;
  rmSync(out, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`the CLI's run failed: ${run.stderr}`);
  return seconds;
}

const fmt = (xs: number[]) =>
  `median ${median(xs).toFixed(2)} s (min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)})`;

const studies: { name: string; dir: string }[] = [
  { name: "demo (600 episodes)", dir: fileURLToPath(new URL("../data/demo", import.meta.url)) },
];
if (values.episodes !== undefined) {
  const shape = shapeFrom(values);
  studies.push({
    name: `${shape.episodes.toLocaleString("en-US")} episodes, ${shape.therapists} therapists, ${shape.sites} sites, ${shape.order}`,
    dir: cachedStudy(shape),
  });
}

const workspace = mkdtempSync(join(tmpdir(), "alliance-bench-app-"));
const app = await startApp({ workspace, port: 0, pdf: true });
try {
  console.log(`app vs CLI, ${RUNS} runs each, alternating; each run writes report.html and report.pdf`);
  for (const s of studies) {
    const id = await addStudy(app, s.dir);
    await appRun(app, id); // the first run warms the app: modules loaded, Chromium started
    phases.clear();
    const warm: number[] = [];
    const cli: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      warm.push(await appRun(app, id));
      if (!values["no-cli"]) cli.push(cliRun(s.dir));
    }
    console.log(`${s.name}`);
    console.log(`  app, warm:  ${fmt(warm)}`);
    if (cli.length) console.log(`  CLI:        ${fmt(cli)}`);
    console.log(`  app's phases, medians: ${[...phases].map(([p, xs]) => `${p} ${median(xs).toFixed(2)}`).join(", ")}`);
  }
} finally {
  await app.close();
  rmSync(workspace, { recursive: true, force: true });
}
