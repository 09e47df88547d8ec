// Periods of the reports, as instants: [from, to) with Shanghai-midnight bounds. Pure arithmetic, no clock, no
// calendar tables: safe in workflow code too.

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // no daylight-saving time in China since 1991

export type Quarter = 1 | 2 | 3 | 4;

export interface Period {
  /** ISO instant (UTC), inclusive. */
  from: string;
  /** ISO instant (UTC), exclusive. */
  to: string;
}

/** 00:00 Shanghai of a calendar date, as an ISO instant in UTC. */
export const shanghaiMidnight = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS).toISOString();

/** The Shanghai calendar date (YYYY-MM-DD) of an instant. */
export const shanghaiDateOf = (iso: string): string =>
  new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

const pad = (n: number) => String(n).padStart(2, '0');

export function quarterPeriod(year: number, quarter: Quarter): Period {
  const startMonth = (quarter - 1) * 3 + 1;
  const next = quarter === 4 ? `${year + 1}-01-01` : `${year}-${pad(startMonth + 3)}-01`;
  return { from: shanghaiMidnight(`${year}-${pad(startMonth)}-01`), to: shanghaiMidnight(next) };
}

export const yearPeriod = (year: number): Period => ({
  from: shanghaiMidnight(`${year}-01-01`),
  to: shanghaiMidnight(`${year + 1}-01-01`),
});

/** The quarter (Shanghai) an instant falls in. */
export function quarterOf(iso: string): { year: number; quarter: Quarter } {
  const d = shanghaiDateOf(iso);
  const month = Number(d.slice(5, 7));
  return { year: Number(d.slice(0, 4)), quarter: (Math.floor((month - 1) / 3) + 1) as Quarter };
}

export const previousQuarter = (year: number, quarter: Quarter): { year: number; quarter: Quarter } =>
  quarter === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: (quarter - 1) as Quarter };

export const nextQuarter = (year: number, quarter: Quarter): { year: number; quarter: Quarter } =>
  quarter === 4 ? { year: year + 1, quarter: 1 } : { year, quarter: (quarter + 1) as Quarter };

/** `2026-Q4`: the key of a quarter in report and letter ids. */
export const quarterKey = (year: number, quarter: number): string => `${year}-Q${quarter}`;

/** 2026年第四季度 */
export const quarterName = (year: number, quarter: number): string =>
  `${year}年第${['一', '二', '三', '四'][quarter - 1]}季度`;

/** True when the instant lies in [from, to). Instants may carry any offset: compare them as numbers, never as text. */
export const inPeriod = (iso: string | null | undefined, p: Period): boolean => {
  if (!iso) return false;
  const t = Date.parse(iso);
  return t >= Date.parse(p.from) && t < Date.parse(p.to);
};

/**
 * The window of 万人成讼率 for a period: the calendar year the period starts in, up to the period's end (year to
 * date), so a fourth-quarter report shows the whole year.
 */
export function litigationWindow(p: Period): Period {
  const year = Number(shanghaiDateOf(p.from).slice(0, 4));
  const y = yearPeriod(year);
  return { from: y.from, to: Date.parse(p.to) < Date.parse(y.to) ? p.to : y.to };
}
