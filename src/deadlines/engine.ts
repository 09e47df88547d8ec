import { z } from 'zod';
import { ProvisionalTracker, type WorkingCalendar } from './calendar';
import {
  addMonths,
  dayFromCivil,
  formatDay,
  MAX_YEAR,
  MIN_YEAR,
  parseDay,
  parseInstant,
  shanghaiDayOf,
  shanghaiInstant,
} from './civil';
import { formatDate } from '../time/shanghai';
import { DeadlineConfigError, DeadlineInputError, describeIssues } from './errors';
import { COUNTING_METHODS, isRuleId, RULE_IDS, type Counting, type RuleDefinition, type RuleId } from './rules';
import type { Deadline, DeadlineEngine, DeadlineInput, Extension, ReminderPolicy } from './types';

export const DEFAULT_REMINDER_POLICY: Readonly<ReminderPolicy> = {
  time: '09:00',
  workdayEnds: '18:00',
  lastWorkingDayBefore: true,
  longPeriodDaysBefore: [7],
  longPeriodMinDays: 28,
};

export const reminderPolicySchema = z.strictObject({
  time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time is HH:MM (Shanghai)')
    .optional(),
  workdayEnds: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'workdayEnds is HH:MM (Shanghai)')
    .optional(),
  lastWorkingDayBefore: z.boolean().optional(),
  longPeriodDaysBefore: z.array(z.number().int().min(1).max(365)).optional(),
  longPeriodMinDays: z.number().int().min(1).optional(),
});

const MAX_NTH = 1000;
const MAX_EXTENSION_MONTHS = 120;
const MAX_EXTENSION_DAYS = 3660;
const MAX_ESCALATION_WORKING_DAYS = 1000;
/** Triggers up to the end of MAX_YEAR - 1, so a period can still end inside the indexed calendar. */
const LAST_TRIGGER_DAY = dayFromCivil(MAX_YEAR - 1, 12, 31);
const FIRST_TRIGGER_DAY = dayFromCivil(MIN_YEAR, 1, 1);

/** A stored deadline as it comes back from workflow state (plain JSON). */
export const storedDeadlineSchema = z.object({
  rule: z.enum(RULE_IDS),
  from: z.string(),
  dueDate: z.string(),
  nth: z.number().int().optional(),
  extension: z
    .union([z.object({ until: z.string() }), z.object({ months: z.number().optional(), days: z.number().optional() })])
    .optional(),
  counting: z.object({ method: z.enum(COUNTING_METHODS), amount: z.number().int().min(1).max(1000) }),
});

interface Trigger {
  day: number;
  /** Reminders must come after this instant; a bare date stands for the end of that day (the hour is unknown). */
  afterMs: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function unitText(method: Counting['method'], n: number): string {
  return method === 'months' ? `${n}个月` : method === 'working-days' ? `${n}个工作日` : `${n}日`;
}

export class Engine implements DeadlineEngine {
  private readonly reminderMinute: number;
  private readonly workdayEndMinute: number;

  constructor(
    private readonly calendar: WorkingCalendar,
    private readonly ruleSet: Readonly<Record<RuleId, RuleDefinition>>,
    private readonly policy: ReminderPolicy,
  ) {
    const [h, m] = policy.time.split(':').map(Number);
    this.reminderMinute = h! * 60 + m!;
    const [eh, em] = policy.workdayEnds.split(':').map(Number);
    this.workdayEndMinute = eh! * 60 + em!;
  }

  static policyFrom(raw: unknown): ReminderPolicy {
    const parsed = reminderPolicySchema.safeParse(raw ?? {});
    if (!parsed.success)
      throw new DeadlineConfigError(`reminder policy is invalid:\n${describeIssues(parsed.error.issues)}`);
    const p = parsed.data;
    return {
      time: p.time ?? DEFAULT_REMINDER_POLICY.time,
      workdayEnds: p.workdayEnds ?? DEFAULT_REMINDER_POLICY.workdayEnds,
      lastWorkingDayBefore: p.lastWorkingDayBefore ?? DEFAULT_REMINDER_POLICY.lastWorkingDayBefore,
      longPeriodDaysBefore: p.longPeriodDaysBefore ?? [...DEFAULT_REMINDER_POLICY.longPeriodDaysBefore],
      longPeriodMinDays: p.longPeriodMinDays ?? DEFAULT_REMINDER_POLICY.longPeriodMinDays,
    };
  }

