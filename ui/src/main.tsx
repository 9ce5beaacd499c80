/**
 * The app's page: one step at a time, each reversible, from a clinic's export to a board-ready report.
 * Everything it does goes through the app's API (docs/app.md); it loads nothing from the network.
 */
import { render } from "preact";
import { useState } from "preact/hooks";
import "./style.css";
import { AddFiles, ConfirmReading, MapColumns } from "./steps-data.tsx";
import { Quarterly, Run, Save, Validate } from "./steps-run.tsx";
import type { Config, Study } from "./types.ts";

const STEPS = ["Add files", "Confirm reading", "Map columns", "Check", "Run", "Quarterly", "Save"] as const;

function App() {
  const [study, setStudy] = useState<Study | null>(null);
  const [config, setConfig] = useState<Config | null>(null);
  const [step, setStep] = useState(0);
  const [reached, setReached] = useState(0);
  const go = (n: number) => {
    setStep(n);
    setReached((r) => Math.max(r, n));
    // The new step's heading takes the focus, so that keyboard and screen-reader users start there.
    requestAnimationFrame(() => {
      const h = document.querySelector<HTMLElement>("main h2");
      h?.setAttribute("tabindex", "-1");
      h?.focus();
    });
  };
  return (
    <>
      <header>
        <h1>alliance</h1>
        <p>From your export to a report you can hand to your board. Your data stay on this computer.</p>
      </header>
      <nav aria-label="Steps">
        <ol>
          {STEPS.map((label, i) => (
            <li key={label}>
              <button
                class={`step ${i === step ? "current" : ""}`}
                aria-current={i === step ? "step" : undefined}
                disabled={i > reached}
                onClick={() => go(i)}
              >
                {i + 1}. {label}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <main>
        {step === 0 ? (
          <AddFiles
            onAdded={(s) => {
              setStudy(s);
              setConfig(null);
              setReached(1);
              go(1);
            }}
          />
        ) : null}
        {step === 1 && study ? (
          <ConfirmReading
            study={study}
            onConfirmed={(s) => {
              const { config: c, ...rest } = s;
              setStudy(rest as Study);
              setConfig(c);
              go(2);
            }}
          />
        ) : null}
        {step === 2 && study && config ? (
          <MapColumns
            study={study}
            config={config}
            onSaved={(c) => {
              setConfig(c);
              go(3);
            }}
          />
        ) : null}
        {step === 3 && study && config ? (
          <Validate study={study} config={config} onConfig={setConfig} onValid={() => go(4)} />
        ) : null}
        {step === 4 && study ? <Run study={study} /> : null}
        {step === 4 && study ? (
          <p>
            <button id="to-quarterly" onClick={() => go(5)}>
              Continue to quarterly reports
            </button>{" "}
            <button id="to-save" onClick={() => go(6)}>
              Continue to save
            </button>
          </p>
        ) : null}
        {step === 5 && study ? <Quarterly study={study} /> : null}
        {step === 5 && study ? (
          <p>
            <button onClick={() => go(6)}>Continue to save</button>
          </p>
        ) : null}
        {step === 6 && study ? (
          <Save
            study={study}
            onDeleted={() => {
              setStudy(null);
              setConfig(null);
              setReached(0);
              go(0);
            }}
          />
        ) : null}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
