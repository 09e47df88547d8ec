// The case's plain-JSON state: it crosses queries, continue-as-new and the registry unchanged.
// Types only (and literal lists): workflow code, the server, activities and tests all import this module.
import type { RuleId } from '../../deadlines/rules';
import type { Duty } from '../../duties';

export const caseStages = ['pre-suit', 'in-suit', 'post-judgment', 'closed'] as const;
export type CaseStage = (typeof caseStages)[number];

export const enforcementFields = [
  'land-taking',
  'work-injury',
  'market-regulation',
  'planning',
  'public-order',
  'other',
] as const;
export type EnforcementField = (typeof enforcementFields)[number];

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
}

export interface AppearancePlan {
  appearing: 'principal' | 'deputy';
  name: string;
  reason?: string;
  submittedAt: string;
  /** For a deputy: the leader's approval (row 12). */
  approval?: { approved: boolean; by: string; at: string; comment?: string };
}

export interface Hearing {
  id: string;
  scheduledAt: string;
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

export type JudgmentOutcome = 'won' | 'lost' | 'partly-lost' | 'dismissed' | 'other';

export interface Judgment {
  receivedAt: string;
  outcome: JudgmentOutcome;
  documentNo?: string;
  lossReport?: {
    submittedAt?: string;
    /** Reports submitted so far; each awaits one review. */
    submissions: number;
    reviews: { at: string; decision: 'approved' | 'returned'; comments?: string }[];
    reportedToCountyGovernmentAt?: string;
  };
}

export interface CaseState {
  caseId: string;
  title: string;
  agencyId: string;
  leaderId: string;
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
  judgment?: Judgment;
  selfCorrections: { at: string; description: string; courtInformedOn?: string }[];
  withdrawn?: { at: string; reason?: string };
  /** The most recent timeline entries (the registry keeps all of them). */
  timeline: TimelineEntry[];
  closedAt?: string;
  /** Counters that make notice keys and timeline sequence numbers deterministic across continue-as-new. */
  seq: { notice: number; timeline: number; hearing: number };
}
