// A step of a case: what the workflow runs, and what the calendar activity runs on a copy to answer the step's
// questions in advance. One function for both, so the copy asks exactly what the workflow will.
import type { CaseMachine } from './machine';
import type { Actor, CaseCommand } from './messages';
import type { CaseEvent, Registration } from './schemas';
import type { CaseState } from './types';

export type CaseStep =
  | { op: 'register'; registration: Registration; actor: Actor }
  | { op: 'apply'; event: CaseEvent; actor: Actor; command: Pick<CaseCommand, 'person' | 'resolved'> }
  | { op: 'tick' };

/** Runs the step on the machine; answers whether the case changed. */
export function runStep(machine: CaseMachine, step: CaseStep): boolean {
  switch (step.op) {
    case 'register':
      machine.register(step.registration, step.actor);
      return true;
    case 'apply':
      machine.command(step.event, step.actor, step.command);
      return true;
    case 'tick':
      return machine.tick();
  }
}

/** The part of a change the registry has not seen: duties that differ from before, and timeline entries from `seq`. */
export function changeSince(
  state: CaseState,
  recorded: { duties: Record<string, string>; timelineFrom: number },
): { duties: CaseState['duties']; timeline: CaseState['timeline'] } {
  return {
    duties: state.duties.filter((d) => recorded.duties[d.id] !== JSON.stringify(d)),
    timeline: state.timeline.filter((e) => e.seq >= recorded.timelineFrom),
  };
}

/** What the registry holds of the case once a change is committed (the baseline of the next change). */
export function recordedOf(state: CaseState): { duties: Record<string, string>; timelineFrom: number } {
  const duties: Record<string, string> = {};
  for (const d of state.duties) duties[d.id] = JSON.stringify(d);
  return { duties, timelineFrom: state.seq.timeline + 1 };
}

/** A short fingerprint of a state (FNV-1a over its JSON): the copy and the workflow must arrive at the same. */
export function fingerprint(state: CaseState): string {
  const json = JSON.stringify(state);
  let h = 0x811c9dc5;
  for (let i = 0; i < json.length; i++) {
    h ^= json.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${json.length}:${h.toString(16)}`;
}
