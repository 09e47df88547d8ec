import type { DeadlineEngine } from '../deadlines';
import type { Directory } from '../directory';
import type { Logger } from '../log';
import type { Channels } from '../notifications/channels';
import type { RegistryStore } from '../registry';
import type {
  CaseActivities,
  CommitCaseInput,
  CommitCaseResult,
  CommitStepInput,
  CommitStepResult,
} from '../workflows/case/activities';
import { recordingCalendar, type TapeEntry } from '../workflows/case/calendar-tape';
import { CaseMachine } from '../workflows/case/machine';
import { changeSince, fingerprint, recordedOf, runStep } from '../workflows/case/steps';
import { planOutboxRows } from './notifications';

export interface CaseActivityDeps {
  deadlines: DeadlineEngine;
  directory: Directory;
  store: RegistryStore;
  channels: Channels;
  log: Logger;
  /** Told after a commit wrote outbox rows, so the delivery worker sends them at once. */
  onNotices?: () => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * The case workflow's two local activities: the calendar's answers for a step, and the commit of its change. A
 * command is then one workflow task: no remote activity, no child workflow, nothing else between it and its reply.
 */
export function createCaseActivities(
  deps: CaseActivityDeps,
): Pick<CaseActivities, 'calendarTape' | 'commitStep' | 'commitCase'> {
  const engine = deps.deadlines;
  async function commitCase({ snapshot, notices }: CommitCaseInput): Promise<CommitCaseResult> {
    const planned = notices.map((req) => ({
      key: req.key,
      rows: planOutboxRows(req, deps.directory, deps.channels, deps.log, deps.env),
    }));
    const { noticeRows, ...recorded } = await deps.store.commitCase(snapshot, planned);
    // The drainer sends the rows and reports those written undeliverable, outside this workflow task.
    if (notices.length) deps.onNotices?.();
    return { ...recorded, noticeRows: noticeRows.length };
  }
  /** Runs the step on the input's copy of the case with the engine, writing every calendar answer on a tape. */
  function runCopy({ state, now, options, step }: CommitStepInput) {
    const tape: TapeEntry[] = [];
    const calendar = recordingCalendar(
      {
        deadlines: (requests) => requests.map((r) => engine.compute(r)),
        nextEscalationAt: (after, n) => engine.nextEscalationAt(after, n).at,
        workingMoment: (at) => engine.workingMoment(at).at,
      },
      tape,
    );
    // The registry holds the case as it was before the step (every change is committed before the next step).
    const recorded = recordedOf(state);
    const machine = new CaseMachine(state, { now: () => now, ...calendar }, options);
    let changed = false;
    try {
      changed = runStep(machine, step);
    } catch {
      // A refusal is the workflow's to report: the tape up to it is what the workflow's run will ask.
    }
    return { tape, machine, changed, recorded };
  }

  return {
    commitCase,

    async calendarTape(input: CommitStepInput): Promise<TapeEntry[]> {
      return runCopy(input).tape;
    },

    async commitStep(input: CommitStepInput): Promise<CommitStepResult> {
      const copy = runCopy(input);
      if (!copy.changed) return { tape: copy.tape, committed: false };
      const { machine, recorded } = copy;
      const delta = changeSince(machine.state, recorded);
      await commitCase({
        snapshot: { state: { ...machine.state, ...delta }, timelineFrom: recorded.timelineFrom },
        notices: machine.takeNotices(),
      });
      return { tape: copy.tape, committed: true, fingerprint: fingerprint(machine.state) };
    },
  };
}
