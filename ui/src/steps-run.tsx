/**
 * The last steps: validate (each finding in place, its row in a grid with the cell highlighted), run
 * (live progress, then the report in the page with its downloads), quarterly reports, and save.
 */
import { useEffect, useState } from "preact/hooks";
import { api, problemsOf, type Problem } from "./api.ts";
import { Grid } from "./grid.tsx";
import { Problems } from "./steps-data.tsx";
import type { Config, Finding, Study, Validation } from "./types.ts";

function FindingRows({ study, finding }: { study: Study; finding: Finding }) {
  const [rows, setRows] = useState<{
    columns: { field: string; title: string }[];
    rows: Record<string, unknown>[];
  } | null>(null);
  useEffect(() => {
    setRows(null);
    if (!finding.file_id || !finding.row) return;
    const from = Math.max(2, finding.row - 2);
    api
      .get<{ columns: string[]; rows: { row: number; cells: (string | null)[] }[] }>(
        `/api/studies/${study.id}/files/${finding.file_id}/rows?from=${from}&to=${finding.row + 2}`,
      )
      .then((r) =>
        setRows({
          columns: [{ field: "row", title: "row" }, ...r.columns.map((c, j) => ({ field: `c${j}`, title: c }))],
          rows: r.rows.map((x) => ({
            __id: x.row,
            row: x.row,
            ...Object.fromEntries(x.cells.map((c, j) => [`c${j}`, c])),
            __names: r.columns,
          })),
        }),
      );
  }, [finding]);
  const bad = (row: Record<string, unknown>, field: string) =>
    row.row === finding.row && field !== "row" && (row.__names as string[])[Number(field.slice(1))] === finding.column;
  return (
    <div class="finding-detail" aria-live="polite">
      <dl>
        <dt>Code</dt>
        <dd>
          <code>{finding.code}</code> ({finding.severity})
        </dd>
        <dt>Where</dt>
        <dd id="finding-where">
          {[
            finding.file,
            finding.row ? `row ${finding.row}` : null,
            finding.column ? `column ${finding.column}` : null,
            finding.key ? `key ${finding.key}` : null,
          ]
            .filter(Boolean)
            .join(", ")}
        </dd>
        <dt>What</dt>
        <dd>{finding.message}</dd>
        <dt>Fix</dt>
        <dd>{finding.fix}</dd>
      </dl>
      {rows ? (
        <Grid
          label={`Rows around row ${finding.row} of ${finding.file}`}
          columns={rows.columns}
          rows={rows.rows}
          bad={bad}
        />
      ) : null}
    </div>
  );
}

