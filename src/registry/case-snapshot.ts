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
  doneAt?: string;
  doneBy?: string;
  lateDays?: number;
  previousDue?: (DueDateRecord & { replacedAt: string; reason: string })[];
  note?: string;
}

export interface HearingRecord {
  id: string;
  scheduledAt: string;
  headAppearanceRequired: boolean;
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
  receivedAt: string;
  outcome: string;
  documentNo?: string;
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

/** The case as the registry records it; the workflow's CaseState is one. */
export interface CaseSnapshotState {
  caseId: string;
  title: string;
  agencyId: string;
  leaderId: string;
  field: string;
  plaintiff: string;
  countyGovernmentDefendant: boolean;
  stage: CaseStage;
  enteredStage: CaseStage;
  major: boolean;
  registeredAt: string;
  duties: DutyRecord[];
  mediations: MediationRecord[];
  hearings: HearingRecord[];
  judgment?: JudgmentRecord;
  selfCorrections: SelfCorrectionRecord[];
  withdrawn?: { at: string; reason?: string };
  timeline: { seq: number; at: string; actor: string; type: string; summary: string }[];
  closedAt?: string;
}
