// The litigation paths of issue 11 on the case machine (no Temporal): hearings moved and cancelled, appeals and
// effective judgments, what a judgment ends, withdrawal and settlement, reopening, the defence, corrections, voiding,
// completions dated when they happened, and commands that commit whole or not at all.
import { DeadlineInputError } from '../../src/deadlines';
import { allowedEvents } from '../../src/workflows/case/machine';
import { caseEventSchema, registrationSchema } from '../../src/workflows/case/schemas';
import { defaultEngine, harness } from './machine-harness';

/** What a synchronous call threw (the machine runs a step in one go). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to throw');
}

const agency = 'agency:natural-resources';
const RESPONSE = { type: 'response-notice', receivedAt: '2026-03-02T09:00:00+08:00' } as const;

async function inSuit(startAt = '2026-03-02T02:00:00Z') {
  const h = harness({ trigger: RESPONSE }, startAt);
  await h.machine.register(h.registration, 'bureau');
  return h;
}

/** A judgment event as the workflow receives it: parsed, defaults applied (first instance, a judgment). */
const judgment = (fields: object) => caseEventSchema.parse({ type: 'judgment', ...fields });

const hearing = (scheduledAt: string, extra: object = {}) =>
  ({ type: 'hearing-scheduled', hearingId: 'h1', scheduledAt, headAppearanceRequired: true, ...extra }) as const;

