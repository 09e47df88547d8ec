// One duty's life, for every workflow that owes one (a case's duties, a reminder letter's answer): created from a
// computed deadline, reminded, lapsed, escalated again, done, waived, reopened or moved. Pure and deterministic (the
// caller hands in the time): workflow code imports it.
import type { RuleId } from '../deadlines/rules';
import { daysBetween, isoMs, shanghaiDate } from '../time/shanghai';

/** Rules duties are counted by, plus duties that have a date but no counting rule. */
export type DutyRuleId = RuleId | 'appearance-plan' | 'substitute-approval' | 'appeal-decision';

/**
 * `superseded`: ended because the proceeding moved on (a judgment ended in-suit work, a hearing was cancelled or moved,
 * a mediation was overtaken). One that had lapsed keeps `overdueSince` and `escalations` on record but never escalates
 * again; it is neither outstanding nor counted as overdue.
 */
export type DutyStatus = 'open' | 'done' | 'overdue' | 'waived' | 'superseded';
/** `agency:<id>`, `leader:<id>` or `bureau`. */
export type Owner = `agency:${string}` | `leader:${string}` | 'bureau';

export interface DueDate {
  /** Shanghai calendar date, YYYY-MM-DD. */
  dueDate: string;
  /** 24:00 Shanghai of dueDate, as an ISO instant in UTC. */
  dueAt: string;
  /** True when the computation touched a year without an official holiday arrangement. */
  provisional: boolean;
  /** The rule cited, in Chinese (e.g. "武政办〔2023〕47号 一(一)：…"). */
  basis: string;
}

export interface Duty extends DueDate {
  id: string;
  ruleId: DutyRuleId;
  title: string;
  owner: Owner;
  /** Instants at which the owner is reminded before the due instant. */
  reminders: string[];
  /** How many of `reminders` have been sent. */
  remindersSent: number;
  status: DutyStatus;
  createdAt: string;
  overdueSince?: string;
  /** Escalations sent so far (the first at the lapse, then every few working days). */
  escalations: number;
  nextEscalationAt?: string;
  /** The instant it was done (the command's `occurredAt`, or when it was entered). */
  doneAt?: string;
  doneBy?: string;
  /** When the completion was entered, only when it differs from `doneAt`. */
  enteredAt?: string;
  /** The person's name who did it, when the command names one. */
  doneByPerson?: string;
  /** Calendar days between the due date and the day it was done, when done late. */
  lateDays?: number;
  /** Earlier due dates replaced by an extension or a reprojection, oldest first. */
  previousDue?: (DueDate & { replacedAt: string; reason: string })[];
  /** Free text the owner gave when doing the duty (a progress summary, a filing number). */
  note?: string;
  /** For period duties: the trigger instant the period counts from (and the week number), for re-projection. */
  from?: string;
  nth?: number;
}

/** What a new duty is made of: who owes what by when, and the reminder points before it. */
export type NewDuty = Pick<
  Duty,
  'id' | 'ruleId' | 'title' | 'owner' | 'dueDate' | 'dueAt' | 'provisional' | 'basis' | 'reminders'
> &
  Partial<Pick<Duty, 'from' | 'nth'>>;

/** A due date with its reminder points, as the deadline engine computes it. */
export type Reschedule = DueDate & { reminders: string[] };

/** Whether the owner still has to act on it. */
export const isOutstanding = (d: Duty): boolean => d.status === 'open' || d.status === 'overdue';

/** How many reminder points are behind `now`: those are not owed any more. */
const passedReminders = (reminders: string[], now: string): number =>
  reminders.filter((r) => isoMs(r) <= isoMs(now)).length;

export function createDuty(fields: NewDuty, now: string): Duty {
  // Reminder points already behind us at creation are not owed.
  const remindersSent = passedReminders(fields.reminders, now);
  return { ...fields, remindersSent, status: 'open', createdAt: now, escalations: 0 };
}

/**
 * What the duty's owner or supervisors are owed at `now`, if anything: `escalate` is the first escalation of a lapse
 * recorded outside working hours, sent on the next working morning.
 */
export type DutyAction = 'lapse' | 'remind' | 'escalate' | 'repeat-escalation';

export function dueAction(d: Duty, now: string): DutyAction | undefined {
  const nowMs = isoMs(now);
  if (d.status === 'open' && isoMs(d.dueAt) <= nowMs) return 'lapse';
  if (d.status === 'open') return latestPassedReminder(d, nowMs) > d.remindersSent ? 'remind' : undefined;
  if (d.status === 'overdue' && d.nextEscalationAt && isoMs(d.nextEscalationAt) <= nowMs)
    return d.escalations === 0 ? 'escalate' : 'repeat-escalation';
  return undefined;
}

function latestPassedReminder(d: Duty, nowMs: number): number {
  let passed = d.remindersSent;
  while (passed < d.reminders.length && isoMs(d.reminders[passed]!) <= nowMs) passed++;
  return passed;
}

