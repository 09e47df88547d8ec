import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  TemporalFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { commandClaimProblem } from '../shared/actor-claims';
import { Exclusive } from '../shared/exclusive';
import { notFoundFailure, refusedFailure } from '../shared/failures';
import { invalidCommand } from '../shared/invalid';
import type { CaseActivities, CommitCaseInput, CommitStepInput, CommitStepResult } from './activities';
import {
  CALENDAR_MISS,
  CalendarMiss,
  tapedCalendar,
  type CalendarCall,
  type CalendarPorts,
  type TapeEntry,
} from './calendar-tape';
import { CaseMachine, CaseRejection, initialState } from './machine';
import {
  applyEventUpdate,
  caseStateQuery,
  registeredUpdate,
  type CaseCommand,
  type CaseWorkflowInput,
} from './messages';
import { parseCaseEvent } from './event-check';
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
import { changeSince, fingerprint, recordedOf, runStep, type CaseStep } from './steps';
import type { CaseState } from './types';

// 👉 Both run as local activities, inside the workflow task that runs the step: a command is one workflow task, and
// its reply waits on no other round trip to the server. Their results are recorded in history as markers.
// Calendar answers are quick and pure: short attempts, retried until the worker has them.
const calendar = proxyLocalActivities<CaseActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// The registry is the bureau's file of record. Each attempt to write it is a local activity given a few seconds; while
// the registry is down the workflow waits on its own timer between attempts (10 s doubling to 5 min), so an outage
// holds no workflow task open and a step still happens on time (a duty lapses at its due instant, database or not).
const registry = proxyLocalActivities<CaseActivities>({
  startToCloseTimeout: '10 seconds',
  // Bounded by attempts, not by a schedule-to-close time: a test server that skips time holds the workflow's clock.
  retry: { initialInterval: '500 milliseconds', maximumAttempts: 3 },
});
const REGISTRY_BACKOFF_MS = { first: 10_000, max: 5 * 60_000 };

/**
 * A question the tape did not foresee, asked on its own and kept as an answer looked up by question (never expected:
 * the copy that made the tape runs the same code; a defect is logged and the step still happens).
 */
async function askCalendar(call: CalendarCall): Promise<TapeEntry> {
  const key = JSON.stringify(call);
  switch (call.op) {
    case 'deadlines':
      return { call: key, value: await calendar.computeDeadlines(call.requests) };
    case 'nextEscalationAt':
      return { call: key, value: (await calendar.nextEscalationAt(call.after, call.workingDays)).at };
    case 'workingMoment':
      return { call: key, value: (await calendar.workingMoment(call.at)).at };
  }
}
/** The step run on a copy by one local activity: its tape, and its change committed when the registry answers. */
function copyOf(stepInput: CommitStepInput): Promise<CommitStepResult> {
  return registry.commitStep
    .executeWithOptions({ summary: '计算期限并登记' }, [stepInput])
    .catch((failure: unknown) => {
      // A local activity that gave up fails with its cause (an ApplicationFailure), not wrapped in an ActivityFailure.
      if (!(failure instanceof TemporalFailure)) throw failure;
      // The registry is not answering: the step happens now on the calendar alone, and commits when it can.
      return calendar.calendarTape
        .executeWithOptions({ summary: '计算期限' }, [stepInput])
        .then((tape): CommitStepResult => ({ tape, committed: false }));
    });
}

/** Questions a tape may miss before the step is given up as a defect (each answered by its own local activity). */
const MAX_UNFORESEEN = 16;

/** Before a step has its tape: any question means the step needs one. */
const probe: CalendarPorts = tapedCalendar([], () => {
  throw CALENDAR_MISS;
});
const unforeseen = (call: CalendarCall): never => {
  throw new CalendarMiss(call);
};

const DEFAULT_MAX_HISTORY_EVENTS = 20_000;

