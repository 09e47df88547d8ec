// The case's plain-JSON state: it crosses queries, continue-as-new and the registry unchanged.
// Types only (and literal lists): workflow code, the server, activities and tests all import this module.
import type { RuleId } from '../../deadlines/rules';

export const caseStages = ['pre-suit', 'in-suit', 'post-judgment', 'closed'] as const;
export type CaseStage = (typeof caseStages)[number];

export const enforcementFields = ['land-taking', 'work-injury', 'market-regulation', 'planning', 'public-order', 'other'] as const;
export type EnforcementField = (typeof enforcementFields)[number];

/** The deadline engine's rules a case counts periods by (legal-periods.md); the engine owns the list. */
export type PeriodRuleId = Exclude<RuleId, 'reminder-letter-answer'>;
/** Plus duties that have a date but no counting rule. */
export type DutyRuleId = PeriodRuleId | 'appearance-plan' | 'substitute-approval' | 'reminder-letter-answer';

export type DutyStatus = 'open' | 'done' | 'overdue' | 'waived';
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
  doneAt?: string;
  doneBy?: string;
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
  record?: { appeared: boolean; who: string; role: 'principal' | 'deputy' | 'vice-county-head' | 'other'; spoke: boolean; at: string; viceCountyHeadAppeared?: boolean };
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
