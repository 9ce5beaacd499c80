/**
 * Reporting periods: calendar quarters (`2026Q3`), months (`2026-08`), fiscal years (`FY2027`),
 * fiscal quarters (`FY2027Q1`) and `latest`, the last complete quarter on or before the data cutoff.
 * A fiscal year is named for the calendar year in which it ends (the US federal and state
 * convention): with a July start, FY2027 runs from 1 July 2026 to 30 June 2027 and its Q1 is
 * July–September 2026. Dates are YYYY-MM-DD; a period's `end` is its last day (inclusive).
 */
import { problem } from "../messages.ts";
import { fail, ok, type Result } from "../problem.ts";

export type PeriodKind = "quarter" | "month" | "fiscal_year";

export interface Period {
  kind: PeriodKind;
  /** Stable label used in folder names and results.json: 2026Q3, FY2027Q1, 2026-08, FY2027. */
  label: string;
  /** Label for readers: "2026 Q3 (Jul–Sep 2026)", "FY2027 Q1 (Jul–Sep 2026)", "August 2026", "FY2027 (Jul 2026–Jun 2027)". */
  title: string;
  start: string;
  end: string;
  /** Months since year 0 of the first month; orders periods and steps between them. */
  startMonth: number;
  months: number;
  /** Quarters labelled by the fiscal year (true) or the calendar year. */
  fiscal: boolean;
}

const MONTH_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH_LONG = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const ym = (m: number) => ({ year: Math.floor(m / 12), month: m % 12 });
const pad = (n: number) => String(n).padStart(2, "0");
const firstDay = (m: number) => `${ym(m).year}-${pad(ym(m).month + 1)}-01`;
function lastDay(m: number): string {
  const { year, month } = ym(m);
  const day = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${year}-${pad(month + 1)}-${pad(day)}`;
}
const monthOf = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
const span = (from: number, to: number) =>
  ym(from).year === ym(to).year
    ? `${MONTH_SHORT[ym(from).month]}–${MONTH_SHORT[ym(to).month]} ${ym(to).year}`
    : `${MONTH_SHORT[ym(from).month]} ${ym(from).year}–${MONTH_SHORT[ym(to).month]} ${ym(to).year}`;

/**
 * The period of a kind that starts in month `startMonth` (months since year 0), labelled for a
 * fiscal year starting in `fyStartMonth` (1–12).
 * @example periodStarting("quarter", 2026 * 12 + 6, 7, true).label // => "FY2027Q1"
 */
export function periodStarting(kind: PeriodKind, startMonth: number, fyStartMonth: number, fiscal: boolean): Period {
  const months = kind === "month" ? 1 : kind === "quarter" ? 3 : 12;
  const endMonth = startMonth + months - 1;
  const base = { kind, start: firstDay(startMonth), end: lastDay(endMonth), startMonth, months, fiscal };
  // The fiscal year a month belongs to is named for the calendar year in which that fiscal year ends.
  const fyOf = (m: number) => Math.floor((m - (fyStartMonth - 1)) / 12) + (fyStartMonth === 1 ? 0 : 1);
  const { year, month } = ym(startMonth);
  if (kind === "month") return { ...base, label: `${year}-${pad(month + 1)}`, title: `${MONTH_LONG[month]} ${year}` };
  if (kind === "fiscal_year") {
    const fy = fyOf(startMonth);
    return {
      ...base,
      label: `FY${fy}`,
      title: fyStartMonth === 1 ? `${fy}` : `FY${fy} (${span(startMonth, endMonth)})`,
    };
  }
  if (fiscal) {
    const fy = fyOf(startMonth);
    const q = Math.floor(((((startMonth - (fyStartMonth - 1)) % 12) + 12) % 12) / 3) + 1;
    return { ...base, label: `FY${fy}Q${q}`, title: `FY${fy} Q${q} (${span(startMonth, endMonth)})` };
  }
  return {
    ...base,
    label: `${year}Q${Math.floor(month / 3) + 1}`,
    title: `${year} Q${Math.floor(month / 3) + 1} (${span(startMonth, endMonth)})`,
  };
}

/** The period `steps` periods before p (negative: after). @example shiftPeriod(q("2026Q1"), 1, 1).label // => "2025Q4" */
export function shiftPeriod(p: Period, steps: number, fyStartMonth: number): Period {
  return periodStarting(p.kind, p.startMonth - steps * p.months, fyStartMonth, p.fiscal);
}

/** The same period a year earlier. */
export function yearEarlier(p: Period, fyStartMonth: number): Period {
  return periodStarting(p.kind, p.startMonth - 12, fyStartMonth, p.fiscal);
}

/** The last `n` periods ending with p, oldest first. */
export function trailingPeriods(p: Period, n: number, fyStartMonth: number): Period[] {
  return Array.from({ length: n }, (_, i) => shiftPeriod(p, n - 1 - i, fyStartMonth));
}

/** True when the YYYY-MM-DD date falls in the period. */
export function inPeriod(date: string | null, p: Period): boolean {
  return date !== null && date >= p.start && date <= p.end;
}

/**
 * Reads a period as the user writes it on the command line.
 * @param text 2026Q3 · FY2027Q1 · 2026-08 · FY2027 · latest
 * @param cutoff the data cutoff (YYYY-MM-DD), for `latest`
 * @param fyStartMonth the month (1–12) the fiscal year starts in; 1 = fiscal years are calendar years
 * @example parsePeriod("latest", "2025-12-31", 1) // => ok(2025Q4)
 */
export function parsePeriod(text: string, cutoff: string, fyStartMonth: number): Result<Period> {
  const fiscalQuarters = fyStartMonth !== 1;
  const t = text.trim();
  let m: RegExpExecArray | null;
  if (t === "latest") {
    // The quarter (fiscal when a fiscal year is set) containing the cutoff, if the cutoff is its last day; else the one before.
    const offset = fiscalQuarters ? fyStartMonth - 1 : 0;
    const c = monthOf(cutoff);
    const qStart = c - ((((c - offset) % 3) + 3) % 3);
    const containing = periodStarting("quarter", qStart, fyStartMonth, fiscalQuarters);
    return ok(containing.end <= cutoff ? containing : shiftPeriod(containing, 1, fyStartMonth));
  }
  if ((m = /^(\d{4})\s*-?\s*Q([1-4])$/i.exec(t))) {
    return ok(periodStarting("quarter", Number(m[1]) * 12 + (Number(m[2]) - 1) * 3, fyStartMonth, false));
  }
  if ((m = /^FY\s*(\d{4})\s*-?\s*Q([1-4])$/i.exec(t))) {
    const fyFirstMonth = (Number(m[1]) - (fyStartMonth === 1 ? 0 : 1)) * 12 + fyStartMonth - 1;
    return ok(periodStarting("quarter", fyFirstMonth + (Number(m[2]) - 1) * 3, fyStartMonth, true));
  }
  if ((m = /^FY\s*(\d{4})$/i.exec(t))) {
    return ok(
      periodStarting(
        "fiscal_year",
        (Number(m[1]) - (fyStartMonth === 1 ? 0 : 1)) * 12 + fyStartMonth - 1,
        fyStartMonth,
        true,
      ),
    );
  }
  if ((m = /^(\d{4})-(\d{2})$/.exec(t)) && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    return ok(periodStarting("month", Number(m[1]) * 12 + Number(m[2]) - 1, fyStartMonth, false));
  }
  return fail(problem("E_PERIOD", { text }, { key: "--period" }));
}
