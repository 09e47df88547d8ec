import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { SignedClaim } from '../shared/actor-claims';
import type { CaseEventInput, Registration } from './schemas';
import type { CaseState } from './types';

// The case family's contract: the server, the worker and the tests import these names, never strings.

export const CASE_TASK_QUEUE = 'yingsu-cases';

export const caseWorkflowId = (caseId: string): string => `case-${caseId}`;

/** Who sent a command, as `bureau`, `operator`, `agency:<id>` or `leader:<id>`. */
export type Actor = string;

export interface CaseWorkflowInput {
  registration: Registration;
  /** The case's leader in charge, resolved from the directory at registration. */
  leaderId: string;
  /** Names resolved from the directory, for texts shown to people. */
  agencyName: string;
  leaderName?: string;
  registeredBy: Actor;
  /**
   * The API's signature over the registering actor, the case id and the registration (or, when reopening a closed
   * case, over the reopening command's actor and the carried state): a fresh run without it is refused.
   */
  claim?: SignedClaim;
  /** Present when continuing as new, or reopening a closed case: the state carried over (then `registration` is ignored). */
  carried?: CaseState;
  /**
   * Only with `carried` of a closed case: the command that reopens it (a post-judgment entrustment letter). The run
   * applies it before `registeredUpdate` answers; a refusal fails that update and completes with `carried` unchanged.
   */
  reopen?: CaseCommand;
  /** Overrides for tests and deployments. */
  options?: CaseWorkflowOptions;
}

export interface CaseWorkflowOptions {
  /** Repeat an escalation every N working days while the duty stays undone (default 3). */
  escalationEveryWorkingDays?: number;
  /** Continue as new after this many history events even if the server does not suggest it. */
  maxHistoryEvents?: number;
  /** Days before a hearing by which the appearance plan is due (default 3). */
  planDaysBeforeHearing?: number;
}

export interface CaseCommand {
  event: CaseEventInput;
  actor: Actor;
  /** The person behind the actor (from their token): the timeline and completed duties keep the name. */
  person?: { id: string; name: string };
  /** Filled by the service for an amendment that changes the agency: the new agency's leader and names. */
  resolved?: { leaderId: string; agencyName: string; leaderName?: string };
  /** The API's signature over actor, person, case, event and `resolved` (src/workflows/shared/actor-claims.ts). */
  claim?: SignedClaim;
}

/** Waits until registration (due dates computed, first notices sent) is done; answers the state. */
export const registeredUpdate = defineUpdate<CaseState, []>('registered');
/** Every command on a case: validated (shape, stage, actor) before it is accepted; answers the new state. */
export const applyEventUpdate = defineUpdate<CaseState, [CaseCommand]>('applyEvent');
/** 👉 A query returns state; it never mutates it. */
export const caseStateQuery = defineQuery<CaseState>('state');
