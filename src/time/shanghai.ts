// Asia/Shanghai time as plain arithmetic: no Intl, no host time zone, no clock, no calendar tables. The one place the
// UTC+8 offset is written; safe in workflow code. Anything that needs the official holiday calendar goes through the
// deadline engine (src/deadlines) instead.

/** China has had no daylight-saving time since 1991: Shanghai is UTC+8 all year. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 24 * 3_600_000;

export const isoMs = (iso: string): number => Date.parse(iso);

export const addMs = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

/** The Shanghai calendar date (YYYY-MM-DD) of an instant. */
export const shanghaiDate = (iso: string): string =>
  new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

/** 00:00 Shanghai of a calendar date (YYYY-MM-DD), as an ISO instant in UTC. */
export const shanghaiMidnight = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS).toISOString();

/** Whole calendar days from date a to date b (both YYYY-MM-DD). */
export const daysBetween = (a: string, b: string): number =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

/** The Shanghai day number (days since 1970-01-01 Shanghai) of an epoch instant. */
export const shanghaiDayOf = (epochMs: number): number => Math.floor((epochMs + SHANGHAI_OFFSET_MS) / DAY_MS);

/** The epoch instant of a Shanghai day number and minute of that day. */
export const shanghaiInstantOf = (day: number, minuteOfDay = 0): number =>
  day * DAY_MS + minuteOfDay * 60_000 - SHANGHAI_OFFSET_MS;

/** `2026-03-05T01:30:00Z` → `2026年3月5日 09:30`. */
export function formatShanghai(iso: string): string {
  const d = new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS);
  if (Number.isNaN(d.getTime())) return iso;
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${hh}:${mm}`;
}

/** `2026-03-05` → `2026年3月5日`. */
export function formatDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date;
}