describe('hearings', () => {
  test('a rescheduled hearing moves its plan duty and reminders; the vacated date is neither reminded nor escalated', async () => {
    const h = await inSuit();
    await h.machine.apply(hearing('2026-04-15T09:00:00+08:00'), 'bureau');
    h.setNow('2026-03-10T02:00:00Z');
    await h.machine.apply(
      {
        type: 'hearing-rescheduled',
        hearingId: 'h1',
        scheduledAt: '2026-05-20T09:00:00+08:00',
        reason: '法院排期调整',
      },
      agency,
    );
    const plan = h.duty('hearing-h1-plan');
    expect(plan).toMatchObject({ status: 'open', dueAt: '2026-05-17T01:00:00.000Z' });
    expect(plan.previousDue?.[0]).toMatchObject({ dueAt: '2026-04-12T01:00:00.000Z' });
    expect(plan.reminders.every((r) => Date.parse(r) > Date.parse('2026-05-01T00:00:00Z'))).toBe(true);
    expect(h.state.hearings[0]).toMatchObject({ scheduledAt: '2026-05-20T09:00:00+08:00', status: 'scheduled' });
    expect(h.state.hearings[0]!.history).toEqual([
      expect.objectContaining({
        from: '2026-04-15T09:00:00+08:00',
        to: '2026-05-20T09:00:00+08:00',
        kind: 'rescheduled',
      }),
    ]);
    const before = h.notices.length;
    for (const at of ['2026-04-12T01:00:00Z', '2026-04-13T01:00:00Z', '2026-04-14T01:00:00Z', '2026-04-16T01:00:00Z'])
      await h.at(at);
    expect(h.notices.slice(before).map((n) => n.kind)).not.toEqual(expect.arrayContaining(['hearing-reminder']));
    expect(h.notices.slice(before).filter((n) => n.dutyId === 'hearing-h1-plan')).toEqual([]);
    await h.at('2026-05-19T01:00:00Z');
    expect(h.notices.at(-1)).toMatchObject({
      kind: 'hearing-reminder',
      facts: { hearingAt: '2026-05-20T09:00:00+08:00' },
    });
  });

  test('a hearing moved after its day-before reminder went out is reminded again the day before the new date', async () => {
    const h = await inSuit();
    await h.machine.apply(hearing('2026-04-15T09:00:00+08:00'), 'bureau');
    await h.at('2026-04-14T01:00:00Z');
    expect(h.state.hearings[0]!.reminderSentAt).toBe('2026-04-14T01:00:00Z');
    h.setNow('2026-04-14T03:00:00Z');
    await h.machine.apply(
      { type: 'hearing-rescheduled', hearingId: 'h1', scheduledAt: '2026-05-20T09:00:00+08:00', reason: '延期' },
      agency,
    );
    await h.at('2026-05-19T01:00:00Z');
    expect(h.notices.at(-1)).toMatchObject({
      kind: 'hearing-reminder',
      facts: { hearingAt: '2026-05-20T09:00:00+08:00' },
    });
  });

  test('a plan that had lapsed is reopened by a later date and escalates no more for the old one', async () => {
    const h = await inSuit();
    await h.machine.apply(hearing('2026-04-15T09:00:00+08:00'), 'bureau');
    await h.at('2026-04-13T01:00:00Z');
    expect(h.duty('hearing-h1-plan')).toMatchObject({ status: 'overdue', escalations: 1 });
    h.setNow('2026-04-14T02:00:00Z');
    await h.machine.apply(
      { type: 'hearing-rescheduled', hearingId: 'h1', scheduledAt: '2026-05-20T09:00:00+08:00', reason: '延期' },
      'bureau',
    );
    const plan = h.duty('hearing-h1-plan');
    expect(plan).toMatchObject({ status: 'open', overdueSince: '2026-04-12T01:00:00.000Z', escalations: 1 });
    expect(plan.nextEscalationAt).toBeUndefined();
    const before = h.notices.length;
    await h.at('2026-04-20T01:00:00Z');
    expect(h.notices.slice(before).filter((n) => n.dutyId === 'hearing-h1-plan')).toEqual([]);
  });

  test('a cancelled hearing supersedes its plan and deputy approval and reminds no one', async () => {
    const h = await inSuit();
    await h.machine.apply(hearing('2026-04-15T09:00:00+08:00'), 'bureau');
    await h.machine.apply(
      { type: 'appearance-plan', hearingId: 'h1', appearing: 'deputy', name: '副局长甲', reason: '出差' },
      agency,
    );
    h.setNow('2026-03-10T02:00:00Z');
    await h.machine.apply({ type: 'hearing-cancelled', hearingId: 'h1', reason: '原告申请撤回' }, agency);
    expect(h.state.hearings[0]).toMatchObject({ status: 'cancelled' });
    expect(h.duty('hearing-h1-substitute-approval').status).toBe('superseded');
    expect(h.machine.nextWakeUp()?.label ?? '').not.toMatch(/开庭/);
    const before = h.notices.length;
    for (const at of ['2026-04-12T01:00:00Z', '2026-04-14T01:00:00Z', '2026-04-16T01:00:00Z']) await h.at(at);
    expect(
      h.notices.slice(before).filter((n) => n.kind === 'hearing-reminder' || n.dutyId?.startsWith('hearing')),
    ).toEqual([]);
    expect(allowedEvents(h.state, agency, h.machine.now())).not.toContain('hearing-cancelled');
    expect(
      h.machine.rejectReason(
        { type: 'appearance-record', hearingId: 'h1', appeared: true, who: '甲', role: 'principal', spoke: true },
        agency,
      )?.message,
    ).toBe('该次开庭已取消');
  });

  test('a hearing learned of after it took place is entered with its record, and only with it', async () => {
    const h = await inSuit();
    h.setNow('2026-03-20T02:00:00Z');
    expect(h.machine.rejectReason(hearing('2026-03-18T09:00:00+08:00'), agency)?.message).toMatch(/须同时登记出庭情况/);
    await h.machine.apply(
      hearing('2026-03-18T09:00:00+08:00', { record: { appeared: false, who: '王某', role: 'other', spoke: false } }),
      agency,
    );
    expect(h.state.hearings[0]).toMatchObject({ status: 'held', record: { appeared: false } });
    expect(h.machine.duty('hearing-h1-plan')).toBeUndefined();
    expect(h.notices.at(-1)).toMatchObject({
      kind: 'escalation',
      facts: { detail: expect.stringContaining('不计为有效出庭') },
    });
  });
});

