import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { SignedClaim } from '../shared/actor-claims';
import type { CaseEvent, Registration } from './schemas';
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
  registeredBy: Actor;
  /** The API's signature over the registering actor, the case id and the registration. */
  claim?: SignedClaim;
  /** Present when continuing as new: the state carried over. */
  carried?: CaseState;
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
  event: CaseEvent;
  actor: Actor;
  /** The person who gave the command (from their token), for the timeline's `by`. */
  person?: { id: string; name: string };
  /** The API's signature over actor, person, case and event (src/workflows/shared/actor-claims.ts). */
  claim?: SignedClaim;
}

/** Waits until registration (due dates computed, first notices sent) is done; answers the state. */
export const registeredUpdate = defineUpdate<CaseState, []>('registered');
/** Every command on a case: validated (shape, stage, actor) before it is accepted; answers the new state. */
export const applyEventUpdate = defineUpdate<CaseState, [CaseCommand]>('applyEvent');
/** 👉 A query returns state; it never mutates it. */
export const caseStateQuery = defineQuery<CaseState>('state');