/** Marks the latest passed reminder point as sent: one reminder, never a backlog of them. */
export function remind(d: Duty, now: string): void {
  d.remindersSent = latestPassedReminder(d, isoMs(now));
}

/**
 * The due instant passed undone: overdue from then (the lapse is recorded at the due instant). `escalated`: the first
 * escalation goes out now and the next is due at `nextEscalationAt`; otherwise (night, rest day) the first escalation
 * waits until `nextEscalationAt`, the next working morning.
 */
export function lapse(d: Duty, nextEscalationAt: string, escalated = true): void {
  d.status = 'overdue';
  d.overdueSince = d.dueAt;
  d.remindersSent = d.reminders.length;
  d.escalations = escalated ? 1 : 0;
  d.nextEscalationAt = nextEscalationAt;
}

/** Still undone at the escalation cadence: one more escalation, the next counted from now. */
export function repeatEscalation(d: Duty, nextEscalationAt: string): void {
  d.escalations += 1;
  d.nextEscalationAt = nextEscalationAt;
}

/** Calendar days past the due date at `now` (0 before it). */
export const daysLate = (d: Duty, now: string): number => Math.max(daysBetween(d.dueDate, shanghaiDate(now)), 0);

/** When a completion happened, when it differs from when it is entered, and who did it in person. */
export interface Completion {
  occurredAt?: string;
  person?: string;
}

/**
 * Done by `by`, entered at `now`. It counts as done when it happened (`occurredAt`, else now), and its lateness is
 * judged by that instant: done after the due instant it counts at least one day late.
 */
export function complete(d: Duty, by: string, now: string, note?: string, how: Completion = {}): void {
  const doneAt = how.occurredAt ?? now;
  d.status = 'done';
  d.doneAt = doneAt;
  d.doneBy = by;
  if (isoMs(doneAt) !== isoMs(now)) d.enteredAt = now;
  else delete d.enteredAt;
  if (how.person) d.doneByPerson = how.person;
  if (note) d.note = note;
  delete d.nextEscalationAt;
  judgeLateness(d);
}

/** Lateness of a done duty, judged by when it was done against its (current) due date. */
function judgeLateness(d: Duty): void {
  if (d.status !== 'done' || !d.doneAt) return;
  delete d.lateDays;
  const late = daysBetween(d.dueDate, shanghaiDate(d.doneAt));
  if (isoMs(d.doneAt) > isoMs(d.dueAt)) d.lateDays = Math.max(late, 1);
}

/**
 * Ended because the proceeding moved on (a judgment, a cancelled hearing, an overtaken mediation). A lapsed duty keeps
 * its lapse and escalations on record but never escalates again; a duty already done or waived stays as it is.
 */
export function supersede(d: Duty, reason: string): void {
  if (!isOutstanding(d)) return;
  d.status = 'superseded';
  d.note = reason;
  delete d.nextEscalationAt;
}

/** No longer owed (the proceeding ended or made it moot); a duty already done or waived stays as it is. */
export function waive(d: Duty, reason: string): void {
  if (!isOutstanding(d)) return;
  d.status = 'waived';
  d.note = reason;
  delete d.nextEscalationAt;
}

/** Sent back to its owner. The original due date stands: a duty reopened after it lapses again at once. */
export function reopen(d: Duty, reason: string, now: string): void {
  d.status = 'open';
  d.note = reason;
  delete d.doneAt;
  delete d.doneBy;
  delete d.lateDays;
  d.remindersSent = passedReminders(d.reminders, now);
}

/** A new due date (an extension, a re-projection); the old one stays on record. */
export function moveDue(d: Duty, next: Reschedule, reason: string, now: string): void {
  const previous = {
    dueDate: d.dueDate,
    dueAt: d.dueAt,
    provisional: d.provisional,
    basis: d.basis,
    replacedAt: now,
    reason,
  };
  d.previousDue = [...(d.previousDue ?? []), previous];
  d.dueDate = next.dueDate;
  d.dueAt = next.dueAt;
  d.provisional = next.provisional;
  d.basis = next.basis;
  d.reminders = next.reminders;
  d.remindersSent = passedReminders(next.reminders, now);
  if (d.status === 'overdue' && isoMs(d.dueAt) > isoMs(now)) {
    // An extension granted after the lapse reopens the duty; the lapse itself stays on record (overdueSince).
    d.status = 'open';
    delete d.nextEscalationAt;
  }
  // A done duty's lateness follows its corrected due date.
  judgeLateness(d);
}

/** When the duty next needs its workflow to wake: its next reminder, its due instant, or its next escalation. */
export interface DutyWakeUp {
  at: string;
  why: 'reminder' | 'due' | 'escalation';
}

export function nextWakeUp(d: Duty): DutyWakeUp | undefined {
  if (d.status === 'open') {
    const r = d.reminders[d.remindersSent];
    return r && isoMs(r) < isoMs(d.dueAt) ? { at: r, why: 'reminder' } : { at: d.dueAt, why: 'due' };
  }
  if (d.status === 'overdue' && d.nextEscalationAt) return { at: d.nextEscalationAt, why: 'escalation' };
  return undefined;
}
