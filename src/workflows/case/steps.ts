// A step of a case: what the workflow runs, and what the calendar activity runs on a copy to answer the step's
// questions in advance. One function for both, so the copy asks exactly what the workflow will.
import type { CaseMachine } from './machine';
import type { Actor, CaseCommand } from './messages';
import type { CaseEvent, Registration } from './schemas';

export type CaseStep =
  | { op: 'register'; registration: Registration; actor: Actor }
  | { op: 'apply'; event: CaseEvent; actor: Actor; command: Pick<CaseCommand, 'person' | 'resolved'> }
  | { op: 'tick' };

/** Runs the step on the machine; answers whether the case changed. */
export async function runStep(machine: CaseMachine, step: CaseStep): Promise<boolean> {
  switch (step.op) {
    case 'register':
      await machine.register(step.registration, step.actor);
      return true;
    case 'apply':
      await machine.apply(step.event, step.actor, step.command);
      return true;
    case 'tick':
      return machine.tick();
  }
}
