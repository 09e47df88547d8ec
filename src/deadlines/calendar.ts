import { dayFromCivil, civilFromDay, MAX_YEAR, MIN_YEAR, weekday } from './civil';
import type { OfficialCalendar } from './calendar-data';
import { statutoryDaysOff } from './fallback';

const REST = 1;
const PROVISIONAL = 2;
const INDEXED = 4;

/**
 * A notice may reach back into the previous December (the 2019 notice made 2018-12-31 a day off and 2018-12-29 a
 * make-up day), so the last days of a published year stay provisional until the next year's notice is loaded.
 */
const NEXT_NOTICE_REACH = { month: 12, day: 20 } as const;

const FIRST_DAY = dayFromCivil(MIN_YEAR, 1, 1);
const LAST_DAY = dayFromCivil(MAX_YEAR, 12, 31);

/**
 * The Asia/Shanghai working calendar, one flag byte per day over the supported years. A year is indexed on first
 * use (published years at load; a fallback year when a computation first reaches it), so every lookup after that is
 * one array read.
 */
export class WorkingCalendar {
  private readonly flags = new Uint8Array(LAST_DAY - FIRST_DAY + 1);

  constructor(private readonly official: OfficialCalendar) {
    for (const y of official.years) this.indexYear(y);
  }

  readonly firstDay = FIRST_DAY;
  readonly lastDay = LAST_DAY;

  /** Years with a published arrangement, ascending. */
  officialYears(): number[] {
    return [...this.official.years].sort((a, b) => a - b);
  }

  /** True when `day` is a rest day; `touch` learns whether the answer is provisional. */
  isRest(day: number, touch: ProvisionalTracker): boolean {
    const i = day - FIRST_DAY;
    if (i < 0 || i >= this.flags.length) throw new RangeError(`day ${day} is outside the supported calendar`);
    let f = this.flags[i]!;
    if ((f & INDEXED) === 0) {
      this.indexYear(civilFromDay(day).y);
      f = this.flags[i]!;
    }
    if ((f & PROVISIONAL) !== 0) {
      const y = civilFromDay(day).y;
      // A provisional day of a published year is one the next year's notice may still reach.
      touch.touch(this.official.years.has(y) ? y + 1 : y);
    }
    return (f & REST) !== 0;
  }

  private indexYear(y: number): void {
    const start = dayFromCivil(y, 1, 1) - FIRST_DAY;
    const end = dayFromCivil(y, 12, 31) - FIRST_DAY;
    const published = this.official.years.has(y);
    const fallback = published ? undefined : statutoryDaysOff(y);
    const reach =
      published && !this.official.years.has(y + 1)
        ? dayFromCivil(y, NEXT_NOTICE_REACH.month, NEXT_NOTICE_REACH.day) - FIRST_DAY
        : Infinity;
    for (let i = start; i <= end; i++) {
      const day = i + FIRST_DAY;
      const wd = weekday(day);
      let rest = wd === 0 || wd === 6;
      // A day a published notice names is exact wherever it falls (2022-12-31 is in the 2023 notice).
      let listed = true;
      if (this.official.makeUpWorkdays.has(day)) rest = false;
      else if (this.official.daysOff.has(day)) rest = true;
      else {
        listed = false;
        if (fallback?.has(day)) rest = true;
      }
      this.flags[i] = INDEXED | (rest ? REST : 0) | (!listed && (!published || i >= reach) ? PROVISIONAL : 0);
    }
  }
}

/** Collects the unpublished years whose arrangement could change the days a computation looked at. */
export class ProvisionalTracker {
  years: number[] = [];
  touch(year: number): void {
    if (!this.years.includes(year)) this.years.push(year);
  }
  get provisional(): boolean {
    return this.years.length > 0;
  }
}
