import {
  ApplicationFailure,
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
import { commandClaimProblem } from '../shared/actor-claims';
import { Exclusive } from '../shared/exclusive';
import { notFoundFailure, refusedFailure } from '../shared/failures';
import { invalidCommand } from '../shared/invalid';
import type { CaseActivities } from './activities';
import { CaseMachine, CaseRejection, initialState, type CasePorts } from './machine';
import {
  applyEventUpdate,
  caseStateQuery,
  registeredUpdate,
  type CaseCommand,
  type CaseWorkflowInput,
} from './messages';
import { caseEventSchema } from './schemas';
import {
  AgencyIdKey,
  CaseIdKey,
  CaseStageKey,
  EnforcementFieldKey,
  LeaderIdKey,
  MajorCaseKey,
  NextDueAtKey,
  OverdueCountKey,
} from './search-attributes';
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
  // Started through the API, or not at all: a fresh run (a registration, or a closed case reopened) carries the API's
  // claim; a run continued as new was started by this workflow itself. Checked once: a replay already passed it.
  if (!workflowInfo().continuedFromExecutionRunId && !workflowInfo().unsafe.isReplaying) {
    const problem = input.carried
      ? commandClaimProblem(
          {
            event: { carried: input.carried, reopen: input.reopen?.event },
            actor: input.reopen?.actor ?? '',
            claim: input.claim,
          },
          input.carried.caseId,
        )
      : commandClaimProblem(
          { event: input.registration, actor: input.registeredBy, claim: input.claim },
          input.registration.caseId,
        );
    if (problem) throw ApplicationFailure.nonRetryable(`start refused: ${problem}`, 'ActorClaimRefused');
  }
  const state: CaseState =
    input.carried ??
    initialState(
      input.registration,
      { leaderId: input.leaderId, agencyName: input.agencyName, leaderName: input.leaderName },
      new Date().toISOString(),
    );
  const ports: CasePorts = {
    now: () => new Date().toISOString(),
    deadlines: (requests) => calendar.computeDeadlines(requests),
    nextEscalationAt: async (after, n) => (await calendar.nextEscalationAt(after, n)).at,
    workingMoment: async (at) => (await calendar.workingMoment(at)).at,
    // Recomputing from the same trigger under the current calendar is the re-projection: the machine compares.
    reproject: async (requests) => {
      const results = await calendar.computeDeadlines(requests.map((r) => r.request));
      return results.map((deadline, i) => ({ dutyId: requests[i]!.dutyId, deadline }));
    },
    notify: (request) => sendNotice(request),
  };
  const machine = new CaseMachine(state, ports, input.options);

  const lock = new Exclusive();
  // A carried state is registered already, unless a closed case is being reopened by a command still to apply.
  let registered = !!input.carried && !input.reopen;
  /** Why registration (or the reopening command) was refused: the registered update answers with it. */
  let refusal: ApplicationFailure | undefined;

  setHandler(caseStateQuery, () => state);
  setHandler(registeredUpdate, async () => {
    await condition(() => registered || !!refusal);
    if (refusal) throw refusal;
    return state;
  });

  /** Applies one command whole (or not at all), then records it. Throws the command's failure on a refusal. */
  async function command({ event, actor, person, resolved }: CaseCommand): Promise<CaseState> {
    return lock.run(async () => {
      if (!machine.canAct(actor)) throw notFoundFailure('未找到该案件');
      try {
        await machine.apply(caseEventSchema.parse(event), actor, { person, resolved });
      } catch (err) {
        // The state may have changed while this command queued behind another: rejections stay rejections.
        if (err instanceof CaseRejection) throw refusedFailure(err.message, err.code);
        throw err;
      }
      await afterChange();
      return state;
    });
  }

  setHandler(
    applyEventUpdate,
    async (cmd) => {
      await condition(() => registered);
      return command(cmd);
    },
    {
      // 👉 A validator rejects before anything is written to history: a refused command changes nothing.
      validator: (cmd) => {
        const { event, actor, person, resolved } = cmd;
        // The actor is the API's word: a command without a valid claim looks like one on a missing case.
        if (commandClaimProblem(cmd, state.caseId)) throw notFoundFailure('未找到该案件');
        const parsed = caseEventSchema.safeParse(event);
        if (!parsed.success) throw invalidCommand(parsed.error);
        // A foreign case must look like a missing one: the caller learns nothing about it.
        if (!machine.canAct(actor)) throw notFoundFailure('未找到该案件');
        const rejection = machine.rejectReason(parsed.data, actor, { person, resolved });
        if (rejection) throw refusedFailure(rejection.message, rejection.code);
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
      agency: state.agencyId,
      leader: state.leaderId,
      field: state.field,
    };
    const key = JSON.stringify(attrs);
    if (key !== lastAttributes) {
      lastAttributes = key;
      // An amendment may move the case to another agency and leader: visibility follows.
      upsertSearchAttributes([
        { key: CaseIdKey, value: state.caseId },
        { key: AgencyIdKey, value: attrs.agency },
        { key: LeaderIdKey, value: attrs.leader },
        { key: EnforcementFieldKey, value: attrs.field },
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
    try {
      await lock.run(async () => {
        await machine.register(input.registration, input.registeredBy);
        await afterChange();
      });
    } catch (err) {
      if (!(err instanceof CaseRejection)) throw err;
      // Nothing was recorded: the run fails with the refusal, so the service may register the id again.
      refusal = refusedFailure(err.message, err.code);
      await condition(allHandlersFinished);
      throw refusal;
    }
    registered = true;
  } else if (input.reopen) {
    // A closed case reopened (a post-judgment entrustment letter): the command goes first, through its handler.
    try {
      await command(input.reopen);
    } catch (err) {
      if (!(err instanceof ApplicationFailure)) throw err;
      // Refused: the run ends with the closed case exactly as it was carried.
      refusal = err;
      await condition(allHandlersFinished);
      return state;
    }
    registered = true;
  } else {
    // Under the lock: a command arriving while the carried state is first recorded must not have its entries skipped.
    await lock.run(afterChange);
  }

  const maxEvents = input.options?.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const closed = () => state.stage === 'closed' || state.stage === 'voided';
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
      const { reopen: _done, ...rest } = input;
      await continueAsNew<typeof caseWorkflow>({ ...rest, carried: state });
    }
  }
  await condition(allHandlersFinished);
  return state;
}
