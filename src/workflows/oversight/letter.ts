import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from '../../activities';
import type { NoticeKind, NoticeRequest, RecipientRef } from '../../notifications/types';
import { sendNotice } from '../notifications/send';
import { Exclusive } from '../shared/exclusive';
import { daysBetween, isoMs, shanghaiDate } from '../case/time';
import {
  acknowledgeLetterSchema,
  acknowledgeLetterUpdate,
  answerLetterSchema,
  answerLetterUpdate,
  letterStateQuery,
  reminderLetterWorkflowId,
  type LetterCommand,
  type ReminderLetterInput,
  type ReminderLetterState,
} from './messages';

type Acts = ReturnType<typeof activities.createActivities>;

const calendar = proxyActivities<Acts>({ startToCloseTimeout: '10 seconds', retry: { initialInterval: '1 second', maximumInterval: '1 minute' } });
// The registry is the file of record the next report reads: keep retrying through a database outage.
const registry = proxyActivities<Acts>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes' } });

function initialState(input: ReminderLetterInput): ReminderLetterState {
  const d = input.deadline;
  return {
    letterId: input.letterId,
    year: input.year,
    quarter: input.quarter,
    agencyId: input.agencyId,
    agencyName: input.agencyName,
    leaderId: input.leaderId,
    issuedAt: input.issuedAt,
    breaches: input.breaches,
    letter: input.letter,
    status: 'issued',
    duty: {
      id: 'answer',
      ruleId: 'reminder-letter-answer',
      title: d.title,
      owner: `agency:${input.agencyId}`,
      dueDate: d.dueDate,
      dueAt: d.dueAt,
      provisional: d.provisional,
      basis: d.basis,
      reminders: d.reminders,
      remindersSent: 0,
      status: 'open',
      createdAt: input.issuedAt,
      escalations: 0,
      from: d.from,
    },
    seq: { notice: 0 },
  };
}

/** Why a command is refused in this state; undefined when it may go ahead. */
function rejection(state: ReminderLetterState, kind: 'acknowledge' | 'answer'): string | undefined {
  if (state.status === 'answered') return '该《工作提醒函》已反馈整改措施，不再接受 (the letter is answered)';
  if (kind === 'acknowledge' && state.acknowledged) return '该《工作提醒函》已签收 (already acknowledged)';
  return undefined;
}

const issuesOf = (e: { issues: { path: PropertyKey[]; message: string }[] }) => e.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');

/**
 * One 《工作提醒函》 (section 五): sent to the agency with its leader and the bureau copied; the agency acknowledges it
 * and answers with rectification measures within the answer period, reminded before and escalated (leader + bureau)
 * after, every few working days, until it answers. Every change is filed in the registry for the next report.
 */
