import { readFileSync } from 'node:fs';
import { createDeadlineEngine } from '../../src/deadlines';
import { runStep } from '../../src/workflows/case/steps';
import { defaultEngine, harness } from './machine-harness';

describe('registration', () => {
  test('an oral notice opens the 5-day feedback duty, rolled past the Spring Festival, and notifies agency and leader at once', async () => {
    const h = harness(
      { trigger: { type: 'oral-notice', receivedAt: '2026-02-10T10:00:00+08:00' } },
      '2026-02-10T03:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    const d = h.duty('presuit-feedback');
    expect(d).toMatchObject({
      status: 'open',
      owner: 'agency:natural-resources',
      dueDate: '2026-02-24',
      dueAt: '2026-02-24T16:00:00.000Z',
      provisional: false,
    });
    expect(d.basis).toContain('武政办〔2023〕47号 一(一)');
    expect(h.notices.map((n) => [n.kind, n.recipients])).toEqual([
      ['inform', ['agency:natural-resources']],
      ['report', ['leader:vice-head-li']],
    ]);
    expect(h.state.stage).toBe('pre-suit');
  });

  test('a response notice enters the suit with the 3-day report duty', async () => {
    const h = harness(
      { trigger: { type: 'response-notice', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    expect(h.state.stage).toBe('in-suit');
    expect(h.duty('insuit-report')).toMatchObject({ dueDate: '2026-03-05', status: 'open' });
  });

  test('an entrustment letter opens a one-month mediation period and the first weekly progress duty', async () => {
    const h = harness(
      { trigger: { type: 'entrustment-letter', receivedAt: '2026-03-02T09:00:00+08:00', stage: 'in-suit' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    expect(h.state.stage).toBe('in-suit');
    expect(h.duty('mediation-1-period')).toMatchObject({ dueDate: '2026-04-02' });
    expect(h.duty('mediation-1-progress-1')).toMatchObject({ dueDate: '2026-03-09', nth: 1 });
  });
});

describe('reminders and escalation', () => {
  test('a duty is reminded once, escalated at its lapse, then escalated again every 3 working days until done late', async () => {
    const h = harness(
      { trigger: { type: 'response-notice', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    const d = h.duty('insuit-report');
    expect(d.reminders).toEqual(['2026-03-04T01:00:00.000Z']); // 09:00 on the last working day before 03-05
    await h.at('2026-03-03T01:00:00Z');
    expect(h.kinds()).not.toContain('reminder');
    await h.at('2026-03-04T01:00:00.000Z');
    expect(h.kinds().filter((k) => k === 'reminder')).toHaveLength(1);
    await h.at('2026-03-05T16:00:00.000Z'); // 24:00 of 03-05
    // The lapse is recorded at 24:00, but nobody is alerted at midnight: the escalation waits for 09:00.
    expect(d).toMatchObject({ status: 'overdue', overdueSince: '2026-03-05T16:00:00.000Z', escalations: 0 });
    expect(d.nextEscalationAt).toBe('2026-03-06T01:00:00.000Z');
    expect(h.kinds()).not.toContain('escalation');
    await h.at('2026-03-06T01:00:00.000Z');
    const escalation = h.notices.at(-1)!;
    expect(escalation).toMatchObject({
      kind: 'escalation',
      recipients: ['agency:natural-resources', 'leader:vice-head-li', 'bureau'],
    });
    // Lapse on Thu night → 3 working days after Fri 03-06 is Wed 03-11, 09:00 Shanghai.
    expect(d.nextEscalationAt).toBe('2026-03-11T01:00:00.000Z');
    await h.at('2026-03-11T01:00:00.000Z');
    expect(h.notices.at(-1)).toMatchObject({
      kind: 'repeated-escalation',
      facts: { escalationNumber: 2, daysLate: 6 },
    });
    await h.machine.apply({ type: 'insuit-report', summary: '已报告' }, 'agency:natural-resources');
    expect(d).toMatchObject({
      status: 'done',
      doneBy: 'agency:natural-resources',
      lateDays: 6,
      overdueSince: '2026-03-05T16:00:00.000Z',
      escalations: 2,
    });
    expect(d.nextEscalationAt).toBeUndefined();
  });

  test('a case registered long after its due date escalates once and resumes the cadence from now, without back-dated alerts', async () => {
    const h = harness(
      { trigger: { type: 'response-notice', receivedAt: '2026-01-05T09:00:00+08:00' } },
      '2026-03-16T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    await h.at('2026-03-16T02:00:00Z');
    await h.at('2026-03-16T02:00:01Z');
    // One escalation per lapsed duty (the report and the defence), sent in working hours, none back-dated.
    expect(h.kinds().filter((k) => k.includes('escalation'))).toEqual(['escalation', 'escalation']);
    expect(h.kinds()).not.toContain('reminder');
    expect(h.duty('insuit-report').nextEscalationAt).toBe('2026-03-19T01:00:00.000Z');
  });

  test('weekly progress after a long gap jumps to the current week instead of creating every missed week', async () => {
    const h = harness(
      { trigger: { type: 'entrustment-letter', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-04-08T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    const ids = h.state.duties.filter((d) => d.ruleId === 'mediation-weekly-progress').map((d) => d.id);
    expect(ids).toEqual(['mediation-1-progress-5']);
    expect(h.duty('mediation-1-progress-5').dueDate).toBe('2026-04-07');
    await h.at('2026-04-08T02:00:00Z');
    expect(h.state.duties.filter((d) => d.ruleId === 'mediation-weekly-progress').map((d) => [d.id, d.status])).toEqual(
      [
        ['mediation-1-progress-5', 'overdue'],
        ['mediation-1-progress-6', 'open'],
      ],
    );
  });
});

describe('mediation', () => {
  test('an extension moves the period’s due date and keeps the old one on record', async () => {
    const h = harness(
      { trigger: { type: 'entrustment-letter', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    h.setNow('2026-03-25T02:00:00Z');
    await h.machine.apply(
      { type: 'mediation-extension', newEndDate: '2026-05-02', partiesConsented: true, courtInformedOn: '2026-03-24' },
      'agency:natural-resources',
    );
    const period = h.duty('mediation-1-period');
    // 05-02 is inside the Labour Day holiday (05-01..05-05): rolled forward to 05-06.
    expect(period.dueDate).toBe('2026-05-06');
    expect(period.previousDue?.map((p) => p.dueDate)).toEqual(['2026-04-02']);
    expect(h.state.mediations[0]!.extensions).toHaveLength(1);
  });

  test('an extension to an earlier date is refused and changes nothing', async () => {
    const h = harness(
      { trigger: { type: 'entrustment-letter', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    const before = JSON.stringify(h.state);
    expect(() =>
      h.machine.apply(
        {
          type: 'mediation-extension',
          newEndDate: '2026-03-20',
          partiesConsented: true,
          courtInformedOn: '2026-03-01',
        },
        'agency:natural-resources',
      ),
    ).toThrow(/须晚于现有期限/);
    expect(JSON.stringify(h.state)).toBe(before);
  });

  test('a resolved pre-suit mediation closes the case and waives the remaining progress duties', async () => {
    const h = harness(
      { trigger: { type: 'entrustment-letter', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    h.setNow('2026-03-05T02:00:00Z');
    await h.machine.apply(
      { type: 'mediation-result', result: { outcome: 'resolved', summary: '双方达成和解' } },
      'agency:natural-resources',
    );
    expect(h.duty('mediation-1-period').status).toBe('done');
    expect(h.duty('mediation-1-progress-1').status).toBe('waived');
    expect(h.state.stage).toBe('closed');
  });
});

describe('commands refused', () => {
  test('operators, other agencies and closed cases are refused with a reason', async () => {
    const h = harness(
      { trigger: { type: 'response-notice', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    expect(h.machine.rejectReason({ type: 'insuit-report' }, 'operator')).toMatchObject({
      message: expect.stringMatching(/只能查看/),
      code: 'read_only',
    });
    expect(h.machine.canAct('agency:hrss')).toBe(false);
    expect(h.machine.canAct('leader:vice-head-li')).toBe(true);
    expect(h.machine.rejectReason({ type: 'filing' }, 'bureau')?.message).toMatch(/没有待备案的裁判文书/);
    expect(h.machine.rejectReason({ type: 'major-case', reason: 'x' }, 'agency:natural-resources')).toMatchObject({
      message: '只有县司法局可以列为重大案件',
      code: 'not_allowed',
    });
  });
});

describe('head appearance', () => {
  test('a deputy appears only with the leader’s consent, and the bureau is told', async () => {
    const h = harness(
      { trigger: { type: 'response-notice', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    await h.machine.apply(
      {
        type: 'hearing-scheduled',
        hearingId: 'h1',
        scheduledAt: '2026-04-15T09:00:00+08:00',
        headAppearanceRequired: true,
      },
      'bureau',
    );
    expect(h.duty('hearing-h1-plan')).toMatchObject({
      dueAt: '2026-04-12T01:00:00.000Z',
      owner: 'agency:natural-resources',
    });
    await h.machine.apply(
      { type: 'appearance-plan', hearingId: 'h1', appearing: 'deputy', name: '副局长甲', reason: '主要负责人出差' },
      'agency:natural-resources',
    );
    expect(h.duty('hearing-h1-substitute-approval')).toMatchObject({ owner: 'leader:vice-head-li', status: 'open' });
    expect(h.notices.at(-1)).toMatchObject({
      kind: 'substitute-approval-request',
      recipients: ['leader:vice-head-li'],
    });
    expect(
      h.machine.rejectReason(
        { type: 'substitute-approval', hearingId: 'h1', approved: true },
        'agency:natural-resources',
      )?.message,
    ).toMatch(/只有分管县领导/);
    // 二: the leader in charge consents, not the bureau.
    expect(
      h.machine.rejectReason({ type: 'substitute-approval', hearingId: 'h1', approved: true }, 'bureau')?.message,
    ).toBe('只有分管县领导可以审批代为出庭');
    await h.machine.apply({ type: 'substitute-approval', hearingId: 'h1', approved: true }, 'leader:vice-head-li');
    expect(h.notices.at(-1)).toMatchObject({ kind: 'report', recipients: ['bureau'] });
    expect(h.state.hearings[0]!.plan!.approval).toMatchObject({ approved: true, by: 'leader:vice-head-li' });
  });

  test('a refused deputy reopens the appearance plan', async () => {
    const h = harness(
      { trigger: { type: 'response-notice', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    await h.machine.apply(
      {
        type: 'hearing-scheduled',
        hearingId: 'h1',
        scheduledAt: '2026-04-15T09:00:00+08:00',
        headAppearanceRequired: true,
      },
      'bureau',
    );
    await h.machine.apply(
      { type: 'appearance-plan', hearingId: 'h1', appearing: 'deputy', name: '副局长甲', reason: '出差' },
      'agency:natural-resources',
    );
    await h.machine.apply(
      { type: 'substitute-approval', hearingId: 'h1', approved: false, comment: '须主要负责人出庭' },
      'leader:vice-head-li',
    );
    expect(h.duty('hearing-h1-plan').status).toBe('open');
  });

  test('no plan three days before the hearing alerts the leader', async () => {
    const h = harness(
      { trigger: { type: 'response-notice', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    await h.machine.apply({ type: 'insuit-report' }, 'agency:natural-resources');
    await h.machine.apply(
      {
        type: 'hearing-scheduled',
        hearingId: 'h1',
        scheduledAt: '2026-04-15T09:00:00+08:00',
        headAppearanceRequired: true,
      },
      'bureau',
    );
    // Due Sunday 04-12 09:00: lapsed then, but the leader is alerted on Monday morning.
    await h.at('2026-04-12T01:00:00.000Z');
    expect(h.duty('hearing-h1-plan')).toMatchObject({ status: 'overdue', escalations: 0 });
    expect(h.kinds()).not.toContain('escalation');
    await h.at('2026-04-13T01:00:00.000Z');
    expect(h.notices.at(-1)).toMatchObject({
      kind: 'escalation',
      recipients: ['agency:natural-resources', 'leader:vice-head-li', 'bureau'],
    });
  });

  test('when the county government is sued, the plan must name the vice county head', async () => {
    const h = harness(
      {
        countyGovernmentDefendant: true,
        trigger: { type: 'response-notice', receivedAt: '2026-03-02T09:00:00+08:00' },
      },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    await h.machine.apply(
      {
        type: 'hearing-scheduled',
        hearingId: 'h1',
        scheduledAt: '2026-04-15T09:00:00+08:00',
        headAppearanceRequired: true,
      },
      'bureau',
    );
    expect(
      h.machine.rejectReason(
        { type: 'appearance-plan', hearingId: 'h1', appearing: 'principal', name: '刘局长' },
        'agency:natural-resources',
      )?.message,
    ).toMatch(/分管副县长/);
    expect(h.notices.at(-1)).toMatchObject({
      kind: 'hearing-reminder',
      recipients: ['agency:natural-resources', 'leader:vice-head-li'],
    });
  });
});

describe('after judgment', () => {
  test('a lost judgment needs filing and a loss report; a report sent back reopens; approval reports to the county government and closes the case', async () => {
    const h = harness(
      {
        trigger: { type: 'judgment', receivedAt: '2026-09-24T10:00:00+08:00', outcome: 'lost', instance: 'second' },
      },
      '2026-09-24T03:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    // Working days after Thu 09-24: 09-25..27 are 中秋 days off; 09-28, 09-29, 09-30; 国庆 10-01..07 off; 10-08, 10-09,
    // 10-10 (make-up Saturday), 10-12: the 7th.
    expect(h.duty('judgment-filing').dueDate).toBe('2026-10-12');
    expect(h.duty('loss-report').dueDate).toBe('2026-10-26'); // 10-24 is a Saturday, 10-25 Sunday
    h.setNow('2026-09-30T02:00:00Z');
    await h.machine.apply({ type: 'filing', documentNo: '（2026）闽0824行初12号' }, 'agency:natural-resources');
    await h.machine.apply({ type: 'loss-analysis-report', summary: '事实认定不清' }, 'agency:natural-resources');
    await h.machine.apply({ type: 'loss-report-review', decision: 'returned', comments: '原因分析不深入' }, 'bureau');
    expect(h.duty('loss-report').status).toBe('open');
    expect(h.machine.rejectReason({ type: 'loss-report-review', decision: 'approved' }, 'bureau')?.message).toBe(
      '没有待审核的败诉原因分析报告',
    );
    await h.machine.apply({ type: 'loss-analysis-report', summary: '补充：法制审核缺失' }, 'agency:natural-resources');
    await h.machine.apply({ type: 'loss-report-review', decision: 'approved' }, 'bureau');
    expect(h.notices.at(-1)).toMatchObject({ kind: 'county-government-report', recipients: ['county-government'] });
    expect(h.state.stage).toBe('closed');
  });
});

describe('weekly progress', () => {
  test('only the newest missed weekly report keeps escalating', async () => {
    const h = harness(
      { trigger: { type: 'entrustment-letter', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    await h.at('2026-03-10T02:00:00Z'); // week 1 lapsed
    await h.at('2026-03-17T02:00:00Z'); // week 2 lapsed
    const progress = h.state.duties.filter((d) => d.ruleId === 'mediation-weekly-progress');
    expect(progress.map((d) => d.status)).toEqual(['overdue', 'overdue', 'open']);
    expect(progress.filter((d) => d.nextEscalationAt).map((d) => d.id)).toEqual(['mediation-1-progress-2']);
  });
});

describe('weekly progress reports', () => {
  test('a report counts for the week it falls in; reporting ahead does not satisfy later weeks', async () => {
    const h = harness(
      { trigger: { type: 'entrustment-letter', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    h.setNow('2026-03-03T02:00:00Z');
    await h.machine.apply({ type: 'mediation-progress', summary: '第一次' }, 'agency:natural-resources');
    await h.machine.apply({ type: 'mediation-progress', summary: '同周第二次' }, 'agency:natural-resources');
    const progress = () =>
      h.state.duties.filter((d) => d.ruleId === 'mediation-weekly-progress').map((d) => [d.id, d.status]);
    expect(progress()).toEqual([
      ['mediation-1-progress-1', 'done'],
      ['mediation-1-progress-2', 'open'],
    ]);
    h.setNow('2026-03-10T02:00:00Z'); // day 8: week 2
    await h.machine.apply({ type: 'mediation-progress', summary: '第二周' }, 'agency:natural-resources');
    expect(progress()).toEqual([
      ['mediation-1-progress-1', 'done'],
      ['mediation-1-progress-2', 'done'],
      ['mediation-1-progress-3', 'open'],
    ]);
    expect(h.state.timeline.filter((e) => e.type === 'mediation-progress')).toHaveLength(3);
  });

  test('a long case keeps only its most recent timeline entries in its state, numbered on without a gap', async () => {
    const h = harness(
      { trigger: { type: 'entrustment-letter', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    h.setNow('2026-03-03T02:00:00Z');
    const reports = 40;
    for (let i = 1; i <= reports; i++)
      await h.machine.apply({ type: 'mediation-progress', summary: `进展 ${i}` }, 'agency:natural-resources');
    const { timeline } = h.state;
    expect(timeline).toHaveLength(30);
    expect(timeline.at(-1)).toMatchObject({ type: 'mediation-progress', summary: `通报协调化解进展：进展 ${reports}` });
    expect(timeline.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => h.state.seq.timeline - 29 + i));
  });
});

describe('provisional due dates', () => {
  test('a provisional due date is recomputed before the case acts on it, once the year’s official arrangement is loaded', async () => {
    const h = harness(
      {
        trigger: { type: 'judgment', receivedAt: '2026-12-20T10:00:00+08:00', outcome: 'lost', instance: 'second' },
      },
      '2026-12-20T03:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    const report = h.duty('loss-report');
    expect(report).toMatchObject({ dueDate: '2027-01-19', provisional: true });
    h.setNow('2026-12-22T02:00:00Z');
    await h.machine.apply({ type: 'filing' }, 'agency:natural-resources');
    // Next year's notice arrives, with (for this test) days off around the due date.
    const data = JSON.parse(
      readFileSync(require.resolve('../../src/deadlines/data/cn-holiday-arrangements.json'), 'utf8'),
    );
    data.years['2027'] = {
      holidays: [
        { name: '测试假日', from: '2027-01-18', to: '2027-01-20', daysOff: ['2027-01-18', '2027-01-19', '2027-01-20'] },
      ],
      makeUpWorkdays: [],
    };
    data.sources['2027'] = { title: '测试用安排', issued: '2026-11-20' };
    h.useEngine(createDeadlineEngine({ calendar: data }));
    await h.at('2027-01-19T16:00:00.000Z'); // the old provisional due instant
    expect(report).toMatchObject({ status: 'open', dueDate: '2027-01-21', provisional: false });
    expect(report.previousDue?.[0]).toMatchObject({ dueDate: '2027-01-19', provisional: true });
    expect(h.kinds()).not.toContain('escalation');
    expect(h.state.timeline.at(-1)).toMatchObject({ type: 'recalculated', actor: 'system' });
  });
});

describe('a command and the work it brings due', () => {
  const lapsedReport = () => {
    const h = harness(
      { trigger: { type: 'response-notice', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    h.machine.register(h.registration, 'bureau');
    h.notices.length = 0;
    // Tuesday 03-10, 10:00 Shanghai: the 3-day report lapsed on 03-05 and the case has not ticked since.
    h.setNow('2026-03-10T02:00:00Z');
    return h;
  };

  test('a command run as a step also acts on what is due at its instant, and commits it with the command', () => {
    const h = lapsedReport();
    runStep(h.machine, {
      op: 'apply',
      event: { type: 'defence-submitted', note: '已提交答辩状' },
      actor: 'agency:natural-resources',
      command: {},
    });
    expect(h.duty('insuit-report')).toMatchObject({ status: 'overdue', escalations: 1 });
    // One change: the command's own record and the escalation it brought due leave together.
    expect(h.kinds()).toContain('escalation');
    expect(h.state.timeline.map((e) => e.actor)).toContain('system');
  });

  test('when the work a command brings due fails, the command is undone with it', () => {
    const h = lapsedReport();
    const before = JSON.stringify(h.state);
    h.useEngine(
      Object.assign(Object.create(defaultEngine) as typeof defaultEngine, {
        nextEscalationAt: () => {
          throw new Error('calendar unavailable');
        },
      }),
    );
    expect(() =>
      runStep(h.machine, {
        op: 'apply',
        event: { type: 'defence-submitted', note: '已提交答辩状' },
        actor: 'agency:natural-resources',
        command: {},
      }),
    ).toThrow('calendar unavailable');
    expect(JSON.stringify(h.state)).toBe(before);
    expect(h.notices).toHaveLength(0);
  });
});
