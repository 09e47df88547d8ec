// Every case event's handler, by event type. The mapped type makes a missing handler a compile error, as the
// SDK's own Activator does for activation jobs.
import { relationTo, type Actor, type CaseRelation } from '../../../access';
import { isoMs } from '../../../time/shanghai';
import type { CaseCommand } from '../messages';
import { eventName, momentText } from '../names';
import { caseEventTypes } from '../event-check';
import type { CaseEvent, CaseEventType } from '../schemas';
import type { CaseState } from '../types';
import { bureauHandlers } from './bureau';
import { correctionHandlers } from './corrections';
import { hearingHandlers } from './hearings';
import { judgmentHandlers } from './judgment';
import { mediationHandlers } from './mediation';
import { presuitHandlers } from './presuit';
import { suitHandlers } from './suit';
import { caseView, NOT_EXPECTED, Refusal, type CaseView, type EventHandler, type EventOf } from './types';

// Each handler hands its own context type from check to apply; the map only ties each handler to its event type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CaseEventHandlers = { [T in CaseEventType]: EventHandler<EventOf<T>, any> };

export const caseEventHandlers: CaseEventHandlers = {
  ...presuitHandlers,
  ...mediationHandlers,
  ...suitHandlers,
  ...hearingHandlers,
  ...judgmentHandlers,
  ...bureauHandlers,
  ...correctionHandlers,
};

export const handlerOf = <T extends CaseEventType>(type: T): EventHandler<EventOf<T>, unknown> =>
  caseEventHandlers[type];

/** Whether a closed case takes this event: a post-judgment entrustment letter reopens one whose judgment took effect. */
const reopens = (state: CaseState, type: CaseEventType): boolean =>
  type === 'entrustment-letter' && !!state.judgment?.effectiveOn;

/** Refusals that hold for every event: a voided or closed case, and operators who only read. */
function generalRefusal(state: CaseState, relation: CaseRelation, type?: CaseEventType): Refusal | undefined {
  if (state.stage === 'voided') return new Refusal('该案件已作为误登记作废，不再接受事项', 'case_voided');
  if (state.stage === 'closed' && !(type && reopens(state, type)))
    return new Refusal('案件已结案，不再接受事项', 'case_closed');
  if (relation === 'operator') return new Refusal('运维人员只能查看，不能办理事项', 'read_only');
  return undefined;
}

// Five minutes of grace for clocks that run slightly ahead of the workflow's.
const GRACE_MS = 5 * 60_000;
const notFuture = (at: string, now: string, what: string) =>
  isoMs(at) > isoMs(now) + GRACE_MS ? new Refusal(`${what}（${momentText(at)}）不能晚于现在`, 'in_future') : undefined;

/** A completion's `occurredAt`: not in the future, not before the case's trigger was received. */
function occurredRefusal(state: CaseState, event: CaseEvent, now: string): Refusal | undefined {
  const at = 'occurredAt' in event ? event.occurredAt : undefined;
  if (!at) return undefined;
  const future = notFuture(at, now, '办理时间');
  if (future) return future;
  if (isoMs(at) < isoMs(state.trigger.receivedAt))
    return new Refusal(`办理时间（${momentText(at)}）不能早于收到登记材料的时间`, 'before_trigger');
  return undefined;
}

/** Either why the event is refused (a Chinese message and a stable code), or what its effect needs. */
export type Checked = { refused: string; code: string } | { ctx: unknown };

const asRefusal = (r: string | Refusal): Refusal => (typeof r === 'string' ? new Refusal(r, NOT_EXPECTED) : r);
const refused = (r: Refusal): Checked => ({ refused: r.message, code: r.code });

/** Checks an event in the handler's order: general, ready, the event's fields, the sender's role, the dates. */
export function checkEvent(
  view: CaseView,
  event: CaseEvent,
  actor: Actor,
  command: Pick<CaseCommand, 'person' | 'resolved'> = {},
): Checked {
  const h = handlerOf(event.type);
  const relation = relationTo(actor, view.state);
  const general = generalRefusal(view.state, relation, event.type);
  if (general) return refused(general);
  const early = h.ready?.(view);
  if (early) return refused(asRefusal(early));
  const ctx = h.check?.(view, event, command);
  if (typeof ctx === 'string' || ctx instanceof Refusal) return refused(asRefusal(ctx));
  if (!h.who.relations.includes(relation))
    return refused(new Refusal(`只有${h.who.name}可以${eventName(event.type)}`, 'not_allowed'));
  const late =
    (h.receivedAt ? notFuture(h.receivedAt(event), view.now, '收到时间') : undefined) ??
    occurredRefusal(view.state, event, view.now);
  return late ? refused(late) : { ctx };
}

/**
 * The event types this actor may send now, as far as the case's state and the actor's role decide (the event's own
 * fields may still be refused): what a console offers as buttons.
 */
export function allowedEvents(state: CaseState, actor: Actor, now: string): CaseEventType[] {
  const relation = relationTo(actor, state);
  if (relation === 'none') return [];
  const view = caseView(state, now);
  return caseEventTypes.filter((type) => {
    const h = handlerOf(type);
    return !generalRefusal(state, relation, type) && h.who.relations.includes(relation) && !h.ready?.(view);
  });
}
