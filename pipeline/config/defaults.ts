/**
 * Every default of the study config, declared once, in the shape of the config file (its keys as
 * the YAML writes them). The parser (load-config.ts) fills a key the config leaves out from here,
 * `alliance init` writes its proposals from here, the generated schema carries each as `default`
 * (scripts/schemas.ts), and a test holds docs/config.md to it.
 * @example DEFAULTS.privacy.min_cell_size // => 11
 */
export const DEFAULTS = {
  completion_reasons: ["completed"],
  alliance: {
    early_window: 3,
    rater: "client",
    items: { score: "sum", max_missing: 0, max_missing_per_subscale: 0 },
  },
  values: { missing: ["NA", "N/A"], date_format: "iso", excel_serial_dates: false, decimal_mark: "." },
  tiers: { by: "early_alliance", method: "cut_points" },
  retention: { days: [30, 60, 90], conf_type: "log-log" },
  dynamics: { enabled: true, rupture_sd: 1, repair_sessions: 3, detrend: false },
  bootstrap: { b: 2000, seed: 20261122, secondary_max_n: 20_000, max_n: 200_000 },
  inference: { cluster: "therapist", bootstrap_max_clusters: 2000 },
  privacy: { min_cell_size: 11 },
  reporting: { fiscal_year_start_month: 1, trend_periods: 8 },
} as const;

/**
 * Each default with its key path, for the schema and the docs' test.
 * @example defaultPaths().find(([k]) => k === "retention.conf_type") // => ["retention.conf_type", "log-log"]
 */
export function defaultPaths(node: object = DEFAULTS, prefix = ""): [string, unknown][] {
  return Object.entries(node).flatMap(([k, v]) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? defaultPaths(v, `${prefix}${k}.`)
      : [[`${prefix}${k}`, v] as [string, unknown]],
  );
}
