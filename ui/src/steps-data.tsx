/**
 * The first three steps: add files, confirm how each reads (shown on its first rows as the pipeline
 * types them), and map the columns and settings.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, problemsOf, upload, type Problem } from "./api.ts";
import { Grid } from "./grid.tsx";
import type { Config, Preview, Study, Values } from "./types.ts";

export function Problems({ problems }: { problems: Problem[] }) {
  if (!problems.length) return null;
  return (
    <div class="problems" role="alert">
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            <strong>{p.message}</strong> {p.where?.key ? <span>(key {p.where.key})</span> : null} <code>{p.code}</code>
            {p.fix ? <div class="fix">Fix: {p.fix}</div> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function AddFiles({ onAdded }: { onAdded: (study: Study) => void }) {
  const [files, setFiles] = useState<File[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [over, setOver] = useState(false);
  const send = async () => {
    setProblems([]);
    setProgress(0);
    try {
      const made = await upload<{ id: string }>(files, setProgress);
      onAdded(await api.get<Study>(`/api/studies/${made.id}`));
    } catch (e) {
      setProblems(problemsOf(e));
    } finally {
      setProgress(null);
    }
  };
  return (
    <section aria-labelledby="step-files">
      <h2 id="step-files">1. Add your files</h2>
      <p>
        One export (a row per session, or a row per episode), or two (episodes and sessions): CSV, TSV, Excel, SPSS,
        Parquet or JSON. Add a<code> study.yaml</code> with them to pick up where you left off.
      </p>
      <div
        class={`drop ${over ? "over" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          setFiles([...(e.dataTransfer?.files ?? [])]);
        }}
      >
        <label for="file-input">Drop files here, or choose them:</label>
        <input
          id="file-input"
          type="file"
          multiple
          onChange={(e) => setFiles([...((e.target as HTMLInputElement).files ?? [])])}
        />
      </div>
      {files.length ? (
        <ul class="picked" aria-label="Files chosen">
          {files.map((f) => (
            <li key={f.name}>
              {f.name} ({(f.size / 1024).toFixed(0)} KB)
            </li>
          ))}
        </ul>
      ) : null}
      {progress !== null ? (
        <progress id="upload-progress" value={progress} max={1} aria-label="Upload progress">
          {Math.round(progress * 100)}%
        </progress>
      ) : null}
      <Problems problems={problems} />
      <button id="upload" class="primary" disabled={!files.length || progress !== null} onClick={send}>
        Upload {files.length ? `${files.length} file${files.length > 1 ? "s" : ""}` : ""}
      </button>
    </section>
  );
}

const DELIMITERS: [string, string][] = [
  [",", "comma ,"],
  [";", "semicolon ;"],
  ["\t", "tab"],
  ["|", "bar |"],
];

function previewGrid(p: Preview) {
  const columns = p.columns.map((c, j) => ({ field: `c${j}`, title: `${c.name} (${c.kind})` }));
  const rows = p.rows.map((r) =>
    Object.fromEntries([
      ["__id", r.row],
      ["row", r.row],
      ...r.cells.flatMap((c, j) => [
        [`c${j}`, c.text],
        [`c${j}__ok`, c.ok],
      ]),
    ]),
  );
  return { columns: [{ field: "row", title: "row" }, ...columns], rows };
}

const isBad = (row: Record<string, unknown>, field: string) => row[`${field}__ok`] === false;

export function ConfirmReading({
  study,
  onConfirmed,
}: {
  study: Study;
  onConfirmed: (s: Study & { config: Config }) => void;
}) {
  const [readings, setReadings] = useState(() =>
    Object.fromEntries(
      study.files.map((f) => [f.id, { delimiter: f.reading.delimiter, encoding: f.reading.encoding }]),
    ),
  );
  const [values, setValues] = useState<Values>(study.values);
  const [previews, setPreviews] = useState<Record<string, Preview>>({});
  const [problems, setProblems] = useState<Problem[]>([]);
  useEffect(() => {
    // Choices changed quickly (by the arrow keys, say) send several requests: only the answers to the
    // latest choices are shown, whatever order they come back in.
    let stale = false;
    for (const f of study.files) {
      const r = readings[f.id]!;
      const q = new URLSearchParams({
        decimal_mark: values.decimal_mark,
        date_format: values.date_format,
        ...(r.delimiter ? { delimiter: r.delimiter } : {}),
        ...(r.encoding ? { encoding: r.encoding } : {}),
      });
      api.get<Preview>(`/api/studies/${study.id}/files/${f.id}/preview?${q}`).then(
        (p) => stale || setPreviews((old) => ({ ...old, [f.id]: p })),
        (e) => stale || setProblems(problemsOf(e)),
      );
    }
    return () => {
      stale = true;
    };
  }, [readings, values]);
  const bad = Object.values(previews).reduce(
    (n, p) => n + p.rows.reduce((m, r) => m + r.cells.filter((c) => !c.ok).length, 0),
    0,
  );
  const confirm = async () => {
    try {
      const files = Object.fromEntries(
        Object.entries(readings).map(([id, r]) => [
          id,
          { ...(r.delimiter ? { delimiter: r.delimiter } : {}), ...(r.encoding ? { encoding: r.encoding } : {}) },
        ]),
      );
      onConfirmed(await api.put(`/api/studies/${study.id}/reading`, { files, values }));
    } catch (e) {
      setProblems(problemsOf(e));
    }
  };
  return (
    <section aria-labelledby="step-reading">
      <h2 id="step-reading">2. Confirm how your files read</h2>
      <p>
        Each choice below is proposed from the file. The first rows are shown exactly as the analysis will read them: a
        cell in red does not read with these choices.
      </p>
      <fieldset class="row">
        <legend>For all files</legend>
        <label>
          Decimal mark{" "}
          <select
            id="decimal-mark"
            value={values.decimal_mark}
            onChange={(e) =>
              setValues({ ...values, decimal_mark: (e.target as HTMLSelectElement).value as Values["decimal_mark"] })
            }
          >
            <option value=".">point (34.5)</option>
            <option value=",">comma (34,5)</option>
          </select>
        </label>
        <label>
          Dates{" "}
          <select
            id="date-format"
            value={values.date_format}
            onChange={(e) =>
              setValues({ ...values, date_format: (e.target as HTMLSelectElement).value as Values["date_format"] })
            }
          >
            <option value="iso">year first (2025-03-31)</option>
            <option value="day_first">day first (31/03/2025)</option>
            <option value="us">month first (03/31/2025)</option>
          </select>
        </label>
      </fieldset>
      {study.files.map((f) => {
        const p = previews[f.id];
        const g = p ? previewGrid(p) : null;
        const text = f.format === "csv" || f.format === "tsv";
        return (
          <div class="file" key={f.id}>
            <h3>
              {f.name}{" "}
              <small>
                ({f.format}, {f.rows.toLocaleString("en-US")} rows)
              </small>
            </h3>
            {text ? (
              <fieldset class="row">
                <legend>How {f.name} is written</legend>
                <label>
                  Delimiter{" "}
                  <select
                    id={`delimiter-${f.id}`}
                    value={readings[f.id]!.delimiter ?? ","}
                    onChange={(e) =>
                      setReadings({
                        ...readings,
                        [f.id]: { ...readings[f.id]!, delimiter: (e.target as HTMLSelectElement).value },
                      })
                    }
                  >
                    {DELIMITERS.map(([v, l]) => (
                      <option value={v} key={v}>
                        {l}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Encoding{" "}
                  <select
                    id={`encoding-${f.id}`}
                    value={readings[f.id]!.encoding ?? "utf-8"}
                    onChange={(e) =>
                      setReadings({
                        ...readings,
                        [f.id]: { ...readings[f.id]!, encoding: (e.target as HTMLSelectElement).value as "utf-8" },
                      })
                    }
                  >
                    <option value="utf-8">UTF-8</option>
                    <option value="latin-1">Latin-1 (Windows)</option>
                  </select>
                </label>
              </fieldset>
            ) : null}
            {p?.problems.length ? <Problems problems={p.problems} /> : null}
            {g ? (
              <Grid label={`First rows of ${f.name}`} columns={g.columns} rows={g.rows} bad={isBad} />
            ) : (
              <p>Reading…</p>
            )}
          </div>
        );
      })}
      <p id="reading-status" role="status">
        {bad
          ? `${bad} cell${bad > 1 ? "s" : ""} in the first rows do not read with these choices.`
          : "Every cell shown reads with these choices."}
      </p>
      <Problems problems={problems} />
      <button id="confirm-reading" class="primary" onClick={confirm}>
        These read right: continue
      </button>
    </section>
  );
}

/** The fields of the data contract, by file (docs/data-contract.md). */
const FIELDS: { role: "episodes" | "sessions"; key: string; label: string; optional?: boolean }[] = [
  { role: "episodes", key: "client_id", label: "Client id" },
  { role: "episodes", key: "site", label: "Site" },
  { role: "episodes", key: "therapist_id", label: "Therapist" },
  { role: "episodes", key: "admit_date", label: "Admission date" },
  { role: "episodes", key: "discharge_date", label: "Discharge date" },
  { role: "episodes", key: "discharge_reason", label: "Discharge reason" },
  { role: "sessions", key: "client_id", label: "Client id (sessions)" },
  { role: "sessions", key: "session_date", label: "Session date" },
  { role: "sessions", key: "alliance", label: "Alliance score", optional: true },
  { role: "sessions", key: "outcome", label: "Outcome score" },
];

