import { z } from 'zod';
import { dayFromCivil, formatDay, isCivilDate, MAX_YEAR, MIN_YEAR, weekday } from './civil';
import { CalendarDataError, describeIssues } from './errors';

const isoDate = z.string().refine(isCivilDate, { message: 'must be a real date written YYYY-MM-DD' });
const yearKey = z
  .string()
  .regex(/^\d{4}$/, 'year keys are four digits')
  .refine((y) => Number(y) >= MIN_YEAR && Number(y) <= MAX_YEAR, { message: `year must be ${MIN_YEAR}–${MAX_YEAR}` });

const holidaySchema = z.strictObject({
  name: z.string().min(1),
  from: isoDate,
  to: isoDate,
  /** Optional, but when present it must list exactly every day from `from` to `to`: a cross-check against typos. */
  daysOff: z.array(isoDate).optional(),
});

const yearSchema = z.strictObject({
  holidays: z.array(holidaySchema),
  makeUpWorkdays: z.array(isoDate),
});

const sourceSchema = z.strictObject({
  title: z.string().min(1),
  document: z.string().min(1).optional(),
  issued: isoDate.optional(),
  url: z.url().optional(),
});

/** Longest plausible holiday span; a longer one is almost certainly a typo in `from`/`to`. */
const MAX_SPAN_DAYS = 15;

const day = (text: string): number => {
  const [y, m, d] = text.split('-').map(Number);
  return dayFromCivil(y!, m!, d!);
};

export const calendarDataSchema = z
  .strictObject({
    description: z.string().optional(),
    crossChecked: z.array(z.string()).optional(),
    sources: z.record(yearKey, sourceSchema),
    years: z.record(yearKey, yearSchema),
  })
  .superRefine((data, ctx) => {
    const issue = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    // Which entry claims each day, across all years: a day may be claimed once.
    const claimed = new Map<number, string>();
    const claim = (d: number, what: string, path: (string | number)[]): void => {
      const prior = claimed.get(d);
      if (prior !== undefined) issue(path, `${formatDay(d)} is listed as ${what} but is already ${prior}`);
      else claimed.set(d, what);
    };
    for (const [yearText, year] of Object.entries(data.years)) {
      const y = Number(yearText);
      if (!data.sources[yearText])
        issue(['sources'], `year ${yearText} has no entry in sources (name the State Council notice)`);
      // A notice may reach into the previous December (2023's 元旦 began 2022-12-31), never further.
      const first = dayFromCivil(y - 1, 12, 1);
      const last = dayFromCivil(y, 12, 31);
      const inReach = (d: number): boolean => d >= first && d <= last;
      year.holidays.forEach((h, i) => {
        const path = ['years', yearText, 'holidays', i];
        const from = day(h.from);
        const to = day(h.to);
        if (from > to) return issue(path, `${h.name}: from ${h.from} is after to ${h.to}`);
        if (to - from + 1 > MAX_SPAN_DAYS)
          return issue(path, `${h.name}: ${h.from}..${h.to} spans more than ${MAX_SPAN_DAYS} days`);
        if (!inReach(from) || !inReach(to)) {
          return issue(
            path,
            `${h.name}: ${h.from}..${h.to} lies outside year ${yearText} (only its previous December may be included)`,
          );
        }
        if (h.daysOff) {
          const listed = new Set(h.daysOff.map(day));
          const missing: string[] = [];
          for (let d = from; d <= to; d++) if (!listed.has(d)) missing.push(formatDay(d));
          const extra = h.daysOff.filter((t) => day(t) < from || day(t) > to);
          if (missing.length > 0)
            issue([...path, 'daysOff'], `${h.name}: daysOff omits ${missing.join(', ')} of ${h.from}..${h.to}`);
          if (extra.length > 0)
            issue([...path, 'daysOff'], `${h.name}: daysOff lists ${extra.join(', ')} outside ${h.from}..${h.to}`);
          if (listed.size !== h.daysOff.length) issue([...path, 'daysOff'], `${h.name}: daysOff lists a day twice`);
        }
        for (let d = from; d <= to; d++) claim(d, `a day off (${yearText} ${h.name})`, path);
      });
    }
    // Make-up days after all days off, so "both a day off and a make-up day" is reported whatever the order.
    for (const [yearText, year] of Object.entries(data.years)) {
      const y = Number(yearText);
      year.makeUpWorkdays.forEach((text, i) => {
        const path = ['years', yearText, 'makeUpWorkdays', i];
        const d = day(text);
        if (d < dayFromCivil(y - 1, 12, 1) || d > dayFromCivil(y, 12, 31)) {
          return issue(path, `make-up working day ${text} lies outside year ${yearText}`);
        }
        const wd = weekday(d);
        if (wd !== 0 && wd !== 6)
          issue(path, `make-up working day ${text} is a weekday, which is a working day anyway`);
        claim(d, `a make-up working day (${yearText})`, path);
      });
    }
    for (const yearText of Object.keys(data.sources)) {
      if (!data.years[yearText])
        issue(['sources', yearText], `source given for ${yearText} but years has no ${yearText} entry`);
    }
  });

export type CalendarData = z.infer<typeof calendarDataSchema>;

/** The calendar facts in the form the index needs. */
export interface OfficialCalendar {
  /** Calendar years whose arrangement is published (exact). */
  years: ReadonlySet<number>;
  daysOff: ReadonlyMap<number, string>; // day number → holiday name
  makeUpWorkdays: ReadonlySet<number>;
}

/** Validates raw calendar data; throws CalendarDataError naming every problem. */
export function parseCalendarData(raw: unknown, source = 'calendar data'): OfficialCalendar {
  const parsed = calendarDataSchema.safeParse(raw);
  if (!parsed.success) throw new CalendarDataError(`${source} is invalid:\n${describeIssues(parsed.error.issues)}`);
  const daysOff = new Map<number, string>();
  const makeUpWorkdays = new Set<number>();
  for (const year of Object.values(parsed.data.years)) {
    for (const h of year.holidays) for (let d = day(h.from); d <= day(h.to); d++) daysOff.set(d, h.name);
    for (const t of year.makeUpWorkdays) makeUpWorkdays.add(day(t));
  }
  return { years: new Set(Object.keys(parsed.data.years).map(Number)), daysOff, makeUpWorkdays };
}
