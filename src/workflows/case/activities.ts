// The activities the case workflow calls, as types: workflow code never imports src/activities (it would pull the
// worker's dependencies into the bundle). The worker's implementations must satisfy these signatures.
import type { Deadline, DeadlineInput } from '../../deadlines/types';
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

export interface CaseActivities extends CalendarActivities {
  recordCase(snapshot: CaseSnapshot): Promise<RecordCaseResult>;
}
