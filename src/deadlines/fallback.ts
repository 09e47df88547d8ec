import type { default as HolidaysClass } from 'date-holidays';
import { dayFromCivil, isCivilDate } from './civil';

/**
 * Statutory days of a year without a published arrangement, from date-holidays' CN data. That data marks
 * part-population days (妇女节, 青年节, 儿童节, 建军节) `public` too, so only the statutory festivals are kept,
 * matched on their Chinese names. It predates the 2024 revision of 全国年节及纪念日放假办法 (in force 2025), which
 * added 除夕-based 春节's fourth day (初三) and 05-02; those are added here for 2025 on.
 */
const STATUTORY_PREFIXES = ['元旦', '春节', '清明', '劳动节', '端午', '中秋', '国庆'] as const;
const REVISION_2024_FROM_YEAR = 2025;

let holidays: HolidaysClass | undefined;

/** date-holidays takes ~70 ms to load: only a computation that reaches an unpublished year pays for it. */
function cnHolidays(): HolidaysClass {
  if (!holidays) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('date-holidays') as typeof HolidaysClass | { default: typeof HolidaysClass };
    const Holidays = 'default' in mod ? mod.default : mod;
    holidays = new Holidays('CN', { languages: 'zh', timezone: 'Asia/Shanghai', types: ['public'] });
  }
  return holidays;
}

/** Day number → festival name, for the statutory days off of `year` (weekends excluded). */
export function statutoryDaysOff(year: number): Map<number, string> {
  const out = new Map<number, string>();
  let lastSpringFestivalDay: number | undefined;
  for (const h of cnHolidays().getHolidays(year)) {
    if (h.type !== 'public') continue;
    const name = STATUTORY_PREFIXES.find((p) => h.name.startsWith(p));
    // `date` is the holiday's local (Shanghai) calendar date; `start`/`end` are instants and would shift by a day in UTC.
    const text = h.date.slice(0, 10);
    if (!name || !isCivilDate(text)) continue;
    const [y, m, d] = text.split('-').map(Number);
    const day = dayFromCivil(y!, m!, d!);
    if (y !== year) continue;
    out.set(day, name);
    if (name === '春节' && (lastSpringFestivalDay === undefined || day > lastSpringFestivalDay))
      lastSpringFestivalDay = day;
  }
  if (year >= REVISION_2024_FROM_YEAR) {
    out.set(dayFromCivil(year, 5, 2), '劳动节');
    if (lastSpringFestivalDay !== undefined) out.set(lastSpringFestivalDay + 1, '春节');
  }
  return out;
}
