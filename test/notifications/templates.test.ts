import { formatShanghai, renderNotice } from '../../src/notifications/templates';
import { noticeKinds, type NoticeRequest } from '../../src/notifications/types';

const base: NoticeRequest = {
  key: 'case-1/d1/escalation/1',
  caseId: 'case-1',
  dutyId: 'd1',
  kind: 'escalation',
  recipients: ['leader:vice-head-li', 'bureau'],
  facts: {
    caseTitle: '张某诉县自然资源局土地征收补偿案',
    agencyId: 'natural-resources',
    dutyTitle: '向县司法局反馈协调化解情况',
    dueDate: '2026-03-09',
    basis: '武政办〔2023〕47号 一(一)',
    daysLate: 3,
    escalationNumber: 1,
  },
  requestedAt: '2026-03-12T01:00:00.000Z',
};

test('an escalation names the case, the agency, the duty, the due date, the basis and how late it is', () => {
  const { subject, body } = renderNotice(base, { agencyName: '县自然资源局', recipientName: '李副县长' });
  expect(subject).toBe('【逾期督办】张某诉县自然资源局土地征收补偿案：向县司法局反馈协调化解情况（逾期3天）');
  expect(body).toContain('李副县长：');
  expect(body).toContain('案件：张某诉县自然资源局土地征收补偿案（案件编号 case-1）');
  expect(body).toContain('涉诉单位：县自然资源局');
  expect(body).toContain('办理期限：2026年3月9日24时前');
  expect(body).toContain('已逾期3天');
  expect(body).toContain('依据：武政办〔2023〕47号 一(一)');
  expect(body).toContain('通知编号：case-1/d1/escalation/1');
});

test('a repeated escalation carries its number in the subject', () => {
  const { subject, body } = renderNotice({
    ...base,
    kind: 'repeated-escalation',
    facts: { ...base.facts, escalationNumber: 3, daysLate: 9 },
  });
  expect(subject).toBe('【第3次再次督办】张某诉县自然资源局土地征收补偿案：向县司法局反馈协调化解情况（逾期9天）');
  expect(body).toContain('督办次数：第3次');
});

test('a hearing reminder gives the hearing time in Shanghai time', () => {
  const { body } = renderNotice({
    ...base,
    kind: 'hearing-reminder',
    facts: { caseTitle: '某案', hearingAt: '2026-04-20T01:30:00.000Z' },
  });
  expect(body).toContain('开庭时间：2026年4月20日 09:30');
  expect(body).toContain('既出庭、又出声');
});

test('every notice kind has a Chinese subject, and a case notice’s body ends with its key', () => {
  for (const kind of noticeKinds) {
    const { subject, body } = renderNotice({ ...base, kind, facts: { caseTitle: '某案' } });
    expect(subject).toMatch(/^【[\u4e00-\u9fa5《》]+】某案$/);
    if (['work-reminder-letter', 'interview', 'quarterly-report'].includes(kind))
      expect(body).not.toContain('通知编号');
    else expect(body).toContain(`通知编号：${base.key}`);
    expect(body).not.toContain('undefined');
  }
});

test('rendering is pure: the same request gives the same text', () => {
  expect(renderNotice(base)).toEqual(renderNotice(structuredClone(base)));
});

test('formats instants in Asia/Shanghai across the date line', () => {
  expect(formatShanghai('2026-12-31T16:00:00.000Z')).toBe('2027年1月1日 00:00');
});

test('no raw id reaches people: without the directory’s name the text says the role, never the agency id', () => {
  for (const kind of noticeKinds) {
    const { subject, body } = renderNotice({ ...base, kind });
    expect(`${subject}\n${body}`).not.toMatch(/natural-resources|agency:|leader:/);
  }
  expect(renderNotice({ ...base, kind: 'inform' }).body).toContain('县司法局告知：贵单位');
});

test('a new case is 登记建档 (filed by the bureau), never 登记立案', () => {
  const { body } = renderNotice({ ...base, kind: 'inform' }, { agencyName: '县自然资源局' });
  expect(body).toContain('县司法局已登记建档');
  expect(body).not.toContain('立案');
});

test('a due date reads as the end of its last day: X年X月X日24时前', () => {
  expect(renderNotice(base).body).toContain('办理期限：2026年3月9日24时前');
});

test('an interview or a letter names no workflow or agency id: no case number, no key', () => {
  const { body } = renderNotice(
    {
      ...base,
      key: 'reminder-letter-2026-Q2-natural-resources/-/interview/1',
      caseId: 'reminder-letter-2026-Q2-natural-resources',
      kind: 'interview',
      facts: { caseTitle: '约谈：县自然资源局', agencyId: 'natural-resources' },
    },
    { agencyName: '县自然资源局' },
  );
  expect(body).toContain('事由：约谈：县自然资源局');
  expect(body).not.toMatch(/natural-resources|reminder-letter/);
});
