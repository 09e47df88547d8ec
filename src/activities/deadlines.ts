import { ApplicationFailure } from '@temporalio/common';
import { DeadlineInputError, type Deadline, type DeadlineEngine, type DeadlineInput } from '../deadlines';

/** Bad input stays bad: fail the activity for good instead of retrying it forever. */
function answer<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DeadlineInputError)
      throw ApplicationFailure.create({ message: err.message, type: err.name, nonRetryable: true });
    throw err;
  }
}

/**
 * Deadline activities: workflows never compute calendars themselves (a calendar update would break replay), so every
 * date they act on comes from here and is recorded in history.
 */
export function createDeadlineActivities(engine: DeadlineEngine) {
  return {
    async computeDeadlines(inputs: DeadlineInput[]): Promise<Deadline[]> {
      return answer(() => inputs.map((input) => engine.compute(input)));
    },

    /** When to repeat an escalation: the reminder time (09:00 Shanghai) on the Nth working day after the instant's date. */
    async nextEscalationAt(afterInstant: string, workingDays: number): Promise<{ at: string; provisional: boolean }> {
      return answer(() => engine.nextEscalationAt(afterInstant, workingDays));
    },

    /** When people may be told: the instant itself in working hours on a working day, else the next working morning. */
    async workingMoment(atInstant: string): Promise<{ at: string; provisional: boolean }> {
      return answer(() => engine.workingMoment(atInstant));
    },

    /** The next `count` escalation times, each `everyWorkingDays` working days after the previous one. */
    async escalationTimes(
      afterInstant: string,
      everyWorkingDays: number,
      count: number,
    ): Promise<{ at: string; provisional: boolean }[]> {
      return answer(() => {
        if (!Number.isInteger(count) || count < 1 || count > 100)
          throw new DeadlineInputError(`count must be an integer from 1 to 100, got ${count}`);
        const out: { at: string; provisional: boolean }[] = [];
        let after = afterInstant;
        for (let i = 0; i < count; i++) {
          const next = engine.nextEscalationAt(after, everyWorkingDays);
          out.push(next);
          after = next.at;
        }
        return out;
      });
    },

    /** For each stored deadline, its recomputation under the current calendar and whether its due date moved. */
    async reprojectDeadlines(stored: Deadline[]): Promise<{ index: number; changed: boolean; deadline: Deadline }[]> {
      return answer(() => stored.map((s, index) => ({ index, ...engine.reproject(s) })));
    },
  };
}

export type DeadlineActivities = ReturnType<typeof createDeadlineActivities>;
