// Civil dates as day numbers (days since 1970-01-01): all calendar arithmetic is integer arithmetic on these, with
// no Date objects in the hot path and no dependence on the host's time zone.

export const MS_PER_DAY = 86_400_000;
/** Asia/Shanghai has been UTC+8 all year since 1991 (no daylight saving). */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The dates the engine accepts: wide enough for any case, narrow enough that the fallback calendar is reliable. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

export interface Civil {
  y: number;
  m: number; // 1..12
  d: number; // 1..31
}

export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export const daysInMonth = (y: number, m: number): number => (m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1]!);

/** Day number of a proleptic Gregorian date (March-based years make the leap day the last day of a year). */
export function dayFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Inverse of dayFromCivil. */
export function civilFromDay(day: number): Civil {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

export function formatDay(day: number): string {
  const { y, m, d } = civilFromDay(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a valid 'YYYY-MM-DD' in the supported years, or undefined. */
export function parseDay(text: string): number | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return dayFromCivil(y, mo, d);
}

/** Any valid 'YYYY-MM-DD' (no year bounds): for validating data files. */
export function isCivilDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(Number(m[1]), mo);
}

const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Epoch milliseconds of an ISO 8601 instant that carries 'Z' or an offset, or undefined when malformed. */
export function parseInstant(text: string): number | undefined {
  const m = INSTANT_RE.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  let offsetMin = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return (dayFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offsetMin * 60) * 1000 + ms;
}

/** The Shanghai calendar day of an instant. */
export const shanghaiDayOf = (epochMs: number): number => Math.floor((epochMs + SHANGHAI_OFFSET_MS) / MS_PER_DAY);

/** The instant of a Shanghai wall-clock time on a day (minutes after midnight; 1440 = 24:00). */
export const shanghaiInstant = (day: number, minuteOfDay: number): number =>
  day * MS_PER_DAY + minuteOfDay * 60_000 - SHANGHAI_OFFSET_MS;

/** Adds calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(day: number, months: number): number {
  const { y, m, d } = civilFromDay(day);
  const total = y * 12 + (m - 1) + months;
  const y2 = Math.floor(total / 12);
  const m2 = total - y2 * 12 + 1;
  return dayFromCivil(y2, m2, Math.min(d, daysInMonth(y2, m2)));
}