const pathOf = (f: unknown): string | undefined =>
  typeof f === "string" ? f : (f as { path?: string } | undefined)?.path;
const list = (text: string) =>
  text
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

export function MapColumns({
  study,
  config: initial,
  onSaved,
}: {
  study: Study;
  config: Config;
  onSaved: (c: Config) => void;
}) {
  const [config, setConfig] = useState<Config>(() => structuredClone(initial));
  const [samples, setSamples] = useState<Record<string, Record<string, string[]>>>({});
  const [reasons, setReasons] = useState<string[]>([]);
  const [problems, setProblems] = useState<Problem[]>([]);
  const fileFor = (role: "episodes" | "sessions") => {
    const path = pathOf(config.files[role]) ?? pathOf(config.files.long) ?? pathOf(config.files.wide);
    return study.files.find((f) => f.path === path) ?? study.files[0]!;
  };
  useEffect(() => {
    for (const f of study.files) {
      api.get<Preview>(`/api/studies/${study.id}/files/${f.id}/preview`).then((p) => {
        const byColumn = Object.fromEntries(
          p.columns.map((c, j) => [
            c.name,
            [...new Set(p.rows.map((r) => r.cells[j]?.text).filter((t): t is string => !!t))].slice(0, 3),
          ]),
        );
        setSamples((old) => ({ ...old, [f.id]: byColumn }));
      });
    }
  }, []);
  const reasonColumn = config.columns.episodes.discharge_reason;
  useEffect(() => {
    if (!reasonColumn) return;
    const f = fileFor("episodes");
    api
      .get<{ values: { value: string }[] }>(
        `/api/studies/${study.id}/files/${f.id}/values?column=${encodeURIComponent(reasonColumn)}`,
      )
      .then((r) => setReasons(r.values.map((v) => v.value)));
  }, [reasonColumn]);
  const set = (mutate: (c: Config) => void) => {
    const next = structuredClone(config);
    mutate(next);
    setConfig(next);
  };
  const reasonKind = (r: string) =>
    (config.dropout_reasons ?? []).includes(r)
      ? "dropout"
      : (config.completion_reasons ?? ["completed"]).includes(r)
        ? "completed"
        : (config.other_discharge_reasons ?? []).includes(r)
          ? "transferred"
          : "other";
  const setReason = (r: string, kind: string) =>
    set((c) => {
      const drop = (xs: string[] | undefined) => (xs ?? []).filter((x) => x !== r);
      c.dropout_reasons = drop(c.dropout_reasons);
      c.completion_reasons = drop(c.completion_reasons ?? ["completed"]);
      c.other_discharge_reasons = drop(c.other_discharge_reasons);
      if (kind === "dropout") c.dropout_reasons.push(r);
      if (kind === "completed") c.completion_reasons.push(r);
      if (kind === "transferred") c.other_discharge_reasons.push(r);
      if (!c.other_discharge_reasons.length) delete c.other_discharge_reasons;
    });
  const save = async () => {
    setProblems([]);
    try {
      const saved = await api.put<{ config: Config }>(`/api/studies/${study.id}/config`, config);
      onSaved(saved.config);
    } catch (e) {
      setProblems(problemsOf(e));
    }
  };
  const tiers = config.tiers ?? {};
  const usesItems = config.alliance?.items !== undefined;
  const fields = useMemo(() => FIELDS.filter((f) => !(usesItems && f.key === "alliance")), [usesItems]);
  return (
    <section aria-labelledby="step-map">
      <h2 id="step-map">3. Map your columns and settings</h2>
      {study.todos.length ? (
        <p class="todo">Proposed from your files; please check in particular: {study.todos.join(", ")}.</p>
      ) : (
        <p>Proposed from your files; check each choice.</p>
      )}
      <fieldset>
        <legend>Study</legend>
        <label>
          Title on the report{" "}
          <input
            id="study-title"
            type="text"
            value={config.study.title ?? ""}
            onInput={(e) => set((c) => (c.study.title = (e.target as HTMLInputElement).value))}
          />
        </label>
      </fieldset>
      <fieldset class="fields">
        <legend>Which column holds each field</legend>
        {fields.map((field) => {
          const file = fileFor(field.role);
          const id = `map-${field.role}-${field.key}`;
          return (
            <label for={id} key={id}>
              <span>{field.label}</span>
              <select
                id={id}
                value={config.columns[field.role][field.key] ?? ""}
                onChange={(e) =>
                  set((c) => (c.columns[field.role][field.key] = (e.target as HTMLSelectElement).value || undefined))
                }
              >
                <option value="">{field.optional ? "(none)" : "— choose a column —"}</option>
                {file.columns.map((col) => (
                  <option value={col} key={col}>
                    {col}
                    {samples[file.id]?.[col]?.length ? ` — e.g. ${samples[file.id]![col]!.join(", ")}` : ""}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      </fieldset>
      <fieldset class="row">
        <legend>Alliance instrument</legend>
        {usesItems ? (
          <p>
            Scored from its items: {config.alliance.items.instrument} ({config.alliance.items.columns})
          </p>
        ) : (
          <>
            <label>
              Name{" "}
              <input
                id="alliance-instrument"
                type="text"
                value={config.alliance.instrument ?? ""}
                onInput={(e) => set((c) => (c.alliance.instrument = (e.target as HTMLInputElement).value))}
              />
            </label>
            <label>
              Lowest score{" "}
              <input
                id="alliance-min"
                type="number"
                value={config.alliance.min ?? ""}
                onInput={(e) => set((c) => (c.alliance.min = Number((e.target as HTMLInputElement).value)))}
              />
            </label>
            <label>
              Highest score{" "}
              <input
                id="alliance-max"
                type="number"
                value={config.alliance.max ?? ""}
                onInput={(e) => set((c) => (c.alliance.max = Number((e.target as HTMLInputElement).value)))}
              />
            </label>
          </>
        )}
      </fieldset>
      <fieldset class="row">
        <legend>Outcome measure</legend>
        <label>
          Name{" "}
          <input
            id="outcome-measure"
            type="text"
            value={config.outcome.measure ?? ""}
            onInput={(e) => set((c) => (c.outcome.measure = (e.target as HTMLInputElement).value))}
          />
        </label>
        <label>
          Lowest score{" "}
          <input
            id="outcome-min"
            type="number"
            value={config.outcome.min ?? ""}
            onInput={(e) => set((c) => (c.outcome.min = Number((e.target as HTMLInputElement).value)))}
          />
        </label>
        <label>
          Highest score{" "}
          <input
            id="outcome-max"
            type="number"
            value={config.outcome.max ?? ""}
            onInput={(e) => set((c) => (c.outcome.max = Number((e.target as HTMLInputElement).value)))}
          />
        </label>
        <label>
          <input
            id="outcome-higher"
            type="checkbox"
            checked={config.outcome.higher_is_better !== false}
            onChange={(e) => set((c) => (c.outcome.higher_is_better = (e.target as HTMLInputElement).checked))}
          />{" "}
          Higher scores mean the client is doing better
        </label>
      </fieldset>
      <fieldset>
        <legend>Discharge reasons</legend>
        {reasons.length ? null : <p>Choose the discharge reason column above to sort its reasons.</p>}
        {reasons.map((r, i) => (
          <label key={r} for={`reason-${i}`} class="reason">
            <span>“{r}”</span>
            <select
              id={`reason-${i}`}
              value={reasonKind(r)}
              onChange={(e) => setReason(r, (e.target as HTMLSelectElement).value)}
            >
              <option value="dropout">dropout</option>
              <option value="completed">completed</option>
              <option value="transferred">transferred or other (listed)</option>
              <option value="other">other (not listed)</option>
            </select>
          </label>
        ))}
      </fieldset>
      <fieldset class="row">
        <legend>Alliance tiers</legend>
        <label>
          Cut points (blank: thirds of the data){" "}
          <input
            id="tier-cuts"
            type="text"
            value={(tiers.cut_points ?? []).join(", ")}
            onChange={(e) =>
              set((c) => {
                const cuts = list((e.target as HTMLInputElement).value).map(Number);
                if (cuts.length) c.tiers = { ...c.tiers, method: undefined, quantiles: undefined, cut_points: cuts };
                else
                  c.tiers = {
                    ...c.tiers,
                    cut_points: undefined,
                    method: "quantiles",
                    quantiles: c.tiers.labels?.length ?? 3,
                  };
              })
            }
          />
        </label>
        <label>
          Labels{" "}
          <input
            id="tier-labels"
            type="text"
            value={(tiers.labels ?? []).join(", ")}
            onChange={(e) => set((c) => (c.tiers.labels = list((e.target as HTMLInputElement).value)))}
          />
        </label>
      </fieldset>
      <fieldset class="row">
        <legend>Data cutoff</legend>
        <label>
          The date the export was taken{" "}
          <input
            id="cutoff-date"
            type="date"
            value={config.cutoff_date ?? ""}
            onInput={(e) => set((c) => (c.cutoff_date = (e.target as HTMLInputElement).value))}
          />
        </label>
      </fieldset>
      <Problems problems={problems} />
      <button id="save-mapping" class="primary" onClick={save}>
        Save the mapping and continue
      </button>
    </section>
  );
}