describe('judgments and appeals', () => {
  test('a lost first-instance judgment waits out its appeal period with a decision duty, and owes no filing yet', async () => {
    const h = await inSuit('2026-09-20T02:00:00Z');
    h.setNow('2026-09-24T02:00:00Z');
    await h.machine.apply(judgment({ receivedAt: '2026-09-24T10:00:00+08:00', outcome: 'lost' }), agency);
    expect(h.state.stage).toBe('post-judgment');
    expect(h.state.judgment).toMatchObject({ id: 'j1', instance: 'first', documentType: 'judgment' });
    expect(h.state.judgment!.appealPeriod).toMatchObject({ dueDate: '2026-10-09' });
    expect(h.state.judgment!.effectiveOn).toBeUndefined();
    expect(h.duty('appeal-decision-j1')).toMatchObject({ owner: agency, dueDate: '2026-10-09', status: 'open' });
    expect(h.state.duties.filter((d) => d.ruleId === 'judgment-filing')).toEqual([]);
    expect(h.machine.rejectReason({ type: 'filing' }, agency)).toBeDefined();
    expect(allowedEvents(h.state, agency, h.machine.now())).toEqual(
      expect.arrayContaining(['appeal-filed', 'judgment-effective', 'appeal-decision']),
    );
  });

  test('an appeal returns the case to the suit; the second-instance judgment takes effect on receipt and filing counts from it', async () => {
    const h = await inSuit('2026-09-20T02:00:00Z');
    h.setNow('2026-09-24T02:00:00Z');
    await h.machine.apply(judgment({ receivedAt: '2026-09-24T10:00:00+08:00', outcome: 'lost' }), agency);
    h.setNow('2026-09-30T02:00:00Z');
    expect(
      h.machine.rejectReason({ type: 'appeal-filed', filedOn: '2026-10-20', by: 'agency' }, agency)?.message,
    ).toMatch(/晚于今天/);
    await h.machine.apply({ type: 'appeal-filed', filedOn: '2026-09-30', by: 'agency' }, agency);
    expect(h.state.stage).toBe('in-suit');
    expect(h.state.judgment).toBeUndefined();
    expect(h.state.earlierJudgments).toEqual([
      expect.objectContaining({ id: 'j1', appeal: { filedOn: '2026-09-30', by: 'agency' } }),
    ]);
    expect(h.duty('appeal-decision-j1')).toMatchObject({ status: 'done', note: '决定上诉' });
    // The period's end passes: nothing takes effect while the appeal is pending.
    await h.at('2026-10-12T01:00:00Z');
    expect(h.state.duties.filter((d) => d.ruleId === 'judgment-filing')).toEqual([]);
    // Second instance: hearings again, then the final judgment.
    h.setNow('2026-11-02T02:00:00Z');
    await h.machine.apply(hearing('2026-11-20T09:00:00+08:00', { headAppearanceRequired: false }), agency);
    h.setNow('2026-12-10T02:00:00Z');
    await h.machine.apply(
      judgment({ receivedAt: '2026-12-10T09:00:00+08:00', outcome: 'partly-lost', instance: 'second' }),
      agency,
    );
    expect(h.state.judgment).toMatchObject({
      id: 'j2',
      instance: 'second',
      effectiveOn: '2026-12-10',
      effectiveBy: 'final',
    });
    expect(h.duty('judgment-filing')).toMatchObject({ from: '2026-12-10', status: 'open' });
    expect(h.duty('loss-report')).toMatchObject({ from: '2026-12-10', dueDate: '2027-01-11' });
  });

  test('a period that ends with no appeal makes the judgment effective the next day; the moot decision never escalates', async () => {
    const h = await inSuit('2026-09-20T02:00:00Z');
    h.setNow('2026-09-24T02:00:00Z');
    await h.machine.apply(judgment({ receivedAt: '2026-09-24T10:00:00+08:00', outcome: 'lost' }), agency);
    await h.at('2026-10-08T01:00:00Z'); // the decision's reminder
    expect(h.machine.nextWakeUp()).toMatchObject({ at: '2026-10-09T16:00:00.000Z' });
    await h.at('2026-10-09T16:00:00.000Z');
    expect(h.state.judgment).toMatchObject({ effectiveOn: '2026-10-10', effectiveBy: 'appeal-period-lapsed' });
    expect(h.duty('appeal-decision-j1')).toMatchObject({
      status: 'superseded',
      overdueSince: '2026-10-09T16:00:00.000Z',
      escalations: 0,
    });
    expect(h.duty('judgment-filing')).toMatchObject({ from: '2026-10-10', status: 'open' });
    expect(h.duty('loss-report')).toMatchObject({ from: '2026-10-10' });
    await h.at('2026-10-12T01:00:00Z');
    expect(h.notices.filter((n) => n.dutyId === 'appeal-decision-j1' && n.kind.includes('escalation'))).toEqual([]);
  });

  test('a won judgment declared effective counts filing from the declared date and owes no decision on an appeal', async () => {
    const h = await inSuit('2026-09-20T02:00:00Z');
    h.setNow('2026-09-24T02:00:00Z');
    await h.machine.apply(judgment({ receivedAt: '2026-09-24T10:00:00+08:00', outcome: 'won' }), agency);
    expect(h.machine.duty('appeal-decision-j1')).toBeUndefined();
    h.setNow('2026-10-12T02:00:00Z');
    await h.machine.apply({ type: 'judgment-effective', effectiveOn: '2026-10-08' }, 'bureau');
    expect(h.state.judgment).toMatchObject({ effectiveOn: '2026-10-08', effectiveBy: 'declared' });
    expect(h.duty('judgment-filing').from).toBe('2026-10-08');
    expect(h.machine.duty('loss-report')).toBeUndefined();
  });

  test('a judgment ends the in-suit work: an overdue report keeps its lapse but escalates no more, an open mediation ends', async () => {
    const h = await inSuit();
    h.setNow('2026-03-03T02:00:00Z');
    await h.machine.apply({ type: 'entrustment-letter', receivedAt: '2026-03-03T09:00:00+08:00' }, agency);
    await h.at('2026-03-06T01:00:00Z');
    expect(h.duty('insuit-report')).toMatchObject({ status: 'overdue', escalations: 1 });
    h.setNow('2026-03-09T02:00:00Z');
    await h.machine.apply(
      judgment({
        receivedAt: '2026-03-09T09:00:00+08:00',
        outcome: 'dismissed',
        documentType: 'ruling',
      }),
      'bureau',
    );
    expect(h.duty('insuit-report')).toMatchObject({
      status: 'superseded',
      overdueSince: '2026-03-05T16:00:00.000Z',
      escalations: 1,
    });
    expect(h.duty('insuit-report').nextEscalationAt).toBeUndefined();
    expect(h.duty('defence-and-evidence').status).toBe('superseded');
    expect(h.duty('mediation-1-period').status).toBe('superseded');
    expect(h.state.mediations[0]!.overtakenAt).toBe('2026-03-09T02:00:00Z');
    // 驳回起诉 is not a loss for the agency: no decision on an appeal; a ruling's period is 10 days.
    expect(h.machine.duty('appeal-decision-j1')).toBeUndefined();
    expect(h.state.judgment!.appealPeriod!.dueDate).toBe('2026-03-19');
    const before = h.notices.length;
    await h.at('2026-03-16T01:00:00Z');
    expect(h.notices.slice(before).filter((n) => n.kind.includes('escalation'))).toEqual([]);
  });
});

