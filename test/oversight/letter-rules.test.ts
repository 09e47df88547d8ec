import { createDeadlineEngine } from '../../src/deadlines';
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
} from '../../src/workflows/oversight/letter-rules';
import type { ReminderLetterInput } from '../../src/workflows/oversight/messages';

const engine = createDeadlineEngine();
const issuedAt = '2026-04-01T01:00:00.000Z';
const input: ReminderLetterInput = {
  letterId: '2026Q1-natural-resources',
  year: 2026,
  quarter: 1,
  agencyId: 'natural-resources',
  agencyName: '县自然资源局',
  leaderId: 'vice-head-li',
  issuedAt,
  breaches: [{ kind: 'loss-rate', value: 0.5, threshold: 0.3, caseIds: ['T-1', 'T-2'], text: '败诉率 50%' }],
  letter: '# 工作提醒函',
  deadline: engine.compute({ rule: 'reminder-letter-answer', from: issuedAt }),
  escalationEveryWorkingDays: 3,
};

describe('reminder letter rules', () => {
  test('a new letter owes its agency one open answer duty on the computed deadline', () => {
    const s = initialLetterState(input);
    expect(s.status).toBe('issued');
    expect(s.duty).toMatchObject({
      id: 'answer',
      ruleId: 'reminder-letter-answer',
      owner: 'agency:natural-resources',
      dueDate: input.deadline.dueDate,
      status: 'open',
      remindersSent: 0,
      escalations: 0,
      createdAt: issuedAt,
    });
    expect(letterWakeUp(s)?.at).toBe(input.deadline.reminders[0] ?? input.deadline.dueAt);
  });

  test('only the addressed agency acts on the letter; others are told it does not exist', () => {
    const s = initialLetterState(input);
    expect(isAddressee(s, 'agency:natural-resources')).toBe(true);
    expect(isAddressee(s, 'agency:hrss')).toBe(false);
    expect(isAddressee(s, 'bureau')).toBe(false);
    expect(isAddressee(s, 'leader:vice-head-li')).toBe(false);
  });

  test('a letter is acknowledged once and answered once', () => {
    const s = initialLetterState(input);
    expect(letterRefusal(s, 'acknowledge')).toBeUndefined();
    acknowledgeLetter(s, 'agency:natural-resources', '2026-04-02T01:00:00.000Z', '已收到');
    expect(s.acknowledged).toEqual({ at: '2026-04-02T01:00:00.000Z', by: 'agency:natural-resources', note: '已收到' });
    expect(letterRefusal(s, 'acknowledge')).toMatch(/已签收/);
    expect(letterRefusal(s, 'answer')).toBeUndefined();
    answerLetter(s, 'agency:natural-resources', '2026-04-03T01:00:00.000Z', '加强合法性审核');
    expect(s.status).toBe('answered');
    expect(s.duty).toMatchObject({ status: 'done', doneBy: 'agency:natural-resources' });
    expect(s.duty.lateDays).toBeUndefined();
    expect(letterRefusal(s, 'answer')).toMatch(/已反馈整改措施/);
    expect(letterWakeUp(s)).toBeUndefined();
  });

  test('an answer without acknowledgement counts as signed for', () => {
    const s = initialLetterState(input);
    answerLetter(s, 'agency:natural-resources', '2026-04-03T01:00:00.000Z', '整改');
    expect(s.acknowledged).toEqual({ at: '2026-04-03T01:00:00.000Z', by: 'agency:natural-resources' });
  });

  test('notices are keyed by the letter workflow id, the duty and a sequence number', () => {
    const s = initialLetterState(input);
    const issued = letterNotice(s, issueNotice(s), issuedAt);
    expect(issued).toMatchObject({
      key: 'reminder-letter-2026Q1-natural-resources/answer/work-reminder-letter/1',
      caseId: 'reminder-letter-2026Q1-natural-resources',
      dutyId: 'answer',
      recipients: ['agency:natural-resources', 'leader:vice-head-li', 'bureau'],
      requestedAt: issuedAt,
    });
    expect(issued.facts.detail).toContain('败诉率 50%（T-1、T-2）');
    const answered = letterNotice(s, answeredNotice(s, '整改'), issuedAt);
    expect(answered.key).toBe('reminder-letter-2026Q1-natural-resources/answer/report/2');
    expect(answered.recipients).toEqual(['bureau', 'leader:vice-head-li']);
  });

  test('the timer reminds before the due date, escalates at the lapse and again on the cadence', () => {
    const s = initialLetterState(input);
    const d = s.duty;
    const reminder = d.reminders[0];
    if (reminder) {
      expect(letterTickAt(s, reminder)).toEqual({ kind: 'reminder' });
      const { notice, record } = applyLetterTick(s, { kind: 'reminder' }, reminder);
      expect(notice).toEqual({ kind: 'reminder', recipients: ['agency:natural-resources'], facts: {} });
      expect(record).toBe(false);
    }
    expect(letterTickAt(s, d.dueAt)).toEqual({ kind: 'escalation', needsNextEscalation: true });
    const firstNext = '2030-01-01T01:00:00.000Z';
    const lapse = applyLetterTick(s, { kind: 'escalation', needsNextEscalation: true }, d.dueAt, firstNext);
    expect(lapse.record).toBe(true);
    expect(lapse.notice.recipients).toEqual(['agency:natural-resources', 'leader:vice-head-li', 'bureau']);
    expect(lapse.notice.facts).toEqual({ daysLate: 1, escalationNumber: 1 });
    expect(d).toMatchObject({ status: 'overdue', escalations: 1, nextEscalationAt: '2030-01-01T01:00:00.000Z' });
    expect(letterDetails(s)).toContain('已逾期，已督办 1 次');
    expect(letterWakeUp(s)).toEqual({
      at: '2030-01-01T01:00:00.000Z',
      summary: '再次督办 《工作提醒函》（2026年第1季度）',
    });
    expect(letterDetails(s)).not.toContain(input.letterId);
    expect(letterTickAt(s, '2029-12-31T01:00:00.000Z')).toBeUndefined();
    const repeat = { kind: 'repeated-escalation', needsNextEscalation: true } as const;
    const again = applyLetterTick(s, repeat, firstNext, '2030-01-06T01:00:00.000Z');
    expect(again.notice.kind).toBe('repeated-escalation');
    expect(again.notice.facts).toMatchObject({ escalationNumber: 2 });
  });
});
