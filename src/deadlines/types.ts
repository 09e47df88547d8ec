import type { CountingMethod, RuleDefinition, RuleId } from './rules';

export type { CountingMethod, RuleId } from './rules';

export type Extension = { until: string } | { months?: number; days?: number };

export interface DeadlineInput {
  rule: RuleId;
  /** ISO instant with 'Z' or an offset, or a Shanghai date 'YYYY-MM-DD'. */
  from: string;
  /** Occurrence k (>= 1) of a recurring rule: the weekly progress report k is due on day 7k. */
  nth?: number;
  /** Mediation extension: a new end date, or months/days added to the original due date; rolled forward. */
  extension?: Extension;
}

export interface Deadline {
  rule: RuleId;
  title: string;
  clause: string;
  /** The trigger as given. */
  from: string;
  /** The trigger's Shanghai date. */
  fromDate: string;
  /** The last day, YYYY-MM-DD in Shanghai. */
  dueDate: string;
  /** 24:00 Shanghai of dueDate (the next day's 00:00+08:00), ISO in UTC. */
  dueAt: string;
  /** The computation looked at a day whose year has no published arrangement (fallback calendar used). */
  provisional: boolean;
  /** Chinese text citing the clause and the counting. */
  basis: string;
  /** ISO UTC instants, ascending, each after the trigger and before dueAt. */
  reminders: string[];
  nth?: number;
  extension?: Extension;
  counting: { method: CountingMethod; amount: number };
}

export interface ReminderPolicy {
  /** Shanghai wall-clock time of every reminder and escalation, 'HH:MM'. */
  time: string;
  /** Shanghai wall-clock end of the working day, 'HH:MM': no escalation reaches a leader after it. */
  workdayEnds: string;
  /** Remind on the last working day before the due date. */
  lastWorkingDayBefore: boolean;
  /** For a long period, also remind this many calendar days before the due date. */
  longPeriodDaysBefore: number[];
  /** A period is long when it spans at least this many calendar days (28: the shortest month). */
  longPeriodMinDays: number;
}

export interface DeadlineEngine {
  /** Throws DeadlineInputError on an unknown rule, a malformed date or a misplaced option. */
  compute(input: DeadlineInput): Deadline;
  isWorkingDay(date: string): { working: boolean; provisional: boolean };
  /** The reminder time (09:00 Shanghai by default) on the Nth working day after the instant's Shanghai date. */
  nextEscalationAt(afterInstant: string, workingDays: number): { at: string; provisional: boolean };
  /** Recomputes a stored deadline with the current calendar, keeping its counting; `changed` when the due date moved. */
  reproject(stored: Deadline): { changed: boolean; deadline: Deadline };
  /**
   * When people may be told of something that happens at the instant: the instant itself within working hours of a
   * working day, else the next working morning (the reminder time). A lapse at 24:00 escalates the next morning.
   */
  workingMoment(atInstant: string): { at: string; provisional: boolean };
  shanghaiDate(instant: string): string;
  /** Calendar years with a published arrangement (the rest use the provisional fallback). */
  officialYears(): number[];
  /** The rule definitions in force (defaults with the deployment's overrides). */
  rules(): Readonly<Record<RuleId, RuleDefinition>>;
}