describe('withdrawal, settlement and reopening', () => {
  test('a withdrawal needs the ruling date, files the ruling from it, and closes once filed', async () => {
    expect(caseEventSchema.safeParse({ type: 'withdrawn', reason: '原告撤诉' }).success).toBe(false);
    const h = await inSuit();
    h.setNow('2026-03-20T02:00:00Z');
    await h.machine.apply({ type: 'withdrawn', rulingOn: '2026-03-19', reason: '原告撤诉' }, agency);
    expect(h.state.withdrawn).toEqual({ at: '2026-03-20T02:00:00Z', rulingOn: '2026-03-19', reason: '原告撤诉' });
    expect(h.duty('judgment-filing')).toMatchObject({ from: '2026-03-19', status: 'open' });
    expect(h.duty('judgment-filing').title).toContain('准予撤诉裁定');
    expect(h.duty('insuit-report').status).toBe('superseded');
    expect(h.state.stage).toBe('in-suit');
    await h.machine.apply({ type: 'filing', documentNo: '（2026）闽0824行初5号' }, agency);
    expect(h.state.stage).toBe('closed');
  });

  test('a pre-suit dispute settled without a suit ends the case as 诉前化解', async () => {
    const h = harness(
      { trigger: { type: 'oral-notice', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    h.setNow('2026-03-04T02:00:00Z');
    await h.machine.apply({ type: 'presuit-feedback', summary: '双方和解，不再起诉', settled: true }, agency);
    expect(h.state.presuitSettled).toEqual({ at: '2026-03-04T02:00:00Z', summary: '双方和解，不再起诉' });
    expect(h.state.stage).toBe('closed');
  });

  test('a closed case whose judgment took effect reopens for a post-judgment entrustment letter; one not yet effective refuses it', async () => {
    const trigger = {
      type: 'judgment',
      receivedAt: '2026-03-02T09:00:00+08:00',
      outcome: 'won',
      instance: 'second',
    } as const;
    const h = harness({ trigger }, '2026-03-02T02:00:00Z');
    await h.machine.register(h.registration, 'bureau');
    await h.machine.apply({ type: 'filing' }, agency);
    expect(h.state.stage).toBe('closed');
    expect(allowedEvents(h.state, agency, h.machine.now())).toEqual(['entrustment-letter']);
    h.setNow('2026-04-01T02:00:00Z');
    await h.machine.apply({ type: 'entrustment-letter', receivedAt: '2026-04-01T09:00:00+08:00' }, agency);
    expect(h.state.stage).toBe('post-judgment');
    expect(h.state.closedAt).toBeUndefined();
    expect(h.state.mediations[0]).toMatchObject({ stage: 'post-judgment' });
    expect(h.state.timeline.map((e) => e.type)).toContain('reopened');

    const pending = harness({ trigger: { ...trigger, instance: 'first' } }, '2026-03-02T02:00:00Z');
    await pending.machine.register(pending.registration, 'bureau');
    expect(
      pending.machine.rejectReason({ type: 'entrustment-letter', receivedAt: '2026-03-03T09:00:00+08:00' }, agency)
        ?.message,
    ).toBe('裁判文书生效后才能委托协调化解');
  });
});

describe('defence and evidence', () => {
  test('a response notice opens the 15-day defence duty under 行政诉讼法第六十七条, done by defence-submitted', async () => {
    const h = await inSuit();
    const d = h.duty('defence-and-evidence');
    expect(d).toMatchObject({ owner: agency, dueDate: '2026-03-17', status: 'open' });
    expect(d.basis).toContain('行政诉讼法第六十七条');
    expect(d.reminders.length).toBeGreaterThan(0);
    h.setNow('2026-03-12T02:00:00Z');
    await h.machine.apply({ type: 'defence-submitted', note: '已提交答辩状及证据12份' }, agency);
    expect(d).toMatchObject({ status: 'done', doneBy: agency });
  });
});

describe('corrections', () => {
  test('only the bureau amends, and an amendment that changes nothing is refused in Chinese with a code', async () => {
    const h = await inSuit();
    const amend = { type: 'registration-amended', changes: { title: h.state.title }, reason: '核对' } as const;
    expect(h.machine.rejectReason(amend, 'bureau')).toMatchObject({
      code: 'no_change',
      message: expect.stringMatching(/无需更正/),
    });
    expect(h.machine.rejectReason({ ...amend, changes: { title: '新名称' } }, agency)).toMatchObject({
      code: 'not_allowed',
    });
  });

  test('a corrected trigger time re-counts the duties counted from it and keeps the amendment on record', async () => {
    const h = await inSuit();
    h.setNow('2026-03-10T02:00:00Z');
    await h.machine.apply(
      {
        type: 'registration-amended',
        changes: { triggerReceivedAt: '2026-03-09T09:00:00+08:00' },
        reason: '收到日期录错',
      },
      'bureau',
    );
    expect(h.state.trigger.receivedAt).toBe('2026-03-09T09:00:00+08:00');
    expect(h.duty('insuit-report')).toMatchObject({ dueDate: '2026-03-12', from: '2026-03-09T09:00:00+08:00' });
    expect(h.duty('insuit-report').previousDue?.[0]).toMatchObject({ dueDate: '2026-03-05' });
    expect(h.duty('defence-and-evidence').dueDate).toBe('2026-03-24');
    expect(h.state.amendments).toEqual([
      expect.objectContaining({
        by: 'bureau',
        reason: '收到日期录错',
        changes: { triggerReceivedAt: { from: '2026-03-02T09:00:00+08:00', to: '2026-03-09T09:00:00+08:00' } },
      }),
    ]);
  });

  test('a corrected agency moves the case, its duties and its leader; without the resolved names it is refused', async () => {
    const h = await inSuit();
    const amend = { type: 'registration-amended', changes: { agencyId: 'hrss' }, reason: '涉诉单位录错' } as const;
    expect(h.machine.rejectReason(amend, 'bureau')).toMatchObject({ code: 'unresolved_agency' });
    await h.machine.apply(amend, 'bureau', {
      resolved: { leaderId: 'vice-head-zhang', agencyName: '县人力资源和社会保障局', leaderName: '张副县长' },
    });
    expect(h.state).toMatchObject({
      agencyId: 'hrss',
      leaderId: 'vice-head-zhang',
      agencyName: '县人力资源和社会保障局',
    });
    expect(h.duty('insuit-report').owner).toBe('agency:hrss');
    expect(h.machine.canAct(agency)).toBe(false);
    expect(h.state.timeline.at(-1)!.summary).toContain('县人力资源和社会保障局');
    expect(h.state.timeline.at(-1)!.summary).not.toContain('hrss');
  });

  test('a corrected outcome makes the loss report appear, and disappear as superseded', async () => {
    const trigger = {
      type: 'judgment',
      receivedAt: '2026-03-02T09:00:00+08:00',
      outcome: 'won',
      instance: 'second',
    } as const;
    const h = harness({ trigger }, '2026-03-02T02:00:00Z');
    await h.machine.register(h.registration, 'bureau');
    expect(h.machine.duty('loss-report')).toBeUndefined();
    await h.machine.apply({ type: 'registration-amended', changes: { outcome: 'lost' }, reason: '结果录错' }, 'bureau');
    expect(h.duty('loss-report')).toMatchObject({ status: 'open', from: '2026-03-02' });
    await h.machine.apply({ type: 'registration-amended', changes: { outcome: 'won' }, reason: '再次核对' }, 'bureau');
    expect(h.duty('loss-report').status).toBe('superseded');
    expect(h.state.amendments).toHaveLength(2);
  });

  test('a voided case supersedes every outstanding duty, stops its timers and takes no more events', async () => {
    const h = await inSuit();
    expect(h.machine.rejectReason({ type: 'registration-voided', reason: '误登记' }, agency)).toMatchObject({
      code: 'not_allowed',
    });
    await h.machine.apply({ type: 'registration-voided', reason: '重复登记' }, 'bureau');
    expect(h.state.stage).toBe('voided');
    expect(h.state.voided).toMatchObject({ by: 'bureau', reason: '重复登记' });
    expect(h.state.duties.every((d) => d.status === 'superseded')).toBe(true);
    expect(h.machine.nextWakeUp()).toBeUndefined();
    const before = h.notices.length;
    await h.at('2026-04-01T01:00:00Z');
    expect(h.notices.length).toBe(before);
    expect(allowedEvents(h.state, 'bureau', h.machine.now())).toEqual([]);
    expect(h.machine.rejectReason({ type: 'insuit-report' }, agency)).toMatchObject({ code: 'case_voided' });
  });
});

describe('completions dated when they happened', () => {
  test('a report done on time but entered late is on time, and the timeline keeps both instants and the person', async () => {
    const h = await inSuit();
    h.setNow('2026-03-10T02:00:00Z');
    await h.machine.apply({ type: 'insuit-report', occurredAt: '2026-03-04T10:00:00+08:00' }, agency, {
      person: { id: 'p1', name: '王科长' },
    });
    const d = h.duty('insuit-report');
    expect(d).toMatchObject({
      status: 'done',
      doneAt: '2026-03-04T10:00:00+08:00',
      enteredAt: '2026-03-10T02:00:00Z',
      doneByPerson: '王科长',
    });
    expect(d.lateDays).toBeUndefined();
    expect(h.state.timeline.at(-1)).toMatchObject({
      at: '2026-03-10T02:00:00Z',
      occurredAt: '2026-03-04T10:00:00+08:00',
      by: '王科长',
    });
  });

  test('an occurredAt in the future or before the trigger is refused', async () => {
    const h = await inSuit();
    expect(
      h.machine.rejectReason({ type: 'insuit-report', occurredAt: '2026-03-09T09:00:00+08:00' }, agency),
    ).toMatchObject({
      code: 'in_future',
    });
    expect(
      h.machine.rejectReason({ type: 'insuit-report', occurredAt: '2026-03-01T09:00:00+08:00' }, agency),
    ).toMatchObject({
      code: 'before_trigger',
    });
  });
});

describe('dates and whole commands', () => {
  test('dates outside 2000-2099 are refused by the schemas with the field’s path', () => {
    const reg = registrationSchema.safeParse({
      caseId: 'T-1999',
      title: '案',
      agencyId: 'natural-resources',
      field: 'other',
      plaintiff: '甲',
      trigger: { type: 'response-notice', receivedAt: '1999-12-31T09:00:00+08:00' },
    });
    expect(reg.success).toBe(false);
    expect(reg.error!.issues[0]).toMatchObject({ path: ['trigger', 'receivedAt'], message: '须在2000年至2099年之间' });
    const ev = caseEventSchema.safeParse({ type: 'withdrawn', rulingOn: '2100-01-01' });
    expect(ev.error!.issues[0]!.path).toEqual(['rulingOn']);
    // Shanghai reads this instant as 2100-01-01.
    expect(caseEventSchema.safeParse({ type: 'judgment-effective', effectiveOn: '2099-12-31' }).success).toBe(true);
    expect(caseEventSchema.safeParse({ type: 'response-notice', receivedAt: '2099-12-31T20:00:00Z' }).success).toBe(
      false,
    );
  });

  test('a due date the engine cannot compute refuses the command with the state and notices untouched', async () => {
    const h = await inSuit();
    h.setNow('2026-03-20T02:00:00Z');
    const before = JSON.stringify(h.state);
    const sent = h.notices.length;
    h.useEngine({
      ...defaultEngine,
      compute: () => {
        throw new DeadlineInputError('out of range');
      },
    } as typeof defaultEngine);
    expect(
      thrown(() => h.machine.apply(judgment({ receivedAt: '2026-03-20T09:00:00+08:00', outcome: 'lost' }), agency)),
    ).toMatchObject({ code: 'deadline_out_of_range', message: expect.stringMatching(/期限无法计算/) });
    expect(JSON.stringify(h.state)).toBe(before);
    expect(h.notices.length).toBe(sent);
  });

  test('a registration whose due dates cannot be computed leaves no half-registered case', async () => {
    const h = harness({ trigger: RESPONSE }, '2026-03-02T02:00:00Z');
    const before = JSON.stringify(h.state);
    h.useEngine({
      ...defaultEngine,
      compute: () => {
        throw new DeadlineInputError('out of range');
      },
    } as typeof defaultEngine);
    expect(thrown(() => h.machine.register(h.registration, 'bureau'))).toMatchObject({ code: 'deadline_out_of_range' });
    expect(JSON.stringify(h.state)).toBe(before);
    expect(h.notices).toEqual([]);
  });
});

describe('texts for people', () => {
  test('the timeline, the current details and notice details show names and 24时 deadlines, never raw ids', async () => {
    const h = await inSuit();
    await h.machine.apply(hearing('2026-04-15T09:00:00+08:00'), 'bureau');
    expect(h.state.timeline[0]!.summary).toMatch(/^登记建档/);
    const details = h.machine.currentDetails();
    expect(details).toContain('县自然资源局');
    expect(details).toContain('2026年3月5日24时前');
    const texts = [
      details,
      ...h.state.timeline.map((e) => e.summary),
      ...h.notices.map((n) => n.facts.detail ?? ''),
    ].join('\n');
    for (const raw of ['natural-resources', 'agency:', 'land-taking', 'response-notice', 'in-suit'])
      expect(texts).not.toContain(raw);
    expect(h.duty('hearing-h1-plan').basis).toContain('本平台工作规则');
  });
});
