// The rules of one 《工作提醒函》, pure and Temporal-free: its initial state, who may act on it and when, what each
// command changes, and what the timer owes at a given time. letter.ts wires them to updates, timers and activities.
import { relationTo } from '../../access';
import { complete, createDuty, daysLate, dueAction, lapse, nextWakeUp, remind, repeatEscalation } from '../../duties';
import { noticeKey } from '../../notifications/keys';
import type { NoticeKind, NoticeRequest, RecipientRef } from '../../notifications/types';
import { reminderLetterWorkflowId, type ReminderLetterInput, type ReminderLetterState } from './messages';

export type LetterCommandKind = 'acknowledge' | 'answer';

export function initialLetterState(input: ReminderLetterInput): ReminderLetterState {
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
    duty: createDuty(
      {
        id: 'answer',
        ruleId: 'reminder-letter-answer',
        title: d.title,
        owner: `agency:${input.agencyId}`,
        dueDate: d.dueDate,
        dueAt: d.dueAt,
        provisional: d.provisional,
        basis: d.basis,
        reminders: d.reminders,
        from: d.from,
      },
      input.issuedAt,
    ),
    seq: { notice: 0 },
  };
}

/** Only the agency the letter was sent to acts on it; to anyone else it looks missing. */
export const isAddressee = (state: ReminderLetterState, actor: string): boolean =>
  relationTo(actor, { agencyId: state.agencyId, leaderId: state.leaderId }) === 'agency';

/** Why a command is refused in this state; undefined when it may go ahead. */
export function letterRefusal(state: ReminderLetterState, kind: LetterCommandKind): string | undefined {
  if (state.status === 'answered') return '该《工作提醒函》已反馈整改措施，不再接受 (the letter is answered)';
  if (kind === 'acknowledge' && state.acknowledged) return '该《工作提醒函》已签收 (already acknowledged)';
  return undefined;
}

export function acknowledgeLetter(state: ReminderLetterState, actor: string, now: string, note?: string): void {
  state.acknowledged = { at: now, by: actor, ...(note ? { note } : {}) };
  state.status = 'acknowledged';
}

/** The answer closes the letter: an unacknowledged letter counts as signed for, and the duty is done. */
export function answerLetter(state: ReminderLetterState, actor: string, now: string, measures: string): void {
  state.acknowledged ??= { at: now, by: actor };
  state.answer = { at: now, by: actor, measures };
  state.status = 'answered';
  complete(state.duty, actor, now);
}

/** A notice the letter owes: what kind, to whom, with which facts beyond the letter's own. */
export interface LetterNoticeSpec {
  kind: NoticeKind;
  recipients: RecipientRef[];
  facts: Partial<NoticeRequest['facts']>;
}

/** The notice request, numbered in the letter's own sequence; `now` is the time it is sent. */
export function letterNotice(state: ReminderLetterState, spec: LetterNoticeSpec, now: string): NoticeRequest {
  const scope = reminderLetterWorkflowId(state.letterId);
  const d = state.duty;
  state.seq.notice += 1;
  return {
    key: noticeKey(scope, d.id, spec.kind, state.seq.notice),
    caseId: scope,
    dutyId: d.id,
    kind: spec.kind,
    recipients: spec.recipients,
    facts: {
      caseTitle: letterName(state),
      agencyId: state.agencyId,
      dutyTitle: d.title,
      dueDate: d.dueDate,
      basis: d.basis,
      ...spec.facts,
    },
    requestedAt: now,
  };
}

/** The letter goes to the agency, its leader and the bureau. */
export const issueNotice = (state: ReminderLetterState): LetterNoticeSpec => {
  const breaches = state.breaches.map((b) => `${b.text}（${b.caseIds.join('、')}）`).join('；');
  return {
    kind: 'work-reminder-letter',
    recipients: [`agency:${state.agencyId}`, `leader:${state.leaderId}`, 'bureau'],
    facts: { detail: `${breaches}。全文、签收及反馈整改措施：/api/reports/letters/${state.letterId}` },
  };
};

/** The bureau and the leader hear of the answer. */
export const answeredNotice = (state: ReminderLetterState, measures: string): LetterNoticeSpec => ({
  kind: 'report',
  recipients: ['bureau', `leader:${state.leaderId}`],
  facts: { detail: `${state.agencyName}已反馈整改措施：${measures.slice(0, 200)}` },
});

/** What the timer owes at `now`: nothing, a reminder, or an escalation (which needs the next escalation time). */
export type LetterTick =
  { kind: 'reminder' } | { kind: 'escalation' | 'repeated-escalation'; needsNextEscalation: true };

export function letterTickAt(state: ReminderLetterState, now: string): LetterTick | undefined {
  switch (dueAction(state.duty, now)) {
    case 'lapse':
      return { kind: 'escalation', needsNextEscalation: true };
    case 'repeat-escalation':
      return { kind: 'repeated-escalation', needsNextEscalation: true };
    case 'remind':
      return { kind: 'reminder' };
    case undefined:
      return undefined;
  }
}

/**
 * Applies what the timer owes and answers the notice to send, and whether the registry must file the change
 * (an escalation changes the duty's record; a reminder does not).
 */
export function applyLetterTick(
  state: ReminderLetterState,
  tick: LetterTick,
  now: string,
  nextEscalationAt?: string,
): { notice: LetterNoticeSpec; record: boolean } {
  const d = state.duty;
  const agency: RecipientRef = `agency:${state.agencyId}`;
  if (tick.kind === 'reminder') {
    remind(d, now);
    return { notice: { kind: 'reminder', recipients: [agency], facts: {} }, record: false };
  }
  if (!nextEscalationAt) throw new TypeError('an escalation needs the next escalation time');
  if (tick.kind === 'escalation') lapse(d, nextEscalationAt);
  else repeatEscalation(d, nextEscalationAt);
  const escalateTo: RecipientRef[] = [agency, `leader:${state.leaderId}`, 'bureau'];
  const facts = { daysLate: daysLate(d, now), escalationNumber: d.escalations };
  return { notice: { kind: tick.kind, recipients: escalateTo, facts }, record: true };
}

/** When the letter's timer next fires, and the timer's summary for Temporal UI. */
export function letterWakeUp(state: ReminderLetterState): { at: string; summary: string } | undefined {
  const wake = nextWakeUp(state.duty);
  if (!wake) return undefined;
  const summary = state.duty.status === 'overdue' ? `再次督办 ${letterName(state)}` : `提醒或到期 ${letterName(state)}`;
  return { at: wake.at, summary };
}

/** The letter in three lines, for Temporal UI's current details. */
export function letterDetails(state: ReminderLetterState): string {
  const statusName = { issued: '待签收', acknowledged: '已签收，待反馈整改措施', answered: '已反馈整改措施' }[
    state.status
  ];
  const d = state.duty;
  return [
    `${letterName(state)}（${state.agencyName}）`,
    `状态：${statusName}`,
    `反馈期限：${d.dueDate}${d.status === 'overdue' ? `（已逾期，已督办 ${d.escalations} 次）` : ''}`,
  ].join('\n');
}

/** How people read a letter: by its quarter, never by its id (which carries the agency's id). */
export function letterName(state: Pick<ReminderLetterState, 'year' | 'quarter'>): string {
  return `《工作提醒函》（${state.year}年第${state.quarter}季度）`;
}