  rules(): Readonly<Record<RuleId, RuleDefinition>> {
    return this.ruleSet;
  }

  officialYears(): number[] {
    return this.calendar.officialYears();
  }

  compute(input: DeadlineInput): Deadline {
    if (typeof input !== 'object' || input === null)
      throw new DeadlineInputError('a deadline input must be an object { rule, from }');
    if (!isRuleId(input.rule)) {
      throw new DeadlineInputError(`unknown rule ${JSON.stringify(input.rule)}; the rules are ${RULE_IDS.join(', ')}`);
    }
    return this.computeWith(input, this.ruleSet[input.rule].counting);
  }

  reproject(stored: Deadline): { changed: boolean; deadline: Deadline } {
    const parsed = storedDeadlineSchema.safeParse(stored);
    if (!parsed.success) throw new DeadlineInputError(`not a stored deadline:\n${describeIssues(parsed.error.issues)}`);
    const s = parsed.data;
    // The counting the deadline was set under stays: only the calendar may move a stored due date.
    const input: DeadlineInput = { rule: s.rule, from: s.from };
    if (s.nth !== undefined) input.nth = s.nth;
    if (s.extension !== undefined) input.extension = s.extension;
    const deadline = this.computeWith(input, s.counting);
    return { changed: deadline.dueDate !== s.dueDate, deadline };
  }

  isWorkingDay(date: string): { working: boolean; provisional: boolean } {
    const day = this.trigger(date, 'date').day;
    const tracker = new ProvisionalTracker();
    const rest = this.calendar.isRest(day, tracker);
    return { working: !rest, provisional: tracker.provisional };
  }

  nextEscalationAt(afterInstant: string, workingDays: number): { at: string; provisional: boolean } {
    const start = this.trigger(afterInstant, 'afterInstant').day;
    if (!Number.isInteger(workingDays) || workingDays < 1 || workingDays > MAX_ESCALATION_WORKING_DAYS) {
      throw new DeadlineInputError(
        `workingDays must be an integer from 1 to ${MAX_ESCALATION_WORKING_DAYS}, got ${workingDays}`,
      );
    }
    const tracker = new ProvisionalTracker();
    const day = this.guard(() => this.nthWorkingDayAfter(start, workingDays, tracker));
    return { at: iso(shanghaiInstant(day, this.reminderMinute)), provisional: tracker.provisional };
  }

  workingMoment(atInstant: string): { at: string; provisional: boolean } {
    const ms = parseInstant(atInstant);
    if (ms === undefined)
      throw new DeadlineInputError(`atInstant ${JSON.stringify(atInstant)} is not an ISO instant with Z or an offset`);
    const { day } = this.trigger(atInstant, 'atInstant');
    const tracker = new ProvisionalTracker();
    const start = shanghaiInstant(day, this.reminderMinute);
    const end = shanghaiInstant(day, this.workdayEndMinute);
    const working = !this.calendar.isRest(day, tracker);
    let at: number;
    if (working && ms >= start && ms < end) at = ms;
    else if (working && ms < start) at = start;
    else
      at = shanghaiInstant(
        this.guard(() => this.nthWorkingDayAfter(day, 1, tracker)),
        this.reminderMinute,
      );
    return { at: iso(at), provisional: tracker.provisional };
  }

  shanghaiDate(instant: string): string {
    return formatDay(this.trigger(instant, 'instant').day);
  }

