import type { CaseStage } from '../vocabulary/case';

// What the registry reads of a case: its own structural types, which the case workflow's state satisfies, so the
// registry (the bottom layer) imports nothing of the workflows.

export interface DueDateRecord {
  dueDate: string;
  dueAt: string;
  provisional: boolean;
  basis: string;
}

export interface DutyRecord extends DueDateRecord {
  id: string;
  ruleId: string;
  title: string;
  owner: string;
  remindersSent: number;
  status: string;
  createdAt: string;
  overdueSince?: string;
  escalations: number;
  /** When it happened (a completion's occurredAt, or when it was entered). */
  doneAt?: string;
  doneBy?: string;
  /** When it was entered, only when that differs from doneAt (a completion recorded late). */
  enteredAt?: string;
  /** The person's name, when the command named one. */
  doneByPerson?: string;
  lateDays?: number;
  previousDue?: (DueDateRecord & { replacedAt: string; reason: string })[];
  note?: string;
}

export interface HearingChangeRecord {
  from: string;
  to?: string;
  at: string;
  reason: string;
  kind: string;
}

export interface HearingRecord {
  id: string;
  scheduledAt: string;
  headAppearanceRequired: boolean;
  /** scheduled | held | cancelled; absent on state written before issue 11 (scheduled, or held by its record). */
  status?: string;
  /** Reschedulings and the cancellation, oldest first. */
  history?: HearingChangeRecord[];
  plan?: {
    appearing: string;
    name: string;
    reason?: string;
    submittedAt: string;
    approval?: { approved: boolean; by: string; at: string; comment?: string };
  };
  record?: {
    appeared: boolean;
    who: string;
    role: string;
    spoke: boolean;
    at: string;
    viceCountyHeadAppeared?: boolean;
  };
}

export interface MediationExtensionRecord {
  at: string;
  newDueDate: string;
  previousDueDate: string;
  partiesConsented: true;
  courtInformedOn: string;
}

export type MediationResultRecord =
  | { outcome: 'resolved'; summary: string; at: string }
  | { outcome: 'failed'; process: string; demands: string; disputeFocus: string; failureReasons: string; at: string };

export interface MediationRecord {
  round: number;
  stage: CaseStage;
  letterReceivedAt: string;
  periodDutyId: string;
  progressDutyIds: string[];
  extensions: MediationExtensionRecord[];
  result?: MediationResultRecord;
}

export interface JudgmentRecord {
  /** Absent on state written before issue 11 (a judgment then took effect on receipt). */
  id?: string;
  /** first | second | retrial (first when absent). */
  instance?: string;
  /** judgment | ruling (judgment when absent). */
  documentType?: string;
  receivedAt: string;
  outcome: string;
  documentNo?: string;
  /** The Shanghai date it took effect; statistics count a judgment only once it has one. */
  effectiveOn?: string;
  effectiveBy?: string;
  appealPeriod?: { dueDate: string; dueAt: string; basis: string };
  appeal?: { filedOn: string; by: string };
  lossReport?: {
    submittedAt?: string;
    submissions: number;
    reviews: { at: string; decision: string; comments?: string }[];
    reportedToCountyGovernmentAt?: string;
  };
}

export interface SelfCorrectionRecord {
  at: string;
  description: string;
  courtInformedOn?: string;
}

export interface AmendmentRecord {
  at: string;
  by: string;
  reason: string;
  changes: Record<string, { from: unknown; to: unknown }>;
}

export interface TimelineRecord {
  seq: number;
  /** When it was entered. */
  at: string;
  actor: string;
  type: string;
  summary: string;
  /** When it happened, when that differs from `at`. */
  occurredAt?: string;
  /** The person's name, when the command named one. */
  by?: string;
}

/** The case as the registry records it; the workflow's CaseState is one. */
export interface CaseSnapshotState {
  caseId: string;
  title: string;
  agencyId: string;
  /** The agency's name from the directory (texts for people never show raw ids). */
  agencyName?: string;
  leaderId: string;
  leaderName?: string;
  field: string;
  plaintiff: string;
  countyGovernmentDefendant: boolean;
  /** The registration's trigger as registered (amendable): statistics date a case by when it was received. */
  trigger?: { type: string; receivedAt: string };
  stage: CaseStage;
  enteredStage: CaseStage;
  major: boolean;
  registeredAt: string;
  duties: DutyRecord[];
  mediations: MediationRecord[];
  hearings: HearingRecord[];
  /** The current document (the latest received). */
  judgment?: JudgmentRecord;
  /** Earlier instances, moved here when an appeal was filed. */
  earlierJudgments?: JudgmentRecord[];
  selfCorrections: SelfCorrectionRecord[];
  /** rulingOn: the court's 准予撤诉 ruling (absent on state written before issue 11). */
  withdrawn?: { at: string; rulingOn?: string; reason?: string };
  /** A pre-suit dispute settled without a suit (诉前化解). */
  presuitSettled?: { at: string; summary: string };
  /** Entered by mistake: left out of every indicator; the id stays reserved. */
  voided?: { at: string; by: string; reason: string };
  amendments?: AmendmentRecord[];
  timeline: TimelineRecord[];
  closedAt?: string;
}
