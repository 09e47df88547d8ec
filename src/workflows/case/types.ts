// The case's plain-JSON state: it crosses queries, continue-as-new and the registry unchanged.
// Types only (and literal lists): workflow code, the server, activities and tests all import this module.
import type { RuleId } from '../../deadlines/rules';
import type { Duty } from '../../duties';

// The closed vocabularies live below every layer (src/vocabulary); the case re-exports them for its own readers.
export {
  caseStages,
  enforcementFields,
  triggerTypes,
  type CaseStage,
  type EnforcementField,
  type TriggerType,
} from '../../vocabulary/case';
import type { CaseStage, EnforcementField, JudgmentOutcomeCode, TriggerType } from '../../vocabulary/case';

/** The deadline engine's rules a case counts periods by (legal-periods.md); the engine owns the list. */
export type PeriodRuleId = Exclude<RuleId, 'reminder-letter-answer'>;
// A duty's shape and life belong to src/duties (a letter owes one too); re-exported for the case's readers.
export type { DueDate, Duty, DutyRuleId, DutyStatus, Owner } from '../../duties';

export interface TimelineEntry {
  seq: number;
  at: string;
  /** `bureau`, `agency:<id>`, `leader:<id>`, `operator`, or `system`. */
  actor: string;
  type: string;
  /** One line in Chinese, for people. */
  summary: string;
  /** When it happened, when that differs from `at` (when it was entered). */
  occurredAt?: string;
  /** The person's name, when the command names one. */
  by?: string;
}

export type MediationResult =
  | { outcome: 'resolved'; summary: string; at: string }
  | { outcome: 'failed'; process: string; demands: string; disputeFocus: string; failureReasons: string; at: string };

export interface MediationExtension {
  at: string;
  newDueDate: string;
  previousDueDate: string;
  partiesConsented: true;
  courtInformedOn: string;
}

export interface Mediation {
  round: number;
  /** Stage in which the entrustment letter (委托协调化解函) arrived. */
  stage: CaseStage;
  letterReceivedAt: string;
  periodDutyId: string;
  progressDutyIds: string[];
  extensions: MediationExtension[];
  result?: MediationResult;
  /** Ended without a result: overtaken by a judgment, a withdrawal, a settlement or a voided registration. */
  overtakenAt?: string;
}

export interface AppearancePlan {
  appearing: 'principal' | 'deputy';
  name: string;
  reason?: string;
  submittedAt: string;
  /** For a deputy: the leader's approval (row 12). */
  approval?: { approved: boolean; by: string; at: string; comment?: string };
}

export type HearingStatus = 'scheduled' | 'held' | 'cancelled';

export interface HearingChange {
  from: string;
  to?: string;
  at: string;
  reason: string;
  kind: 'rescheduled' | 'cancelled';
}

export interface Hearing {
  id: string;
  scheduledAt: string;
  /** Absent on old state: scheduled, or held when it has a record. A cancelled hearing is left out of the appearance rate. */
  status?: HearingStatus;
  /** Moves and cancellation, oldest first. */
  history?: HearingChange[];
  headAppearanceRequired: boolean;
  /** When the day-before reminder was sent to the agency (and the leader when the county government is sued). */
  reminderSentAt?: string;
  plan?: AppearancePlan;
  record?: {
    appeared: boolean;
    who: string;
    role: 'principal' | 'deputy' | 'vice-county-head' | 'other';
    spoke: boolean;
    at: string;
    viceCountyHeadAppeared?: boolean;
  };
}

export type JudgmentOutcome = JudgmentOutcomeCode;

export type JudgmentInstance = 'first' | 'second' | 'retrial';
export type JudgmentDocumentType = 'judgment' | 'ruling';
export type AppealBy = 'agency' | 'plaintiff' | 'third-party';

export interface Judgment {
  id: string;
  instance: JudgmentInstance;
  documentType: JudgmentDocumentType;
  receivedAt: string;
  outcome: JudgmentOutcome;
  documentNo?: string;
  /** Shanghai date it took effect; statistics use a judgment only when this is set. */
  effectiveOn?: string;
  effectiveBy?: 'appeal-period-lapsed' | 'declared' | 'final';
  /** A first-instance document's appeal period (行政诉讼法第八十五条). */
  appealPeriod?: { dueDate: string; dueAt: string; basis: string };
  appeal?: { filedOn: string; by: AppealBy };
  lossReport?: {
    submittedAt?: string;
    /** Reports submitted so far; each awaits one review. */
    submissions: number;
    reviews: { at: string; decision: 'approved' | 'returned'; comments?: string }[];
    reportedToCountyGovernmentAt?: string;
  };
}

export interface CaseAmendment {
  at: string;
  by: string;
  reason: string;
  changes: Record<string, { from: unknown; to: unknown }>;
}

export interface CaseState {
  caseId: string;
  title: string;
  agencyId: string;
  /** Resolved from the directory by the service at registration and on amendment: texts for people never show ids. */
  agencyName: string;
  leaderId: string;
  leaderName?: string;
  /** The registration trigger as registered (amendable): statistics date a case by when it was received. */
  trigger: { type: TriggerType; receivedAt: string };
  field: EnforcementField;
  plaintiff: string;
  countyGovernmentDefendant: boolean;
  stage: CaseStage;
  enteredStage: CaseStage;
  major: boolean;
  registeredAt: string;
  duties: Duty[];
  mediations: Mediation[];
  hearings: Hearing[];
  /** The current document (the latest received). */
  judgment?: Judgment;
  /** Earlier instances, moved here when an appeal is filed. */
  earlierJudgments?: Judgment[];
  selfCorrections: { at: string; description: string; courtInformedOn?: string }[];
  /** `rulingOn`: the date of the court's 准予撤诉 ruling. */
  withdrawn?: { at: string; rulingOn: string; reason?: string };
  /** A pre-suit dispute settled without a suit (诉前化解). */
  presuitSettled?: { at: string; summary: string };
  voided?: { at: string; by: string; reason: string };
  amendments?: CaseAmendment[];
  /** The most recent timeline entries (the registry keeps all of them). */
  timeline: TimelineEntry[];
  closedAt?: string;
  /** Counters that make notice keys and timeline sequence numbers deterministic across continue-as-new. */
  seq: { notice: number; timeline: number; hearing: number };
}
