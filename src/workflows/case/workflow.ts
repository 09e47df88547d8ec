import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { sendNotice } from '../notifications/send';
import { Exclusive } from '../shared/exclusive';
import { notFoundFailure, refusedFailure } from '../shared/failures';
import { invalidCommand } from '../shared/invalid';
import type { CaseActivities } from './activities';
import { CaseMachine, CaseRejection, initialState, type CasePorts } from './machine';
import { applyEventUpdate, caseStateQuery, registeredUpdate, type CaseWorkflowInput } from './messages';
import { caseEventSchema } from './schemas';
import { CaseStageKey, MajorCaseKey, NextDueAtKey, OverdueCountKey } from './search-attributes';
import type { CaseState } from './types';

// Calendar look-ups are quick and pure: short timeouts, retried until the worker has them.
const calendar = proxyActivities<CaseActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// The registry is the bureau's file of record: keep retrying through a database outage.
const registry = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes' },
});

const DEFAULT_MAX_HISTORY_EVENTS = 20_000;

/**
 * One administrative-litigation case, from registration to closing (武政办〔2023〕47号). A single timer loop sleeps
 * until the next reminder, due instant or escalation; every command arrives as a validated update.
 */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseState> {
  const state: CaseState = input.carried ?? initialState(input.registration, input.leaderId, new Date().toISOString());
  const ports: CasePorts = {
    now: () => new Date().toISOString(),
    deadlines: (requests) => calendar.computeDeadlines(requests),
    nextEscalationAt: async (after, n) => (await calendar.nextEscalationAt(after, n)).at,
    // Recomputing from the same trigger under the current calendar is the re-projection: the machine compares.
    reproject: async (requests) => {
      const results = await calendar.computeDeadlines(requests.map((r) => r.request));
      return results.map((deadline, i) => ({ dutyId: requests[i]!.dutyId, deadline }));
    },
    notify: (request) => sendNotice(request),
  };
  const machine = new CaseMachine(state, ports, input.options);

  const lock = new Exclusive();
  let registered = !!input.carried;

  setHandler(caseStateQuery, () => state);
  setHandler(registeredUpdate, async () => {
    await condition(() => registered);
    return state;
  });
  setHandler(
    applyEventUpdate,
    async ({ event, actor }) => {
      await condition(() => registered);
      return lock.run(async () => {
        if (!machine.canAct(actor)) throw notFoundFailure('case not found');
        try {
          await machine.apply(caseEventSchema.parse(event), actor);
        } catch (err) {
          // The state may have changed while this command queued behind another: rejections stay rejections.
          if (err instanceof CaseRejection) throw refusedFailure(err.message);
          throw err;
        }
        await afterChange();
        return state;
      });
    },
    {
      // 👉 A validator rejects before anything is written to history: a refused command changes nothing.
      validator: ({ event, actor }) => {
        const parsed = caseEventSchema.safeParse(event);
        if (!parsed.success) throw invalidCommand(parsed.error);
        // A foreign case must look like a missing one: the caller learns nothing about it.
        if (!machine.canAct(actor)) throw notFoundFailure('case not found');
        const reason = machine.rejectReason(parsed.data, actor);
        if (reason) throw refusedFailure(reason);
      },
    },
  );

  let recordedTimeline = input.carried ? state.seq.timeline + 1 : 1;
  let lastAttributes = '';
  const recordedDuties: Record<string, string> = {};
  async function afterChange(): Promise<void> {
    const attrs = {
      stage: state.stage,
      next: machine.nextDueAt(),
      overdue: machine.overdueCount(),
      major: state.major,
    };
    const key = JSON.stringify(attrs);
    if (key !== lastAttributes) {
      lastAttributes = key;
      upsertSearchAttributes([
        { key: CaseStageKey, value: attrs.stage },
        { key: NextDueAtKey, value: attrs.next ? new Date(attrs.next) : null },
        { key: OverdueCountKey, value: attrs.overdue },
        { key: MajorCaseKey, value: attrs.major },
      ]);
    }
    setCurrentDetails(machine.currentDetails());
    // 👉 Only what changed goes to the registry (it upserts by id): a year of weekly reports must not copy every
    // duty and timeline entry into history again at each step.
    const duties = state.duties.filter((d) => {
      const json = JSON.stringify(d);
      if (recordedDuties[d.id] === json) return false;
      recordedDuties[d.id] = json;
      return true;
    });
    const timeline = state.timeline.filter((e) => e.seq >= recordedTimeline);
    await registry.recordCase({ state: { ...state, duties, timeline }, timelineFrom: recordedTimeline });
    recordedTimeline = state.seq.timeline + 1;
  }

  if (!input.carried) {
    await lock.run(async () => {
      await machine.register(input.registration, input.registeredBy);
      await afterChange();
    });
    registered = true;
  } else {
    await afterChange();
  }

  const maxEvents = input.options?.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const closed = () => state.stage === 'closed';
  while (!closed()) {
    const wake = machine.nextWakeUp();
    lock.changed = false;
    if (wake) {
      const ms = Math.max(Date.parse(wake.at) - Date.now(), 1);
      await condition(() => lock.changed || closed(), ms, { summary: wake.label });
    } else {
      await condition(() => lock.changed || closed());
    }
    if (closed()) break;
    await lock.run(async () => {
      if (await machine.tick()) await afterChange();
    });
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > maxEvents) {
      // 👉 Let in-flight updates answer their callers before the history is cut.
      await condition(() => allHandlersFinished() && !lock.busy);
      await continueAsNew<typeof caseWorkflow>({ ...input, carried: state });
    }
  }
  await condition(allHandlersFinished);
  return state;
}
