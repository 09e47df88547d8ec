// The official calendar's answers for one step of a case, batched. A step (a registration, a command, a tick) may ask
// the calendar several times, each question depending on the last answer; one local activity runs the same step on
// a copy of the case with the worker's deadline engine and returns every answer in order (the tape), and the
// workflow then runs the step for real with the tape as its calendar. The tape is the activity's result, recorded in
// history as a marker: a calendar loaded later never changes a running case's replay.
import type { CasePorts, ComputedDeadline, DeadlineRequest } from './machine';

export type CalendarPorts = Pick<CasePorts, 'deadlines' | 'nextEscalationAt' | 'workingMoment' | 'reproject'>;

/** One question to the calendar, as the machine asked it. */
export type CalendarCall =
  | { op: 'deadlines'; requests: DeadlineRequest[] }
  | { op: 'nextEscalationAt'; after: string; workingDays: number }
  | { op: 'workingMoment'; at: string };

/** One answer on the tape: the question (as JSON, to check the replay asks the same) and its value or error. */
export interface TapeEntry {
  call: string;
  value?: unknown;
  error?: { name: string; message: string };
}

/** The deadline engine, synchronous, as the worker has it. */
export interface CalendarSource {
  deadlines(requests: DeadlineRequest[]): ComputedDeadline[];
  nextEscalationAt(after: string, workingDays: number): string;
  workingMoment(at: string): string;
}

/**
 * The calendar was asked something not on the tape: a probe run (before there is a tape) throws the shared
 * `CALENDAR_MISS`, since capturing a stack for each (through the workflow sandbox's source maps) is costly; a taped run
 * that asks what its tape did not foresee throws one carrying the question.
 */
export class CalendarMiss extends Error {
  override name = 'CalendarMiss';
  constructor(readonly call?: CalendarCall) {
    super('the step asks the calendar: it needs a tape');
  }
}
export const CALENDAR_MISS = new CalendarMiss();

function portsOver(ask: (call: CalendarCall) => unknown): CalendarPorts {
  return {
    deadlines: (requests) => ask({ op: 'deadlines', requests }) as ComputedDeadline[],
    nextEscalationAt: (after, workingDays) => ask({ op: 'nextEscalationAt', after, workingDays }) as string,
    workingMoment: (at) => ask({ op: 'workingMoment', at }) as string,
    // Re-projection is the same computation from the same triggers, under the calendar of now.
    reproject: (requests) => {
      const answers = ask({ op: 'deadlines', requests: requests.map((r) => r.request) }) as ComputedDeadline[];
      return answers.map((deadline, i) => ({ dutyId: requests[i]!.dutyId, deadline }));
    },
  };
}

/** An engine error as the machine recognises it (by name: a `DeadlineInputError` refuses the command). */
function replayedError(e: { name: string; message: string }): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

function answerOf(entry: TapeEntry): unknown {
  if (entry.error) throw replayedError(entry.error);
  return entry.value;
}

/**
 * A calendar that answers from the tape, in order, and then from `extra` (answers looked up one by one, keyed by
 * their question). Anything else throws `miss(call)`. Synchronous: the machine runs a step in one go.
 */
export function tapedCalendar(
  tape: readonly TapeEntry[],
  miss: (call: CalendarCall) => never,
  extra: ReadonlyMap<string, TapeEntry> = new Map(),
): CalendarPorts {
  let next = 0;
  return portsOver((call) => {
    const key = JSON.stringify(call);
    const entry = tape[next];
    if (entry && entry.call === key) {
      next += 1;
      return answerOf(entry);
    }
    const looked = extra.get(key);
    if (looked) return answerOf(looked);
    return miss(call);
  });
}

/** A calendar over the engine that writes every question and answer (or error) on `tape`. */
export function recordingCalendar(source: CalendarSource, tape: TapeEntry[]): CalendarPorts {
  const answer = (call: CalendarCall): unknown => {
    switch (call.op) {
      case 'deadlines':
        return source.deadlines(call.requests);
      case 'nextEscalationAt':
        return source.nextEscalationAt(call.after, call.workingDays);
      case 'workingMoment':
        return source.workingMoment(call.at);
    }
  };
  return portsOver((call) => {
    const key = JSON.stringify(call);
    try {
      const value = answer(call);
      tape.push({ call: key, value });
      return value;
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      tape.push({ call: key, error: { name: e.name, message: e.message } });
      throw e;
    }
  });
}
