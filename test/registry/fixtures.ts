import type { CaseState, Duty } from '../../src/workflows/case/types';

export function duty(id: string, over: Partial<Duty> = {}): Duty {
  return {
    id,
    ruleId: 'insuit-report',
    title: '收到应诉通知书后告知县司法局并报告分管县领导',
    owner: 'agency:natural-resources',
    dueDate: '2026-03-06',
    dueAt: '2026-03-06T16:00:00.000Z',
    provisional: false,
    basis: '武政办〔2023〕47号 一(二)',
    reminders: ['2026-03-05T01:00:00.000Z'],
    remindersSent: 0,
    status: 'open',
    createdAt: '2026-03-03T02:00:00.000Z',
    escalations: 0,
    ...over,
  };
}

/** A case in suit with one duty and two timeline entries. */
export function caseState(caseId: string, over: Partial<CaseState> = {}): CaseState {
  return {
    caseId,
    title: '张某诉县自然资源局土地征收补偿案',
    agencyId: 'natural-resources',
    agencyName: '县自然资源局',
    leaderId: 'vice-head-li',
    leaderName: '李副县长',
    field: 'land-taking',
    plaintiff: '张某',
    countyGovernmentDefendant: false,
    stage: 'in-suit',
    enteredStage: 'in-suit',
    major: false,
    registeredAt: '2026-03-03T02:00:00.000Z',
    trigger: { type: 'response-notice', receivedAt: '2026-03-03T01:00:00.000Z' },
    duties: [duty('d1')],
    mediations: [],
    hearings: [],
    selfCorrections: [],
    timeline: [
      { seq: 0, at: '2026-03-03T02:00:00.000Z', actor: 'bureau', type: 'registered', summary: '县司法局登记案件' },
      {
        seq: 1,
        at: '2026-03-03T02:00:01.000Z',
        actor: 'system',
        type: 'duty-opened',
        summary: '开立期限：告知县司法局',
      },
    ],
    seq: { notice: 0, timeline: 2, hearing: 0 },
    ...over,
  };
}
