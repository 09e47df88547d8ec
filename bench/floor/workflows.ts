// Temporal's own floor for the benchmark: a no-op workflow that answers updates with a state of a given size, and
// optionally commits once to the registry through a local activity. Nothing of yingsu's logic runs here.
import { condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { FloorActivities } from './activities';

export interface FloorInput {
  /** A state of the same JSON size as a case's, answered by every update. */
  state: Record<string, unknown>;
  /** floor-io: each update commits the state once through a local activity. */
  io: boolean;
}

export const floorRegister = defineUpdate<Record<string, unknown>, []>('floorRegister');
export const floorCommand = defineUpdate<Record<string, unknown>, [string]>('floorCommand');

const { commit } = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' });

export async function floorWorkflow(input: FloorInput): Promise<void> {
  const state = { ...input.state, commands: 0 };
  setHandler(floorRegister, async () => {
    if (input.io) await commit(state);
    return state;
  });
  setHandler(floorCommand, async (note) => {
    state.commands += 1;
    (state as Record<string, unknown>).lastNote = note;
    if (input.io) await commit(state);
    return state;
  });
  // Runs until the benchmark terminates it, like an open case waiting on its next timer.
  await condition(() => false);
}
