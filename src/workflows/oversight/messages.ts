// The oversight family's contract (quarterly report, schedule trigger, 《工作提醒函》): ids, inputs, states,
// updates and queries. The server, the worker, the schedule and the tests import these, never strings.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Deadline } from '../../deadlines/types';
import type { Breach } from '../../reports/thresholds';
import type { Duty } from '../case/types';
import type { AcknowledgeLetter, AnswerLetter } from './schemas';

export { CASE_TASK_QUEUE as OVERSIGHT_TASK_QUEUE } from '../case/messages';

export const quarterlyReportWorkflowId = (year: number, quarter: number): string =>
  `quarterly-report-${year}-Q${quarter}`;
export const reminderLetterWorkflowId = (letterId: string): string => `reminder-letter-${letterId}`;
/** The Temporal Schedule that starts the quarterly report (its runs are `quarterly-report-schedule-<time>`). */
export const QUARTERLY_SCHEDULE_ID = 'quarterly-report';
export const QUARTERLY_SCHEDULE_WORKFLOW_ID = 'quarterly-report-schedule';

export interface QuarterlyReportInput {
  year: number;
  quarter: 1 | 2 | 3 | 4;
}

export interface QuarterlyReportResult {
  reportId: string;
  year: number;
  quarter: number;
  generatedAt: string;
  generation: number;
  /** Letters issued by this run (an existing letter of the quarter is never issued twice). */
  lettersStarted: string[];
  letters: string[];
  /** Agencies put to the principal leader for an interview (约谈). */
  interviews: string[];
}

export interface ScheduleTriggerResult {
  year: number;
  quarter: number;
  workflowId: string;
  /** False when the quarter's report already exists (run by the bureau, or by an earlier firing). */
  started: boolean;
}

export interface ReminderLetterInput {
  letterId: string;
  year: number;
  quarter: number;
  agencyId: string;
  agencyName: string;
  leaderId: string;
  issuedAt: string;
  breaches: Breach[];
  /** The letter as sent (Markdown). */
  letter: string;
  /** The answer period (rule reminder-letter-answer), computed by the deadline engine from issuedAt. */
  deadline: Deadline;
  escalationEveryWorkingDays: number;
}

export type LetterStatus = 'issued' | 'acknowledged' | 'answered';

/** The letter as issued (its input, less how it is counted), plus what happened to it. */
export interface ReminderLetterState extends Omit<ReminderLetterInput, 'deadline' | 'escalationEveryWorkingDays'> {
  status: LetterStatus;
  /** The agency's duty to answer with rectification measures: reminded, escalated, repeated like a case duty. */
  duty: Duty;
  acknowledged?: { at: string; by: string; note?: string };
  answer?: { at: string; by: string; measures: string };
  seq: { notice: number };
}

// The bodies' schemas live in schemas.ts (zod, for the API); the workflow checks them without zod.
export type { AcknowledgeLetter, AnswerLetter } from './schemas';

/** `agency:<id>` of the sender. */
export interface LetterCommand<T> {
  actor: string;
  body: T;
}

/** The agency signs for the letter (签收); answers the new state. */
export const acknowledgeLetterUpdate = defineUpdate<ReminderLetterState, [LetterCommand<AcknowledgeLetter>]>(
  'acknowledge',
);
/** The agency answers with its rectification measures; the duty is done and the letter closes. */
export const answerLetterUpdate = defineUpdate<ReminderLetterState, [LetterCommand<AnswerLetter>]>('answer');
export const letterStateQuery = defineQuery<ReminderLetterState>('letterState');