  private computeWith(input: DeadlineInput, counting: Counting): Deadline {
    const rule = this.ruleSet[input.rule];
    const trigger = this.trigger(input.from, 'from');
    const k = this.occurrence(rule, input.nth);
    if (input.extension !== undefined && !rule.extendable) {
      throw new DeadlineInputError(
        `rule ${rule.id} cannot be extended; only ${RULE_IDS.filter((id) => this.ruleSet[id].extendable).join(', ')} can`,
      );
    }
    const tracker = new ProvisionalTracker();
    return this.guard(() => {
      const amount = counting.amount * k;
      let nominal = this.nominalEnd(trigger.day, counting.method, amount, tracker);
      let due = this.settle(nominal, counting.method, rule.rollForward, tracker);
      let extensionText = '';
      if (input.extension !== undefined) {
        const ext = this.extensionEnd(input.extension, due);
        extensionText = ext.text;
        nominal = ext.day;
        due = this.settle(nominal, 'calendar-days', rule.rollForward, tracker);
      }
      // A recurring rule is as long as one of its periods: weekly report 5 is not a "long" period.
      const span =
        (rule.recurring ? this.nominalEnd(trigger.day, counting.method, counting.amount, tracker) : nominal) -
        trigger.day;
      const reminders = this.reminders(trigger, due, span, tracker);
      const dueDate = formatDay(due);
      const deadline: Deadline = {
        rule: rule.id,
        title: rule.title,
        clause: rule.clause,
        from: input.from,
        fromDate: formatDay(trigger.day),
        dueDate,
        dueAt: iso(shanghaiInstant(due + 1, 0)),
        provisional: tracker.provisional,
        basis: this.basis(rule, counting, k, trigger.day, nominal, due, extensionText, tracker.years),
        reminders,
        counting: { method: counting.method, amount: counting.amount },
      };
      if (input.nth !== undefined) deadline.nth = k;
      if (input.extension !== undefined) deadline.extension = input.extension;
      return deadline;
    });
  }

  /** Last day before any roll-forward. */
  private nominalEnd(from: number, method: Counting['method'], amount: number, tracker: ProvisionalTracker): number {
    switch (method) {
      case 'calendar-days':
        return from + amount;
      case 'months':
        return addMonths(from, amount);
      case 'working-days':
        return this.nthWorkingDayAfter(from, amount, tracker);
    }
  }

  private settle(
    nominal: number,
    method: Counting['method'],
    rollForward: boolean,
    tracker: ProvisionalTracker,
  ): number {
    if (method === 'working-days' || !rollForward) return nominal;
    let d = nominal;
    while (this.calendar.isRest(d, tracker)) d++;
    return d;
  }

  /** The Nth working day after `day` (day 1 is the first working day after it). */
  private nthWorkingDayAfter(day: number, n: number, tracker: ProvisionalTracker): number {
    let d = day;
    for (let counted = 0; counted < n;) {
      d++;
      if (!this.calendar.isRest(d, tracker)) counted++;
    }
    return d;
  }

  private extensionEnd(ext: Extension, originalDue: number): { day: number; text: string } {
    if (typeof ext !== 'object' || ext === null)
      throw new DeadlineInputError('extension must be { until } or { months, days }');
    if ('until' in ext) {
      if (Object.keys(ext).length !== 1)
        throw new DeadlineInputError('extension gives either until or months/days, not both');
      const day = this.trigger(ext.until, 'extension.until').day;
      if (day < originalDue) {
        throw new DeadlineInputError(
          `extension.until ${formatDay(day)} is before the original due date ${formatDay(originalDue)}`,
        );
      }
      return { day, text: `；经各方当事人同意延长至${formatDay(day)}` };
    }
    const unknown = Object.keys(ext).filter((key) => key !== 'months' && key !== 'days');
    if (unknown.length > 0) throw new DeadlineInputError(`extension has unknown field(s) ${unknown.join(', ')}`);
    const months = ext.months ?? 0;
    const days = ext.days ?? 0;
    if (!Number.isInteger(months) || months < 0 || months > MAX_EXTENSION_MONTHS) {
      throw new DeadlineInputError(`extension.months must be an integer from 0 to ${MAX_EXTENSION_MONTHS}`);
    }
    if (!Number.isInteger(days) || days < 0 || days > MAX_EXTENSION_DAYS) {
      throw new DeadlineInputError(`extension.days must be an integer from 0 to ${MAX_EXTENSION_DAYS}`);
    }
    if (months === 0 && days === 0) throw new DeadlineInputError('an extension adds at least one month or day');
    const text = `${months > 0 ? `${months}个月` : ''}${days > 0 ? `${days}日` : ''}`;
    return {
      day: addMonths(originalDue, months) + days,
      text: `；经各方当事人同意自原届满日${formatDay(originalDue)}起延长${text}`,
    };
  }