/** A step run on its tape: whether the case changed, and how many questions the tape missed. */
interface TapeRun {
  changed: boolean;
  lookedUp: number;
}

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
  // A step happens at one instant (its tape is computed for it); between steps the workflow's clock runs on.
  let pinnedNow: string | undefined;
  let cal: CalendarPorts = probe;
  const machine = new CaseMachine(
    state,
    {
      now: () => pinnedNow ?? new Date().toISOString(),
      deadlines: (requests) => cal.deadlines(requests),
      nextEscalationAt: (after, n) => cal.nextEscalationAt(after, n),
      workingMoment: (at) => cal.workingMoment(at),
      reproject: (requests) => cal.reproject(requests),
    },
    input.options,
  );

  // What the registry holds of the case: the baseline of the next commit (a carried state was committed by the run
  // that carried it). 👉 Only what changed goes to the registry: a year of weekly reports must not copy every duty
  // and timeline entry into history again at each step.
  let recorded = input.carried ? recordedOf(state) : { duties: {}, timelineFrom: 1 };
  /** Once a change is committed: the registry's baseline moves on; answers that the case changed. */
  const committed = (): boolean => {
    recorded = recordedOf(state);
    return true;
  };

  /**
   * Runs the step on the tape. A question the tape did not foresee is answered on its own and the step runs again (the
   * machine has put the state back); answers how many were looked up that way. Synchronous unless a question was
   * missed (never expected), so the common path creates no promise.
   */
  function runOnTape(
    step: CaseStep,
    tape: TapeEntry[],
    extra = new Map<string, TapeEntry>(),
  ): TapeRun | Promise<TapeRun> {
    cal = tapedCalendar(tape, unforeseen, extra);
    try {
      return { changed: runStep(machine, step), lookedUp: extra.size };
    } catch (miss) {
      if (!(miss instanceof CalendarMiss) || !miss.call || extra.size >= MAX_UNFORESEEN) throw miss;
      log.error('case step asked the calendar what its tape did not foresee', { step: step.op, op: miss.call.op });
      return askCalendar(miss.call).then((entry) => {
        extra.set(entry.call, entry);
        return runOnTape(step, tape, extra);
      });
    }
  }

  /**
   * Runs a step whole and commits its change with its notices, in the workflow task that runs it. First without a
   * calendar (most commands ask it nothing) and then one commit; when the step asks the calendar, the machine undoes
   * it and one local activity runs it on a copy, commits that copy's change and answers the calendar's tape, and the
   * step runs again on the tape. Either way one local activity per change. Answers whether the case changed.
   *
   * 👉 Written without `async` on the common path: the SDK records a stack trace for every promise a workflow creates
   * (Temporal UI's stack-trace view), so a command that asks no calendar is one chain of `then`s.
   */
  function perform(step: CaseStep): Promise<boolean> {
    pinnedNow = new Date().toISOString();
    cal = probe;
    let changed: boolean;
    try {
      changed = runStep(machine, step);
    } catch (err) {
      pinnedNow = undefined;
      if (!(err instanceof CalendarMiss)) throw err;
      return performOnTape(step);
    }
    pinnedNow = undefined;
    if (!changed) return Promise.resolve(false);
    publish();
    return commit();
  }

  /**
   * The step that asks the calendar (every registration): run on a copy by one local activity (which commits it), then
   * on its tape. A chain of `then`s like `perform`, for the same reason.
   */
  function performOnTape(step: CaseStep): Promise<boolean> {
    pinnedNow = new Date().toISOString();
    const settle = (): void => {
      pinnedNow = undefined;
      cal = probe;
    };
    const fail = (err: unknown): never => {
      settle();
      throw err;
    };
    // The copy ran the same code from the same state at the same instant: a different result is a defect, and the
    // workflow's own state is then committed over it.
    const onTape = (copy: CommitStepResult, run: TapeRun): boolean | Promise<boolean> => {
      const done = copy.committed && run.lookedUp === 0 && copy.fingerprint === fingerprint(state);
      if (copy.committed && !done) log.error('case step diverged from its committed copy', { step: step.op });
      settle();
      if (!run.changed) return false;
      publish();
      if (!done) return commit();
      machine.takeNotices();
      return committed();
    };
    return copyOf({ state, now: pinnedNow, ...(input.options ? { options: input.options } : {}), step }).then(
      (copy) => {
        let run: TapeRun | Promise<TapeRun>;
        try {
          run = runOnTape(step, copy.tape);
        } catch (err) {
          return fail(err);
        }
        return 'then' in run ? run.then((r) => onTape(copy, r), fail) : onTape(copy, run);
      },
      fail,
    );
  }

  const lock = new Exclusive();
  // A carried state is registered already, unless a closed case is being reopened by a command still to apply.
  let registered = !!input.carried && !input.reopen;
  /** Why registration (or the reopening command) was refused: the registered update answers with it. */
  let refusal: ApplicationFailure | undefined;
  /** Settles once registration (or the reopening command) is done, either way: the updates that wait for it go on. */
  let registrationSettled = (): void => undefined;
  const registration = registered
    ? undefined
    : new Promise<void>((resolve) => {
        registrationSettled = resolve;
      });
  /** Once registration is done: `then`, or the refusal. */
  const afterRegistration = <T>(then: () => T | Promise<T>): T | Promise<T> => {
    if (refusal) throw refusal;
    if (registered || !registration) return then();
    return registration.then(() => {
      if (refusal) throw refusal;
      return then();
    });
  };

  setHandler(caseStateQuery, () => state);
  setHandler(registeredUpdate, () => afterRegistration(() => state));

  /** A refusal found while the command ran (the state may have changed while it queued): it stays a refusal. */
  const asRefusal = (err: unknown): unknown =>
    err instanceof CaseRejection ? refusedFailure(err.message, err.code) : err;

  /** Applies one command whole (or not at all), then records it. Rejects with the command's failure on a refusal. */
  function command({ event, actor, person, resolved }: CaseCommand): Promise<CaseState> {
    return lock.run(() => {
      if (!machine.canAct(actor)) throw notFoundFailure('未找到该案件');
      // The event as the validator accepted it (text trimmed, defaults filled): parsed again, since a replay runs no
      // validator.
      const parsed = parseCaseEvent(event);
      if (!parsed.success) throw invalidCommand(parsed.issues);
      let done: Promise<boolean>;
      try {
        done = perform({ op: 'apply', event: parsed.data, actor, command: { person, resolved } });
      } catch (err) {
        throw asRefusal(err);
      }
      return done.then(
        () => state,
        (err: unknown) => {
          throw asRefusal(err);
        },
      );
    });
  }

  setHandler(
    applyEventUpdate,
    // A command that arrives with its registration (in the same task) waits for it.
    (cmd) => afterRegistration(() => command(cmd)),
    {
      // 👉 A validator rejects before anything is written to history: a refused command changes nothing.
      validator: (cmd) => {
        const { event, actor, person, resolved } = cmd;
        // The actor is the API's word: a command without a valid claim looks like one on a missing case.
        if (commandClaimProblem(cmd, state.caseId)) throw notFoundFailure('未找到该案件');
        const parsed = parseCaseEvent(event);
        if (!parsed.success) throw invalidCommand(parsed.issues);
        // A foreign case must look like a missing one: the caller learns nothing about it.
        if (!machine.canAct(actor)) throw notFoundFailure('未找到该案件');
        const rejection = machine.rejectReason(parsed.data, actor, { person, resolved });
        if (rejection) throw refusedFailure(rejection.message, rejection.code);
      },
    },
  );

  let lastAttributes = '';
  /** Visibility and current details, for Temporal UI and the case list. */
  function publish(): void {
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
  }

  /**
   * The change since the last commit and its notices, in one registry transaction; retried until it is written, then
   * `committed`.
   */
  function commit(): Promise<boolean> {
    const notices = machine.takeNotices();
    const change = {
      snapshot: { state: { ...state, ...changeSince(state, recorded) }, timelineFrom: recorded.timelineFrom },
      notices,
    };
    const summary = notices.length ? `登记并通知（${notices.length}）` : '登记';
    return registry.commitCase
      .executeWithOptions({ summary }, [change])
      .then(committed, (failure: unknown) => commitAfterOutage(failure, change, summary).then(committed));
  }

  /** While the registry is not answering: the workflow's own timer between attempts (10 s doubling to 5 min). */
  async function commitAfterOutage(failure: unknown, change: CommitCaseInput, summary: string): Promise<void> {
    for (let wait = REGISTRY_BACKOFF_MS.first; ; wait = Math.min(wait * 2, REGISTRY_BACKOFF_MS.max)) {
      if (!(failure instanceof TemporalFailure)) throw failure;
      log.warn('registry unavailable: the change waits to be committed', { retryInMs: wait });
      await sleep(wait, { summary: '等待登记簿恢复' });
      try {
        await registry.commitCase.executeWithOptions({ summary }, [change]);
        return;
      } catch (err) {
        failure = err;
      }
    }
  }

  if (!input.carried) {
    try {
      await lock.run(() => perform({ op: 'register', registration: input.registration, actor: input.registeredBy }));
    } catch (err) {
      if (!(err instanceof CaseRejection)) throw err;
      // Nothing was recorded: the run fails with the refusal, so the service may register the id again.
      refusal = refusedFailure(err.message, err.code);
      registrationSettled();
      await condition(allHandlersFinished);
      throw refusal;
    }
    registered = true;
    registrationSettled();
  } else if (input.reopen) {
    // A closed case reopened (a post-judgment entrustment letter): the command goes first, through its handler.
    try {
      await command(input.reopen);
    } catch (err) {
      if (!(err instanceof ApplicationFailure)) throw err;
      // Refused: the run ends with the closed case exactly as it was carried.
      refusal = err;
      registrationSettled();
      await condition(allHandlersFinished);
      return state;
    }
    registered = true;
    registrationSettled();
  } else {
    // Continued as new: Temporal UI shows the case's details from the first task of the new run.
    publish();
  }

  const maxEvents = input.options?.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const closed = () => state.stage === 'closed' || state.stage === 'voided';
  // 👉 One timer for the next wake-up, kept while that instant stands: a command that does not move it costs no timer.
  let timer: { at: string; scope: CancellationScope; fired: boolean } | undefined;
  // The loop waits on a promise that the lock (after every command or tick) and the timer resolve: it wakes in the
  // same pass as the command that woke it, where `condition` would cost a promise chain and another pass over the
  // workflow's conditions on every command. A cancellation request ends the run as a cancelled `condition` would.
  let resume: (() => void) | undefined;
  let cancelled: unknown;
  const wakeLoop = () => {
    const r = resume;
    resume = undefined;
    r?.();
  };
  lock.onChange = wakeLoop;
  CancellationScope.current().cancelRequested.catch((err: unknown) => {
    cancelled = err;
    wakeLoop();
  });
  while (!closed()) {
    const wake = machine.nextWakeUp();
    if (timer && (timer.fired || timer.at !== wake?.at)) {
      if (!timer.fired) timer.scope.cancel();
      timer = undefined;
    }
    if (wake && !timer) {
      const t = { at: wake.at, scope: new CancellationScope(), fired: false };
      const ms = Math.max(Date.parse(wake.at) - Date.now(), 1);
      void t.scope
        .run(() => sleep(ms, { summary: wake.label }))
        .then(
          () => {
            t.fired = true;
            wakeLoop();
          },
          (err: unknown) => {
            if (!isCancellation(err)) throw err;
          },
        );
      timer = t;
    }
    await new Promise<void>((r) => {
      resume = r;
    });
    if (cancelled) throw cancelled;
    if (closed()) break;
    // A command ran its own tick (machine.command): only the timer's instant brings the loop's work.
    if (timer?.fired) await lock.run(() => perform({ op: 'tick' }));
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
