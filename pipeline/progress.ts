/**
 * What a long run says it is doing, on stderr: one line per phase as it ends, with its seconds
 * ("alliance: derive     1.84 s  998,712 episodes"), and, on a terminal, a live line while a phase
 * reads rows ("alliance: read … 3,418,923 rows"). `--quiet` silences both; stdout never gets any of
 * it (it lists the files written, and only that). The benchmark reads the phase lines.
 */

export interface Progress {
  /** A phase begins; `rows` (optional) is polled while it runs, for the live line. */
  begin(phase: string, rows?: () => number | null): void;
  /** The phase ended; `detail` says what it made (e.g. "998,712 episodes"). */
  end(phase: string, detail?: string): void;
}

/** Says nothing. */
export const SILENT: Progress = { begin: () => {}, end: () => {} };

/**
 * Progress lines on a stream; a live line only when it is a terminal.
 * @example const p = progressOn(process.stderr); p.begin("read"); p.end("read", "600 episodes") // stderr: "alliance: read       0.12 s  600 episodes"
 */
export function progressOn(stream: { write(s: string): unknown; isTTY?: boolean }): Progress {
  let started = performance.now();
  let timer: ReturnType<typeof setInterval> | null = null;
  let live = false;
  const clear = () => {
    if (timer) clearInterval(timer);
    timer = null;
    if (live) stream.write("\r\x1b[2K");
    live = false;
  };
  return {
    begin(phase, rows) {
      clear();
      started = performance.now();
      if (!stream.isTTY || !rows) return;
      timer = setInterval(() => {
        const n = rows();
        if (n === null || n <= 0) return;
        stream.write(`\r\x1b[2Kalliance: ${phase} … ${n.toLocaleString("en-US")} rows`);
        live = true;
      }, 250);
      timer.unref();
    },
    end(phase, detail) {
      clear();
      const seconds = (performance.now() - started) / 1000;
      stream.write(`alliance: ${phase.padEnd(9)} ${seconds.toFixed(2).padStart(6)} s${detail ? `  ${detail}` : ""}\n`);
      started = performance.now();
    },
  };
}
