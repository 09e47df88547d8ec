import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { isoMs } from '../../time/shanghai';
import { sendNotice } from '../notifications/send';
import { Exclusive } from '../shared/exclusive';
import { notFoundFailure, refusedFailure } from '../shared/failures';
import type { OversightActivities } from './activities';
import { acknowledgeBody, answerBody } from './letter-check';
import {
  acknowledgeLetter,
  answeredNotice,
  answerLetter,
  applyLetterTick,
  initialLetterState,
  isAddressee,
  issueNotice,
  letterDetails,
  letterNotice,
  letterRefusal,
  letterTickAt,
  letterWakeUp,
  type LetterCommandKind,
  type LetterNoticeSpec,
} from './letter-rules';
import {
  acknowledgeLetterUpdate,
  answerLetterUpdate,
  letterStateQuery,
  type LetterCommand,
  type ReminderLetterInput,
  type ReminderLetterState,
} from './messages';

const calendar = proxyActivities<OversightActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// The registry is the file of record the next report reads: keep retrying through a database outage.
const registry = proxyActivities<OversightActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes' },
});

/**
 * One 《工作提醒函》 (section 五): sent to the agency with its leader and the bureau copied; the agency acknowledges it
 * and answers with rectification measures within the answer period, reminded before and escalated (leader + bureau)
 * after, every few working days, until it answers. Every change is filed in the registry for the next report.
 */
export async function reminderLetterWorkflow(
  input: ReminderLetterInput,
  carried?: ReminderLetterState,
): Promise<ReminderLetterState> {
  const state: ReminderLetterState = carried ?? initialLetterState(input);
  const lock = new Exclusive();
  const now = () => new Date().toISOString();
  // Numbered and timed when sent, in the order sent.
  const notify = (spec: LetterNoticeSpec) => sendNotice(letterNotice(state, spec, now()));

  async function record(): Promise<void> {
    setCurrentDetails(letterDetails(state));
    const summary = `登记《工作提醒函》${state.letterId}：${state.status}`;
    await registry.recordReminderLetter.executeWithOptions({ summary }, [state]);
  }

  const check = (kind: LetterCommandKind, actor: string) => {
    // A letter of another agency looks like a missing one.
    if (!isAddressee(state, actor)) throw notFoundFailure('letter not found');
    const reason = letterRefusal(state, kind);
    if (reason) throw refusedFailure(reason);
  };

  setHandler(letterStateQuery, () => state);
  setHandler(
    acknowledgeLetterUpdate,
    (cmd: LetterCommand<unknown>) =>
      lock.run(async () => {
        check('acknowledge', cmd.actor);
        const body = acknowledgeBody(cmd.body);
        acknowledgeLetter(state, cmd.actor, now(), body.note);
        await record();
        return state;
      }),
    {
      // A validator rejects before anything reaches history: a refused command changes nothing.
      validator: (cmd: LetterCommand<unknown>) => {
        acknowledgeBody(cmd.body);
        check('acknowledge', cmd.actor);
      },
    },
  );
  setHandler(
    answerLetterUpdate,
    (cmd: LetterCommand<unknown>) =>
      lock.run(async () => {
        check('answer', cmd.actor);
        const body = answerBody(cmd.body);
        const at = now();
        answerLetter(state, cmd.actor, at, body.measures);
        await record();
        await notify(answeredNotice(state, body.measures));
        return state;
      }),
    {
      validator: (cmd: LetterCommand<unknown>) => {
        answerBody(cmd.body);
        check('answer', cmd.actor);
      },
    },
  );

  if (!carried) {
    await lock.run(async () => {
      await record();
      await notify(issueNotice(state));
    });
  }

  /** Acts on what is due: the latest passed reminder, the lapse (escalation), a repeated escalation. */
  async function tick(): Promise<void> {
    const t = now();
    const due = letterTickAt(state, t);
    if (!due) return;
    const every = input.escalationEveryWorkingDays;
    const next = due.kind === 'reminder' ? undefined : (await calendar.nextEscalationAt(t, every)).at;
    const { notice, record: file } = applyLetterTick(state, due, t, next);
    await notify(notice);
    if (file) await record();
  }

  const answered = () => state.status === 'answered';
  while (!answered()) {
    const wake = letterWakeUp(state);
    lock.changed = false;
    if (wake) {
      const ms = Math.max(isoMs(wake.at) - Date.now(), 1);
      await condition(() => lock.changed || answered(), ms, { summary: wake.summary });
    } else {
      await condition(() => lock.changed || answered());
    }
    if (answered()) break;
    await lock.run(tick);
    if (workflowInfo().continueAsNewSuggested) {
      // Let in-flight updates answer their callers before the history is cut.
      await condition(() => allHandlersFinished() && !lock.busy);
      await continueAsNew<typeof reminderLetterWorkflow>(input, state);
    }
  }
  await condition(allHandlersFinished);
  return state;
}
