// Every case event's handler, by event type. The mapped type makes a missing handler a compile error, as the
// SDK's own Activator does for activation jobs.
import { relationTo, type Actor, type CaseRelation } from '../../../access';
import { isoMs } from '../../../time/shanghai';
import { caseEventTypes, type CaseEvent, type CaseEventType } from '../schemas';
import type { CaseState } from '../types';
import { bureauHandlers } from './bureau';
import { judgmentHandlers } from './judgment';
import { mediationHandlers } from './mediation';
import { presuitHandlers } from './presuit';
import { suitHandlers } from './suit';
import { caseView, type CaseView, type EventHandler, type EventOf } from './types';

// Each handler hands its own context type from check to apply; the map only ties each handler to its event type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CaseEventHandlers = { [T in CaseEventType]: EventHandler<EventOf<T>, any> };

export const caseEventHandlers: CaseEventHandlers = {
  ...presuitHandlers,
  ...mediationHandlers,
  ...suitHandlers,
  ...judgmentHandlers,
  ...bureauHandlers,
};

export const handlerOf = <T extends CaseEventType>(type: T): EventHandler<EventOf<T>, unknown> =>
  caseEventHandlers[type];

/** Refusals that hold for every event: a closed case, and operators who only read. */
function generalRefusal(state: CaseState, relation: CaseRelation): string | undefined {
  if (state.stage === 'closed') return '案件已结案，不再接受事项';
  if (relation === 'operator') return 'operators read only';
  return undefined;
}

// Five minutes of grace for clocks that run slightly ahead of the workflow's.
const notFuture = (at: string, now: string) =>
  isoMs(at) > isoMs(now) + 5 * 60_000 ? `${at} is in the future` : undefined;

/** Either why the event is refused, or what its effect needs. */
export type Checked = { refused: string } | { ctx: unknown };

/** Checks an event in the handler's order: general, ready, the event's fields, the sender's role, received-at. */
export function checkEvent(view: CaseView, event: CaseEvent, actor: Actor): Checked {
  const h = handlerOf(event.type);
  const relation = relationTo(actor, view.state);
  const early = generalRefusal(view.state, relation) ?? h.ready?.(view);
  if (early) return { refused: early };
  const ctx = h.check?.(view, event);
  if (typeof ctx === 'string') return { refused: ctx };
  const role = h.who.relations.includes(relation) ? undefined : `only ${h.who.name} may send ${event.type}`;
  const late = role ?? (h.receivedAt ? notFuture(h.receivedAt(event), view.now) : undefined);
  return late ? { refused: late } : { ctx };
}

/**
 * The event types this actor may send now, as far as the case's state and the actor's role decide (the event's own
 * fields may still be refused): what a console offers as buttons.
 */
export function allowedEvents(state: CaseState, actor: Actor, now: string): CaseEventType[] {
  const relation = relationTo(actor, state);
  if (relation === 'none' || generalRefusal(state, relation)) return [];
  const view = caseView(state, now);
  return caseEventTypes.filter((type) => {
    const h = handlerOf(type);
    return h.who.relations.includes(relation) && !h.ready?.(view);
  });
}