  private reminders(trigger: Trigger, due: number, span: number, tracker: ProvisionalTracker): string[] {
    const days: number[] = [];
    if (this.policy.lastWorkingDayBefore) {
      let d = due - 1;
      while (d >= trigger.day && this.calendar.isRest(d, tracker)) d--;
      if (d >= trigger.day) days.push(d);
    }
    if (span >= this.policy.longPeriodMinDays) for (const n of this.policy.longPeriodDaysBefore) days.push(due - n);
    const out: number[] = [];
    for (const d of days) {
      const at = shanghaiInstant(d, this.reminderMinute);
      if (at > trigger.afterMs && d < due && !out.includes(at)) out.push(at);
    }
    return out.sort((a, b) => a - b).map(iso);
  }

  private basis(
    rule: RuleDefinition,
    counting: Counting,
    k: number,
    from: number,
    nominal: number,
    due: number,
    extension: string,
    provisionalYears: number[],
  ): string {
    const n = counting.amount * k;
    const period =
      counting.method === 'working-days'
        ? `自${rule.trigger}后的第一个工作日起算${unitText(counting.method, n)}（周末及法定休假日不计，调休上班日计入）`
        : `自${rule.trigger}次日起算${unitText(counting.method, n)}` +
          (counting.method === 'months' ? '，以期满月的对应日为届满日（无对应日的为该月末日）' : '') +
          (rule.rollForward ? '，届满日遇法定休假日顺延至其后第一个工作日' : '');
    const every =
      counting.method === 'calendar-days' && counting.amount === 7 ? '周' : unitText(counting.method, counting.amount);
    const recurring = rule.recurring ? `每${every}通报一次，第${k}次` : '';
    const dueText = formatDay(due);
    const end = nominal === due ? `${dueText}届满` : `${formatDay(nominal)}届满，遇休息日顺延至${dueText}`;
    // Periods in days and months count as 行政诉讼法 art. 101 sends them to 民事诉讼法 art. 85.
    const law =
      counting.method === 'working-days' ? '' : '（期间计算依照行政诉讼法第一百零一条、民事诉讼法第八十五条）';
    const note =
      provisionalYears.length > 0
        ? `。${[...provisionalYears].sort((a, b) => a - b).join('、')}年放假安排尚未载入，暂按法定节假日及周末推算，公布后应重新核算`
        : '';
    return `${rule.clause}：${recurring}${period}${law}${extension}。${formatDay(from)}${rule.trigger}，${end}，应于${formatDate(dueText)}24时前完成${note}`;
  }

  private occurrence(rule: RuleDefinition, nth: number | undefined): number {
    if (nth === undefined) return 1;
    if (!rule.recurring)
      throw new DeadlineInputError(`rule ${rule.id} does not recur; nth applies only to recurring rules`);
    if (!Number.isInteger(nth) || nth < 1 || nth > MAX_NTH)
      throw new DeadlineInputError(`nth must be an integer from 1 to ${MAX_NTH}, got ${nth}`);
    return nth;
  }

  private trigger(text: unknown, field: string): Trigger {
    if (typeof text !== 'string')
      throw new DeadlineInputError(`${field} must be a string, got ${text === null ? 'null' : typeof text}`);
    let day = parseDay(text);
    let afterMs: number;
    if (day !== undefined) {
      afterMs = shanghaiInstant(day + 1, 0);
    } else {
      const ms = parseInstant(text);
      if (ms === undefined) {
        throw new DeadlineInputError(
          `${field} ${JSON.stringify(text)} is neither a date YYYY-MM-DD (Shanghai) nor an ISO instant with Z or an offset (2026-02-10T09:30:00+08:00)`,
        );
      }
      day = shanghaiDayOf(ms);
      afterMs = ms;
    }
    if (day < FIRST_TRIGGER_DAY || day > LAST_TRIGGER_DAY) {
      throw new DeadlineInputError(
        `${field} ${JSON.stringify(text)} is outside the supported years ${MIN_YEAR}–${MAX_YEAR - 1}`,
      );
    }
    return { day, afterMs };
  }

  /** A period running past the indexed calendar is the caller's error, reported as such. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof RangeError)
        throw new DeadlineInputError(`the period runs past the supported calendar (${MAX_YEAR}-12-31)`);
      throw err;
    }
  }
}
