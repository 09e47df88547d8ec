// The activities the case workflow calls, as types: workflow code never imports src/activities (it would pull the
// worker's dependencies into the bundle). The worker's implementations must satisfy these signatures.
import type { Deadline, DeadlineInput } from '../../deadlines/types';
import type { NoticeRequest } from '../../notifications/types';
import type { TapeEntry } from './calendar-tape';
import type { CaseWorkflowOptions } from './messages';
import type { CaseStep } from './steps';
import type { CaseState } from './types';

/** Dates the official calendar decides: computed outside the workflow so the answers are recorded in history. */
export interface CalendarActivities {
  computeDeadlines(inputs: DeadlineInput[]): Promise<Deadline[]>;
  /** The reminder time (09:00 Shanghai) on the Nth working day after the instant's date. */
  nextEscalationAt(afterInstant: string, workingDays: number): Promise<{ at: string; provisional: boolean }>;
  /** The instant itself when it falls in working hours on a working day, else the next working morning. */
  workingMoment(atInstant: string): Promise<{ at: string; provisional: boolean }>;
}

/** A case as filed in the registry: only the duties and timeline entries that changed travel. */
export interface CaseSnapshot {
  state: CaseState;
  /** Timeline entries with `seq >= timelineFrom` are written (all of them when omitted); existing ones are kept. */
  timelineFrom?: number;
}

export interface RecordCaseResult {
  created: boolean;
  stageChanged: boolean;
  timelineInserted: number;
}

/** A step to run on a copy of the case, at the workflow's instant, with the worker's calendar. */
export interface CommitStepInput {
  state: CaseState;
  now: string;
  options?: CaseWorkflowOptions;
  step: CaseStep;
}

/** The calendar's answers for the step, and whether its change was committed (a refused step commits nothing). */
export interface CommitStepResult {
  tape: TapeEntry[];
  committed: boolean;
  /** A fingerprint of the state the copy arrived at: the workflow's own run must arrive at the same. */
  fingerprint?: string;
}

/** One change of a case: its registry delta and the notices it produced, committed in one transaction. */
export interface CommitCaseInput {
  snapshot: CaseSnapshot;
  notices: NoticeRequest[];
}

export interface CommitCaseResult extends RecordCaseResult {
  /** Outbox rows the notices have (written now, or by an earlier attempt of the same commit). */
  noticeRows: number;
}

export interface CaseActivities extends CalendarActivities {
  /**
   * Runs a step that needs the calendar on a copy of the case, commits its change and notices in one transaction, and
   * answers the calendar's tape, so the workflow's own run of the step asks nothing more (local activity).
   */
  commitStep(input: CommitStepInput): Promise<CommitStepResult>;
  /** The calendar's tape for the step alone, nothing written: the step's way through a registry outage. */
  calendarTape(input: CommitStepInput): Promise<TapeEntry[]>;
  /** Writes the change and its outbox rows in one transaction (local activity); idempotent under retries. */
  commitCase(input: CommitCaseInput): Promise<CommitCaseResult>;
}