export function Validate({
  study,
  config,
  onConfig,
  onValid,
}: {
  study: Study;
  config: Config;
  onConfig: (c: Config) => void;
  onValid: () => void;
}) {
  const [result, setResult] = useState<Validation | null>(null);
  const [chosen, setChosen] = useState<Finding | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const check = async () => {
    setBusy(true);
    setProblems([]);
    try {
      const r = await api.post<Validation>(`/api/studies/${study.id}/validate`);
      setResult(r);
      setChosen(r.findings.find((f) => f.severity === "error") ?? null);
    } catch (e) {
      setProblems(problemsOf(e));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => void check(), [config]);
  const dropColumn = async (column: string) => {
    const next = structuredClone(config);
    next.privacy = { ...next.privacy, drop_columns: [...(next.privacy?.drop_columns ?? []), column] };
    try {
      const saved = await api.put<{ config: Config }>(`/api/studies/${study.id}/config`, next);
      onConfig(saved.config);
    } catch (e) {
      setProblems(problemsOf(e));
    }
  };
  // Errors first, every one; of each warning's code the first five, with how many more there are.
  const order = { error: 0, warning: 1, note: 2 } as const;
  const all = [...(result?.findings ?? [])]
    .filter((f) => f.severity !== "note")
    .sort((a, b) => order[a.severity] - order[b.severity]);
  const perCode = new Map<string, number>();
  const shown = all.filter((f) => {
    const n = (perCode.get(f.code) ?? 0) + 1;
    perCode.set(f.code, n);
    return f.severity === "error" ? n <= 200 : n <= 5;
  });
  const more = [...perCode].filter(([, n]) => n > 5).map(([code, n]) => `${n - 5} more ${code}`);
  return (
    <section aria-labelledby="step-validate">
      <h2 id="step-validate">4. Check the data</h2>
      <p id="validate-summary" role="status">
        {busy
          ? "Checking every rule…"
          : result
            ? `${result.errors} error(s), ${result.warnings} warning(s), ${result.notes} note(s). ${result.errors ? "Errors must be fixed before the run." : "No errors: the run can go ahead; records that warnings name are left out and counted."}`
            : ""}
      </p>
      <Problems problems={problems} />
      {chosen ? <FindingRows study={study} finding={chosen} /> : null}
      {shown.length ? (
        <div class="findings-scroll" role="region" aria-label="Findings" tabIndex={0}>
          <table class="findings">
            <caption>Findings (errors first; notes are in the report)</caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Where</th>
                <th scope="col">What</th>
                <th scope="col">Act</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((f, i) => (
                <tr key={i} class={`${f.severity} ${chosen === f ? "chosen" : ""}`}>
                  <td>{f.severity}</td>
                  <td>
                    {[f.file, f.row ? `row ${f.row}` : null, f.column ? `column ${f.column}` : null]
                      .filter(Boolean)
                      .join(", ")}
                  </td>
                  <td>
                    {f.message} <code>{f.code}</code>
                  </td>
                  <td>
                    {f.row ? (
                      <button class="small" onClick={() => setChosen(f)}>
                        Show row
                      </button>
                    ) : null}
                    {f.code === "E_IDENTIFIER_COLUMN" && f.column ? (
                      <button class="small danger" data-drop={f.column} onClick={() => dropColumn(f.column!)}>
                        Drop column {f.column}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {more.length ? <p>Not listed here: {more.join(", ")} (all are in the report's participant flow).</p> : null}
        </div>
      ) : null}
      <div class="actions">
        <button id="revalidate" onClick={check} disabled={busy}>
          Check again
        </button>
        <button id="to-run" class="primary" disabled={!result || result.errors > 0} onClick={onValid}>
          Continue to the run
        </button>
      </div>
    </section>
  );
}

interface RunEvent {
  type: string;
  phase?: string;
  seconds?: number;
  detail?: string;
  files?: string[];
  problems?: Problem[];
}

/** Starts a run and follows its events to the end. */
function useRun(study: Study) {
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [run, setRun] = useState<string | null>(null);
  const [end, setEnd] = useState<RunEvent | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const start = async (body: unknown) => {
    setEvents([]);
    setEnd(null);
    setProblems([]);
    try {
      const { run } = await api.post<{ run: string }>(`/api/studies/${study.id}/runs`, body);
      setRun(run);
      const source = new EventSource(`/api/studies/${study.id}/runs/${run}/events`);
      for (const type of ["begin", "end", "done", "failed"])
        source.addEventListener(type, (m) => {
          const e = JSON.parse((m as MessageEvent).data) as RunEvent;
          setEvents((old) => [...old, e]);
          if (type === "done" || type === "failed") {
            setEnd(e);
            source.close();
          }
        });
    } catch (e) {
      setProblems(problemsOf(e));
    }
  };
  return { events, run, end, problems, start };
}

function Phases({ events }: { events: RunEvent[] }) {
  const ended = events.filter((e) => e.type === "end");
  const current = events.at(-1)?.type === "begin" ? events.at(-1)!.phase : null;
  return (
    <ol class="phases" aria-live="polite">
      {ended.map((e, i) => (
        <li key={i}>
          ✓ {e.phase}{" "}
          <small>
            {e.seconds?.toFixed(2)} s {e.detail ?? ""}
          </small>
        </li>
      ))}
      {current ? <li>… {current}</li> : null}
    </ol>
  );
}

export function Run({ study }: { study: Study }) {
  const { events, run, end, problems, start } = useRun(study);
  const base = `/api/studies/${study.id}/runs/${run}/files`;
  const files = end?.type === "done" ? (end.files ?? []) : [];
  return (
    <section aria-labelledby="step-run">
      <h2 id="step-run">5. Run the report</h2>
      <button id="run" class="primary" onClick={() => start({ kind: "study" })} disabled={!!run && !end}>
        {run ? "Run again" : "Run"}
      </button>
      <Phases events={events} />
      <Problems problems={[...problems, ...(end?.problems ?? [])]} />
      {files.length ? (
        <>
          <p id="run-done" role="status">
            The report is ready. Everything below passed the release check: small counts are withheld and no client can
            be identified.
          </p>
          <ul class="downloads">
            {files.includes("report.pdf") ? (
              <li>
                <a id="download-pdf" href={`${base}/report.pdf?download`} download="report.pdf">
                  Download the PDF
                </a>
              </li>
            ) : null}
            <li>
              <a id="download-results" href={`${base}/results.json?download`} download="results.json">
                results.json
              </a>
            </li>
            {files
              .filter((f) => f.startsWith("tables/"))
              .map((f) => (
                <li key={f}>
                  <a href={`${base}/${f}?download`} download={f.slice(7)}>
                    {f}
                  </a>
                </li>
              ))}
          </ul>
          <iframe id="report-frame" title="The report" src={`${base}/report.html`} sandbox="" />
        </>
      ) : null}
    </section>
  );
}

export function Quarterly({ study }: { study: Study }) {
  const { events, run, end, problems, start } = useRun(study);
  const [period, setPeriod] = useState("latest");
  const [bySite, setBySite] = useState(true);
  const base = `/api/studies/${study.id}/runs/${run}/files`;
  const files = end?.type === "done" ? (end.files ?? []) : [];
  return (
    <section aria-labelledby="step-quarterly">
      <h2 id="step-quarterly">6. Quarterly reports</h2>
      <fieldset class="row">
        <legend>Period and grouping</legend>
        <label>
          Period (latest, 2025Q4, FY2026Q1 or 2025-11){" "}
          <input
            id="period"
            type="text"
            value={period}
            onInput={(e) => setPeriod((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          <input
            id="by-site"
            type="checkbox"
            checked={bySite}
            onChange={(e) => setBySite((e.target as HTMLInputElement).checked)}
          />{" "}
          One report per site too
        </label>
      </fieldset>
      <button
        id="run-quarterly"
        class="primary"
        onClick={() => start({ kind: "quarterly", period, by: bySite ? "site" : null })}
        disabled={!!run && !end}
      >
        Make the quarterly reports
      </button>
      <Phases events={events} />
      <Problems problems={[...problems, ...(end?.problems ?? [])]} />
      {files.length ? (
        <ul class="downloads" id="quarterly-files">
          {files.map((f) => (
            <li key={f}>
              <a
                href={`${base}/${f}${f.endsWith(".html") ? "" : "?download"}`}
                target={f.endsWith(".html") ? "_blank" : undefined}
                rel="noreferrer"
              >
                {f}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export function Save({ study, onDeleted }: { study: Study; onDeleted: () => void }) {
  return (
    <section aria-labelledby="step-save">
      <h2 id="step-save">7. Save</h2>
      <p>
        Save the study's settings as <code>study.yaml</code>. Keep it with your files: adding both to the app restores
        every step, and <code>alliance run --config study.yaml</code> gives the same results.
      </p>
      <a id="save-yaml" class="button primary" href={`/api/studies/${study.id}/study.yaml`} download="study.yaml">
        Download study.yaml
      </a>
      <p>
        <button
          id="delete-study"
          class="danger"
          onClick={async () => {
            await api.del(`/api/studies/${study.id}`);
            onDeleted();
          }}
        >
          Remove this study's files and reports from the app
        </button>
      </p>
    </section>
  );
}
