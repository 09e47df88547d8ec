// The shape of a case event's handler: who may send it, why it would be refused now, and what it changes. The
// machine dispatches to one handler per event type; the compiler checks that every type has one.
import type { CaseRelation } from '../../../access';
import type { Duty, DutyRuleId, NewDuty, Reschedule } from '../../../duties';
import { isOutstanding } from '../../../duties';
import type { NoticeKind, NoticeRequest, RecipientRef } from '../../../notifications/types';
import type { Actor, CaseCommand } from '../messages';
import type { CaseEvent, CaseEventType } from '../schemas';
import type { CaseStage, CaseState, Hearing, Mediation, PeriodRuleId } from '../types';

export type EventOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>;

/** Who may send an event, and how a refusal names them. */
export interface Senders {
  relations: readonly CaseRelation[];
  name: string;
}

export const AGENCY_OR_BUREAU: Senders = { relations: ['agency', 'bureau'], name: '涉诉单位或县司法局' };
/** 二: a deputy appears in court only with the consent of the leader in charge, not the bureau's. */
export const LEADER: Senders = { relations: ['leader'], name: '分管县领导' };
export const BUREAU: Senders = { relations: ['bureau'], name: '县司法局' };

/** A refusal with a stable English code for programs; the message is Chinese, for people. */
export class Refusal {
  constructor(
    readonly message: string,
    readonly code: string,
  ) {}
}
/** A plain string from `ready` or `check` is a refusal with this code: the case's state does not allow it now. */
export const NOT_EXPECTED = 'not_expected';
export const refuse = (message: string, code = NOT_EXPECTED): Refusal => new Refusal(message, code);

/** The case as the refusal checks read it, at one instant. */
export interface CaseView {
  readonly state: CaseState;
  readonly now: string;
  duty(id: string): Duty | undefined;
  /** The duty when it is still owed (open or overdue). */
  awaited(id: string): Duty | undefined;
  openMediation(): Mediation | undefined;
  hearing(id: string): Hearing | undefined;
  /** The outstanding duty counted by this rule, if any (the newest). */
  awaitedRule(ruleId: DutyRuleId): Duty | undefined;
}

/** A mediation round still running: no result, and not overtaken by a judgment or the case's end. */
export const isOpen = (m: Mediation): boolean => !m.result && !m.overtakenAt;

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
    openMediation: () => state.mediations.find(isOpen),
    hearing: (id) => state.hearings.find((h) => h.id === id),
    awaitedRule: (ruleId) => state.duties.filter((d) => d.ruleId === ruleId && isOutstanding(d)).at(-1),
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
  deadlines(requests: DeadlineRequest[]): ComputedDeadline[];
  addDuties(specs: DutySpec[]): void;
  pushDuty(d: NewDuty): void;
  /** Done by the command's actor, when the command says it happened (`occurredAt`), by the person it names. */
  complete(d: Duty, actor: Actor, note?: string): void;
  waive(id: string, reason: string): void;
  /** Ends an outstanding duty as superseded (no-op for one done, waived or missing). */
  supersede(id: string, reason: string): void;
  /** The instant itself in working hours on a working day, else the next working morning. */
  workingMoment(at: string): string;
  reopen(id: string, reason: string): void;
  moveDue(d: Duty, next: Reschedule, reason: string): void;
  setStage(stage: CaseStage, actor: Actor): void;
  reprojectProvisional(actor: Actor): boolean;
  notify(kind: NoticeKind, to: RecipientRef[], facts: Partial<NoticeRequest['facts']>, dutyId?: string): void;
  log(actor: string, type: string, summary: string): void;
}

/** What an effect is handed: the operations, the event, what its check found, who sent it and when it was checked. */
export interface Applying<E, C> {
  m: CaseOps;
  event: E;
  ctx: C;
  actor: Actor;
  now: string;
  /** What the service added to the command: the person's name, the new agency's leader and names. */
  command: Pick<CaseCommand, 'person' | 'resolved'>;
}

/**
 * One event type's rules. Refusals are checked in this order: `ready` (needs nothing of the event), `check` (the
 * event's own fields), the sender's role, then `receivedAt` not in the future.
 */
export interface EventHandler<E extends CaseEvent, C = undefined> {
  who: Senders;
  /** Why the case cannot take this event now, whatever its fields: what decides whether a console offers it. */
  ready?: (c: CaseView) => string | Refusal | undefined;
  /** Why this event is refused, or what the effect needs (found here, so the effect asserts nothing). */
  check?: (c: CaseView, e: E, command: Pick<CaseCommand, 'person' | 'resolved'>) => string | Refusal | C;
  /** The instant the event says something was received: it cannot be in the future. */
  receivedAt?: (e: E) => string;
  apply: (a: Applying<E, C>) => void;
}

/** Types a handler for one event type, inferring what its check hands to its effect. */
export const on =
  <T extends CaseEventType>() =>
  <C = undefined>(h: EventHandler<EventOf<T>, C>): EventHandler<EventOf<T>, C> =>
    h;