export async function reminderLetterWorkflow(input: ReminderLetterInput, carried?: ReminderLetterState): Promise<ReminderLetterState> {
  const state: ReminderLetterState = carried ?? initialState(input);
  const caseKey = reminderLetterWorkflowId(state.letterId);
  const agency: RecipientRef = `agency:${state.agencyId}`;
  const escalateTo: RecipientRef[] = [agency, `leader:${state.leaderId}`, 'bureau'];
  const lock = new Exclusive();

  const now = () => new Date().toISOString();
  const details = () =>
    setCurrentDetails(
      [
        `《工作提醒函》${state.letterId}（${state.agencyName}）`,
        `状态：${{ issued: '待签收', acknowledged: '已签收，待反馈整改措施', answered: '已反馈整改措施' }[state.status]}`,
        `反馈期限：${state.duty.dueDate}${state.duty.status === 'overdue' ? `（已逾期，已督办 ${state.duty.escalations} 次）` : ''}`,
      ].join('\n'),
    );

  async function notify(kind: NoticeKind, recipients: RecipientRef[], facts: Partial<NoticeRequest['facts']>): Promise<void> {
    state.seq.notice += 1;
    await sendNotice({
      key: `${caseKey}/${state.duty.id}/${kind}/${state.seq.notice}`,
      caseId: caseKey,
      dutyId: state.duty.id,
      kind,
      recipients,
      facts: { caseTitle: `《工作提醒函》${state.letterId}`, agencyId: state.agencyId, dutyTitle: state.duty.title, dueDate: state.duty.dueDate, basis: state.duty.basis, ...facts },
      requestedAt: now(),
    });
  }

  async function record(): Promise<void> {
    details();
    await registry.recordReminderLetter.executeWithOptions({ summary: `登记《工作提醒函》${state.letterId}：${state.status}` }, [state]);
  }


  const check = (kind: 'acknowledge' | 'answer', actor: string) => {
    // A letter of another agency looks like a missing one.
    if (actor !== agency) throw ApplicationFailure.create({ type: 'NotYourLetter', message: 'letter not found', nonRetryable: true });
    const reason = rejection(state, kind);
    if (reason) throw ApplicationFailure.create({ type: 'LetterRejection', message: reason, nonRetryable: true });
  };

  setHandler(letterStateQuery, () => state);
  setHandler(
    acknowledgeLetterUpdate,
    (cmd: LetterCommand<unknown>) =>
      lock.run(async () => {
        check('acknowledge', cmd.actor);
        const body = acknowledgeLetterSchema.parse(cmd.body);
        state.acknowledged = { at: now(), by: cmd.actor, ...(body.note ? { note: body.note } : {}) };
        state.status = 'acknowledged';
        await record();
        return state;
      }),
    {
      // 👉 A validator rejects before anything reaches history: a refused command changes nothing.
      validator: (cmd: LetterCommand<unknown>) => {
        const parsed = acknowledgeLetterSchema.safeParse(cmd.body ?? {});
        if (!parsed.success) throw ApplicationFailure.create({ type: 'InvalidCommand', message: issuesOf(parsed.error), nonRetryable: true });
        check('acknowledge', cmd.actor);
      },
    },
  );
  setHandler(
    answerLetterUpdate,
    (cmd: LetterCommand<unknown>) =>
      lock.run(async () => {
        check('answer', cmd.actor);
        const body = answerLetterSchema.parse(cmd.body);
        const at = now();
        state.acknowledged ??= { at, by: cmd.actor };
        state.answer = { at, by: cmd.actor, measures: body.measures };
        state.status = 'answered';
        const late = daysBetween(state.duty.dueDate, shanghaiDate(at));
        state.duty = { ...state.duty, status: 'done', doneAt: at, doneBy: cmd.actor, ...(late > 0 ? { lateDays: late } : {}) };
        delete state.duty.nextEscalationAt;
        await record();
        await notify('report', ['bureau', `leader:${state.leaderId}`], { detail: `${state.agencyName}已反馈整改措施：${body.measures.slice(0, 200)}` });
        return state;
      }),
    {
      validator: (cmd: LetterCommand<unknown>) => {
        const parsed = answerLetterSchema.safeParse(cmd.body ?? {});
        if (!parsed.success) throw ApplicationFailure.create({ type: 'InvalidCommand', message: issuesOf(parsed.error), nonRetryable: true });
        check('answer', cmd.actor);
      },
    },
  );

  if (!carried) {
    await lock.run(async () => {
      await record();
      await notify('work-reminder-letter', [agency, `leader:${state.leaderId}`, 'bureau'], {
        detail: `${state.breaches.map((b) => `${b.text}（${b.caseIds.join('、')}）`).join('；')}。全文、签收及反馈整改措施：/api/reports/letters/${state.letterId}`,
      });
    });
  }

  /** Acts on what is due: the latest passed reminder, the lapse (escalation), a repeated escalation. */
  async function tick(): Promise<void> {
    const d = state.duty;
    const t = now();
    const nowMs = isoMs(t);
    if (d.status === 'open' && isoMs(d.dueAt) <= nowMs) {
      d.status = 'overdue';
      d.overdueSince = d.dueAt;
      d.remindersSent = d.reminders.length;
      d.escalations = 1;
      d.nextEscalationAt = (await calendar.nextEscalationAt(t, input.escalationEveryWorkingDays)).at;
      await notify('escalation', escalateTo, { daysLate: Math.max(daysBetween(d.dueDate, shanghaiDate(t)), 0), escalationNumber: 1 });
      await record();
    } else if (d.status === 'open') {
      let passed = d.remindersSent;
      while (passed < d.reminders.length && isoMs(d.reminders[passed]!) <= nowMs) passed++;
      if (passed > d.remindersSent) {
        d.remindersSent = passed;
        await notify('reminder', [agency], {});
      }
    } else if (d.status === 'overdue' && d.nextEscalationAt && isoMs(d.nextEscalationAt) <= nowMs) {
      d.escalations += 1;
      d.nextEscalationAt = (await calendar.nextEscalationAt(t, input.escalationEveryWorkingDays)).at;
      await notify('repeated-escalation', escalateTo, { daysLate: Math.max(daysBetween(d.dueDate, shanghaiDate(t)), 0), escalationNumber: d.escalations });
      await record();
    }
  }

  const wakeAt = (): string | undefined => {
    const d = state.duty;
    if (d.status === 'open') return d.reminders[d.remindersSent] ?? d.dueAt;
    if (d.status === 'overdue') return d.nextEscalationAt;
    return undefined;
  };

  const answered = () => state.status === 'answered';
  while (!answered()) {
    const at = wakeAt();
    lock.changed = false;
    if (at) {
      await condition(() => lock.changed || answered(), Math.max(isoMs(at) - Date.now(), 1), {
        summary: state.duty.status === 'overdue' ? `再次督办 ${state.letterId}` : `提醒或到期 ${state.letterId}`,
      });
    } else {
      await condition(() => lock.changed || answered());
    }
    if (answered()) break;
    await lock.run(tick);
    if (workflowInfo().continueAsNewSuggested) {
      // 👉 Let in-flight updates answer their callers before the history is cut.
      await condition(() => allHandlersFinished() && !lock.busy);
      await continueAsNew<typeof reminderLetterWorkflow>(input, state);
    }
  }
  await condition(allHandlersFinished);
  return state;
}
