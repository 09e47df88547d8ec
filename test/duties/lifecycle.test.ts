import * as duties from '../../src/duties';

const base: duties.NewDuty = {
  id: 'insuit-report',
  ruleId: 'insuit-report',
  title: '告知县司法局并报告分管县领导',
  owner: 'agency:natural-resources',
  dueDate: '2026-03-05',
  dueAt: '2026-03-05T16:00:00.000Z',
  provisional: false,
  basis: '武政办〔2023〕47号 一(二)',
  reminders: ['2026-03-03T01:00:00.000Z', '2026-03-04T01:00:00.000Z'],
};

describe('the duty lifecycle', () => {
  test('a duty created after some reminder points does not owe them', () => {
    const d = duties.createDuty(base, '2026-03-03T02:00:00.000Z');
    expect(d).toMatchObject({
      status: 'open',
      remindersSent: 1,
      escalations: 0,
      createdAt: '2026-03-03T02:00:00.000Z',
    });
    expect(duties.nextWakeUp(d)).toEqual({ at: '2026-03-04T01:00:00.000Z', why: 'reminder' });
  });

  test('a duty is reminded once for the latest passed point, never for a backlog', () => {
    const d = duties.createDuty(base, '2026-03-02T02:00:00.000Z');
    expect(duties.dueAction(d, '2026-03-02T03:00:00.000Z')).toBeUndefined();
    expect(duties.dueAction(d, '2026-03-04T02:00:00.000Z')).toBe('remind');
    duties.remind(d, '2026-03-04T02:00:00.000Z');
    expect(d.remindersSent).toBe(2);
    expect(duties.nextWakeUp(d)).toEqual({ at: base.dueAt, why: 'due' });
  });

  test('a lapsed duty escalates, repeats on its cadence, and counts its lateness when done', () => {
    const d = duties.createDuty(base, '2026-03-02T02:00:00.000Z');
    expect(duties.dueAction(d, base.dueAt)).toBe('lapse');
    duties.lapse(d, '2026-03-11T01:00:00.000Z');
    expect(d).toMatchObject({ status: 'overdue', overdueSince: base.dueAt, escalations: 1, remindersSent: 2 });
    expect(duties.nextWakeUp(d)).toEqual({ at: '2026-03-11T01:00:00.000Z', why: 'escalation' });
    expect(duties.dueAction(d, '2026-03-11T01:00:00.000Z')).toBe('repeat-escalation');
    duties.repeatEscalation(d, '2026-03-16T01:00:00.000Z');
    expect(d.escalations).toBe(2);
    expect(duties.daysLate(d, '2026-03-11T01:00:00.000Z')).toBe(6);
    duties.complete(d, 'agency:natural-resources', '2026-03-11T02:00:00.000Z', '已报告');
    expect(d).toMatchObject({ status: 'done', lateDays: 6, note: '已报告', doneBy: 'agency:natural-resources' });
    expect(d.nextEscalationAt).toBeUndefined();
    expect(duties.nextWakeUp(d)).toBeUndefined();
  });

  test('a duty done on time has no lateness, and waiving it afterwards changes nothing', () => {
    const d = duties.createDuty(base, '2026-03-02T02:00:00.000Z');
    duties.complete(d, 'bureau', '2026-03-05T15:59:59.000Z');
    expect(d.lateDays).toBeUndefined();
    duties.waive(d, '案件终结');
    expect(d.status).toBe('done');
  });

  test('a duty sent back keeps its due date and owes only the reminders still ahead', () => {
    const d = duties.createDuty(base, '2026-03-02T02:00:00.000Z');
    duties.complete(d, 'agency:natural-resources', '2026-03-02T03:00:00.000Z');
    duties.reopen(d, '退回修改', '2026-03-03T02:00:00.000Z');
    expect(d).toMatchObject({ status: 'open', note: '退回修改', remindersSent: 1, dueDate: '2026-03-05' });
    expect(d.doneAt).toBeUndefined();
  });

  test('a due date moved past now reopens an overdue duty and keeps the old date on record', () => {
    const d = duties.createDuty(base, '2026-03-02T02:00:00.000Z');
    duties.lapse(d, '2026-03-11T01:00:00.000Z');
    const next = { dueDate: '2026-03-20', dueAt: '2026-03-20T16:00:00.000Z', provisional: false, basis: '延长' };
    duties.moveDue(d, { ...next, reminders: [] }, '经各方同意延长', '2026-03-06T02:00:00.000Z');
    expect(d).toMatchObject({ status: 'open', dueDate: '2026-03-20', overdueSince: base.dueAt });
    expect(d.previousDue).toEqual([
      {
        dueDate: '2026-03-05',
        dueAt: base.dueAt,
        provisional: false,
        basis: base.basis,
        replacedAt: '2026-03-06T02:00:00.000Z',
        reason: '经各方同意延长',
      },
    ]);
    expect(d.nextEscalationAt).toBeUndefined();
  });
});
