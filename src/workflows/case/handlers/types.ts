// The shape of a case event's handler: who may send it, why it would be refused now, and what it changes. The
// machine dispatches to one handler per event type; the compiler checks that every type has one.
import type { CaseRelation } from '../../../access';
import type { Duty, NewDuty, Reschedule } from '../../../duties';
import { isOutstanding } from '../../../duties';
import type { NoticeKind, NoticeRequest, RecipientRef } from '../../../notifications/types';
import type { Actor } from '../messages';
import type { CaseEvent, CaseEventType } from '../schemas';
import type { CaseStage, CaseState, Hearing, Mediation, PeriodRuleId } from '../types';

export type EventOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>;

/** Who may send an event, and how a refusal names them. */
export interface Senders {
  relations: readonly CaseRelation[];
  name: string;
}

export const AGENCY_OR_BUREAU: Senders = { relations: ['agency', 'bureau'], name: 'the agency or the bureau' };
export const LEADER_OR_BUREAU: Senders = { relations: ['leader', 'bureau'], name: 'the leader in charge' };
export const BUREAU: Senders = { relations: ['bureau'], name: 'the bureau' };

/** The case as the refusal checks read it, at one instant. */
export interface CaseView {
  readonly state: CaseState;
  readonly now: string;
  duty(id: string): Duty | undefined;
  /** The duty when it is still owed (open or overdue). */
  awaited(id: string): Duty | undefined;
  openMediation(): Mediation | undefined;
  hearing(id: string): Hearing | undefined;
}

export function caseView(state: CaseState, now: string): CaseView {
  const duty = (id: string) => state.duties.find((d) => d.id === id);
  return {
    state,
    now,
    duty,
    awaited: (id) => {
      const d = duty(id);
      return d && isOutstanding(d) ? d : undefined;
    },
    openMediation: () => state.mediations.find((m) => !m.result),
    hearing: (id) => state.hearings.find((h) => h.id === id),
  };
}

/** A due-date request to the deadline engine (src/deadlines). */
export interface DeadlineRequest {
  rule: PeriodRuleId;
  from: string;
  nth?: number;
  extension?: { until: string };
}

/** What the deadline engine answers (the fields the case needs). */
export interface ComputedDeadline extends Reschedule {
  title: string;
}

/** A period duty to create: its id, its counting rule and trigger, and a suffix for its title. */
export interface DutySpec {
  id: string;
  rule: PeriodRuleId;
  from: string;
  nth?: number;
  titleSuffix?: string;
}

/** What a handler's effect may do to the case: the machine's operations, each one notifying or logging in order. */
export interface CaseOps {
  readonly state: CaseState;
  readonly agencyOwner: `agency:${string}`;
  readonly leader: `leader:${string}`;
  readonly planDaysBeforeHearing: number;
  /** The workflow's time now (it moves on across awaits). */
  now(): string;
  duty(id: string): Duty | undefined;
  outstanding(): Duty[];
  deadlines(requests: DeadlineRequest[]): Promise<ComputedDeadline[]>;
  addDuties(specs: DutySpec[]): Promise<void>;
  pushDuty(d: NewDuty): void;
  complete(d: Duty, actor: Actor, note?: string): void;
  waive(id: string, reason: string): void;
  reopen(id: string, reason: string): void;
  moveDue(d: Duty, next: Reschedule, reason: string): void;
  setStage(stage: CaseStage, actor: Actor): void;
  reprojectProvisional(actor: Actor): Promise<boolean>;
  notify(kind: NoticeKind, to: RecipientRef[], facts: Partial<NoticeRequest['facts']>, dutyId?: string): Promise<void>;
  log(actor: string, type: string, summary: string): void;
}

/** What an effect is handed: the operations, the event, what its check found, who sent it and when it was checked. */
export interface Applying<E, C> {
  m: CaseOps;
  event: E;
  ctx: C;
  actor: Actor;
  now: string;
}

/**
 * One event type's rules. Refusals are checked in this order: `ready` (needs nothing of the event), `check` (the
 * event's own fields), the sender's role, then `receivedAt` not in the future.
 */
export interface EventHandler<E extends CaseEvent, C = undefined> {
  who: Senders;
  /** Why the case cannot take this event now, whatever its fields: what decides whether a console offers it. */
  ready?: (c: CaseView) => string | undefined;
  /** Why this event is refused, or what the effect needs (found here, so the effect asserts nothing). */
  check?: (c: CaseView, e: E) => string | C;
  /** The instant the event says something was received: it cannot be in the future. */
  receivedAt?: (e: E) => string;
  apply: (a: Applying<E, C>) => Promise<void>;
}

/** Types a handler for one event type, inferring what its check hands to its effect. */
export const on =
  <T extends CaseEventType>() =>
  <C = undefined>(h: EventHandler<EventOf<T>, C>): EventHandler<EventOf<T>, C> =>
    h;
