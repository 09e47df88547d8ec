import { randomUUID } from 'node:crypto';
import { RegistryStore } from '../../src/registry';
import { tempDir } from '../support/dev-server';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { caseState, duty } from './fixtures';

// The same behaviour on both databases: one migration set, one query layer.
const backends: [string, () => Promise<{ url: string; stop(): Promise<void> }>][] = [
  [
    'SQLite',
    async () => {
      const dir = tempDir('registry');
      return { url: `sqlite:${dir.path}/nested/yingsu.db`, stop: async () => dir.remove() };
    },
  ],
  ['PostgreSQL', (): Promise<TestPostgres> => startTestPostgres()],
];

describe.each(backends)('the registry on %s', (_name, start) => {
  let backend: { url: string; stop(): Promise<void> };
  let store: RegistryStore;

  beforeAll(async () => {
    backend = await start();
    store = await RegistryStore.open(backend.url);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await backend?.stop();
  });

  test('runs its migrations again at start-up without changing anything', async () => {
    const again = await RegistryStore.open(backend.url);
    await again.close();
  });

  test('records a new case with its registration as the first stage change', async () => {
    const id = `c-${randomUUID()}`;
    const r = await store.recordCase({ state: caseState(id) });
    expect(r).toEqual({ created: true, stageChanged: false, timelineInserted: 2 });
    const rec = await store.getCaseRecord(id);
    expect(rec?.case).toMatchObject({ id, plaintiff: '张某', stage: 'in-suit', major: false, withdrawn: null });
    expect(rec?.stageChanges).toEqual([
      expect.objectContaining({ seq: 1, from: null, to: 'in-suit', at: '2026-03-03T02:00:00.000Z' }),
    ]);
  });

  test('writing the same snapshot twice changes nothing: no second stage change, no duplicated timeline', async () => {
    const id = `c-${randomUUID()}`;
    const state = caseState(id);
    await store.recordCase({ state });
    const second = await store.recordCase({ state });
    expect(second).toEqual({ created: false, stageChanged: false, timelineInserted: 0 });
    const rec = await store.getCaseRecord(id);
    expect(rec?.timeline.map((t) => t.seq)).toEqual([0, 1]);
    expect(rec?.stageChanges).toHaveLength(1);
    expect(rec?.duties).toHaveLength(1);
  });

  test('records a stage change once even when the activity is retried', async () => {
    const id = `c-${randomUUID()}`;
    const state = caseState(id);
    await store.recordCase({ state });
    const judged = caseState(id, {
      stage: 'post-judgment',
      judgment: {
        id: 'j1',
        instance: 'first',
        documentType: 'judgment',
        receivedAt: '2026-05-01T02:00:00.000Z',
        outcome: 'lost',
        documentNo: '(2026)闽0824行初12号',
      },
      timeline: [
        ...state.timeline,
        {
          seq: 2,
          at: '2026-05-01T02:00:00.000Z',
          actor: 'agency:natural-resources',
          type: 'judgment',
          summary: '收到判决书：败诉',
        },
      ],
    });
    const first = await store.recordCase({ state: judged, timelineFrom: 2 });
    const retry = await store.recordCase({ state: judged, timelineFrom: 2 });
    expect(first).toEqual({ created: false, stageChanged: true, timelineInserted: 1 });
    expect(retry).toEqual({ created: false, stageChanged: false, timelineInserted: 0 });
    const rec = await store.getCaseRecord(id);
    expect(rec?.stageChanges.map((s) => [s.from, s.to, s.at])).toEqual([
      [null, 'in-suit', '2026-03-03T02:00:00.000Z'],
      ['in-suit', 'post-judgment', '2026-05-01T02:00:00.000Z'],
    ]);
    expect(rec?.timeline).toHaveLength(3);
  });

  test('keeps timeline entries already written even when a later snapshot reworded them', async () => {
    const id = `c-${randomUUID()}`;
    const state = caseState(id);
    await store.recordCase({ state });
    const reworded = caseState(id, { timeline: state.timeline.map((e) => ({ ...e, summary: `${e.summary}（改）` })) });
    await store.recordCase({ state: reworded, timelineFrom: 0 });
    const rec = await store.getCaseRecord(id);
    expect(rec?.timeline.map((t) => t.summary)).toEqual(state.timeline.map((e) => e.summary));
  });

  test('returns a complete record: duties with their history, hearings, mediations, judgment and notices', async () => {
    const id = `c-${randomUUID()}`;
    const state = caseState(id, {
      major: true,
      duties: [
        duty('d1', {
          status: 'done',
          overdueSince: '2026-03-06T16:00:00.000Z',
          escalations: 2,
          doneAt: '2026-03-09T03:00:00.000Z',
          doneBy: 'agency:natural-resources',
          lateDays: 3,
          previousDue: [
            {
              dueDate: '2026-03-05',
              dueAt: '2026-03-05T16:00:00.000Z',
              provisional: false,
              basis: '武政办〔2023〕47号 一(二)',
              replacedAt: '2026-03-04T00:00:00.000Z',
              reason: '节假日调整',
            },
          ],
        }),
        duty('d2', { ruleId: 'mediation-period', status: 'open', provisional: true }),
      ],
      mediations: [
        {
          round: 1,
          stage: 'in-suit',
          letterReceivedAt: '2026-03-10T02:00:00.000Z',
          periodDutyId: 'd2',
          progressDutyIds: ['d3'],
          extensions: [
            {
              at: '2026-04-01T02:00:00.000Z',
              newDueDate: '2026-05-10',
              previousDueDate: '2026-04-10',
              partiesConsented: true,
              courtInformedOn: '2026-04-01',
            },
          ],
          result: {
            outcome: 'failed',
            process: '三次调解',
            demands: '补偿',
            disputeFocus: '补偿标准',
            failureReasons: '分歧过大',
            at: '2026-05-09T02:00:00.000Z',
          },
        },
      ],
      hearings: [
        {
          id: 'h1',
          scheduledAt: '2026-04-20T01:30:00.000Z',
          headAppearanceRequired: true,
          plan: {
            appearing: 'deputy',
            name: '钱副局长',
            reason: '外出学习',
            submittedAt: '2026-04-15T02:00:00.000Z',
            approval: { approved: true, by: 'leader:vice-head-li', at: '2026-04-16T02:00:00.000Z' },
          },
          record: { appeared: true, who: '钱副局长', role: 'deputy', spoke: true, at: '2026-04-20T04:00:00.000Z' },
        },
      ],
      judgment: {
        id: 'j1',
        instance: 'first',
        documentType: 'judgment',
        receivedAt: '2026-06-01T02:00:00.000Z',
        outcome: 'partly-lost',
        lossReport: {
          submittedAt: '2026-06-20T02:00:00.000Z',
          submissions: 1,
          reviews: [{ at: '2026-06-25T02:00:00.000Z', decision: 'approved' }],
        },
      },
      withdrawn: undefined,
    });
    await store.recordCase({ state });
    await store.enqueueNoticeRows(`${id}/d1/escalation/1`, [
      {
        key: `${id}/d1/escalation/1`,
        caseId: id,
        dutyId: 'd1',
        kind: 'escalation',
        agencyId: 'natural-resources',
        recipient: 'bureau',
        channel: 'log',
        contactNo: -1,
        target: 'log',
        subject: '【逾期督办】',
        body: '正文',
        facts: { caseTitle: state.title },
        requestedAt: '2026-03-07T00:00:00.000Z',
      },
    ]);
    const rec = await store.getCaseRecord(id);
    expect(rec?.case.major).toBe(true);
    expect(rec?.duties).toEqual([
      expect.objectContaining({
        id: 'd1',
        status: 'done',
        lateDays: 3,
        escalations: 2,
        provisional: false,
        previousDue: [expect.objectContaining({ dueDate: '2026-03-05', reason: '节假日调整' })],
      }),
      expect.objectContaining({ id: 'd2', status: 'open', provisional: true, previousDue: null, doneAt: null }),
    ]);
    expect(rec?.hearings).toEqual([
      expect.objectContaining({
        id: 'h1',
        headAppearanceRequired: true,
        plan: expect.objectContaining({
          appearing: 'deputy',
          approval: expect.objectContaining({ approved: true, by: 'leader:vice-head-li' }),
        }),
        record: expect.objectContaining({ appeared: true, role: 'deputy', spoke: true, viceCountyHeadAppeared: null }),
      }),
    ]);
    expect(rec?.mediations[0]).toMatchObject({
      round: 1,
      extensions: [{ newDueDate: '2026-05-10' }],
      result: { outcome: 'failed', disputeFocus: '补偿标准' },
    });
    expect(rec?.judgment).toMatchObject({
      outcome: 'partly-lost',
      lossReport: { submittedAt: '2026-06-20T02:00:00.000Z', submissions: 1, reviews: [{ decision: 'approved' }] },
    });
    expect(rec?.notices).toEqual([
      expect.objectContaining({ key: `${id}/d1/escalation/1`, status: 'pending', attempts: 0 }),
    ]);

    const judgments = await store.judgmentsReceivedBetween('2026-06-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z');
    expect(judgments.filter((j) => j.case_id === id)).toEqual([
      expect.objectContaining({ agency_id: 'natural-resources', outcome: 'partly-lost' }),
    ]);
    const hearings = await store.hearingsScheduledBetween('2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z');
    expect(hearings.filter((h) => h.case_id === id)).toEqual([
      expect.objectContaining({ appeared: 1, appeared_role: 'deputy' }),
    ]);
  });

  test('keeps issue 11’s record: judgment instances and appeal, hearing changes, corrections, when things happened and by whom', async () => {
    const id = `c-${randomUUID()}`;
    const first = {
      id: 'j1',
      instance: 'first' as const,
      documentType: 'judgment' as const,
      receivedAt: '2026-05-01T02:00:00.000Z',
      outcome: 'lost' as const,
      appealPeriod: { dueDate: '2026-05-16', dueAt: '2026-05-16T16:00:00.000Z', basis: '行政诉讼法第八十五条' },
      appeal: { filedOn: '2026-05-10', by: 'agency' as const },
    };
    const state = caseState(id, {
      stage: 'closed',
      trigger: { type: 'response-notice', receivedAt: '2025-11-20T01:00:00.000Z' },
      duties: [
        duty('d1', {
          status: 'done',
          doneAt: '2026-03-05T02:00:00.000Z',
          enteredAt: '2026-03-20T02:00:00.000Z',
          doneBy: 'agency:natural-resources',
          doneByPerson: '王科长',
          lateDays: 0,
        }),
        duty('d2', { status: 'superseded', overdueSince: '2026-03-06T16:00:00.000Z', escalations: 1 }),
      ],
      hearings: [
        {
          id: 'h1',
          scheduledAt: '2026-04-22T01:30:00.000Z',
          headAppearanceRequired: true,
          status: 'cancelled',
          history: [
            {
              from: '2026-04-20T01:30:00.000Z',
              to: '2026-04-22T01:30:00.000Z',
              at: '2026-04-10T02:00:00.000Z',
              reason: '法院调整',
              kind: 'rescheduled',
            },
            { from: '2026-04-22T01:30:00.000Z', at: '2026-04-15T02:00:00.000Z', reason: '原告撤诉', kind: 'cancelled' },
          ],
        },
      ],
      earlierJudgments: [first],
      judgment: {
        id: 'j2',
        instance: 'second',
        documentType: 'judgment',
        receivedAt: '2026-08-01T02:00:00.000Z',
        outcome: 'won',
        effectiveOn: '2026-08-01',
        effectiveBy: 'final',
      },
      withdrawn: { at: '2026-08-02T02:00:00.000Z', rulingOn: '2026-07-30', reason: '原告撤诉' },
      presuitSettled: { at: '2026-02-01T02:00:00.000Z', summary: '双方和解' },
      voided: { at: '2026-09-01T02:00:00.000Z', by: 'bureau', reason: '重复登记' },
      amendments: [
        {
          at: '2026-03-04T02:00:00.000Z',
          by: 'bureau',
          reason: '机关填错',
          changes: { agencyId: { from: 'hrss', to: 'natural-resources' } },
        },
      ],
      timeline: [
        {
          seq: 0,
          at: '2026-03-20T02:00:00.000Z',
          occurredAt: '2026-03-05T02:00:00.000Z',
          by: '王科长',
          actor: 'agency:natural-resources',
          type: 'insuit-report',
          summary: '报告',
        },
      ],
    });
    await store.recordCase({ state });
    const rec = await store.getCaseRecord(id);
    expect(rec?.case).toMatchObject({
      agencyName: '县自然资源局',
      leaderName: '李副县长',
      trigger: { type: 'response-notice', receivedAt: '2025-11-20T01:00:00.000Z' },
      withdrawnRulingOn: '2026-07-30',
      presuitSettled: { at: '2026-02-01T02:00:00.000Z', summary: '双方和解' },
      voided: { at: '2026-09-01T02:00:00.000Z', by: 'bureau', reason: '重复登记' },
      amendments: [{ reason: '机关填错', changes: { agencyId: { from: 'hrss', to: 'natural-resources' } } }],
    });
    expect(rec?.duties).toEqual([
      expect.objectContaining({ id: 'd1', enteredAt: '2026-03-20T02:00:00.000Z', doneByPerson: '王科长' }),
      expect.objectContaining({ id: 'd2', status: 'superseded', overdueSince: '2026-03-06T16:00:00.000Z' }),
    ]);
    expect(rec?.hearings[0]).toMatchObject({
      status: 'cancelled',
      history: [{ kind: 'rescheduled' }, { kind: 'cancelled' }],
    });
    expect(rec?.judgment).toMatchObject({
      id: 'j2',
      instance: 'second',
      documentType: 'judgment',
      outcome: 'won',
      effectiveOn: '2026-08-01',
      effectiveBy: 'final',
      appeal: null,
      earlier: [{ id: 'j1', outcome: 'lost', appeal: { filedOn: '2026-05-10', by: 'agency' } }],
    });
    expect(rec?.timeline).toEqual([
      expect.objectContaining({ at: '2026-03-20T02:00:00.000Z', occurredAt: '2026-03-05T02:00:00.000Z', by: '王科长' }),
    ]);
    // A superseded duty is not outstanding: the to-do list leaves it out.
    const todo = await store.listDuties({ scope: { agencyIds: ['natural-resources'], owners: [] } });
    expect(todo.filter((d) => d.caseId === id).map((d) => d.dutyId)).toEqual([]);
  });

  test('answers undefined for a case it has never seen', async () => {
    expect(await store.getCaseRecord(`missing-${randomUUID()}`)).toBeUndefined();
  });

  test('enqueues a notice key once: a second enqueue returns the first rows unchanged', async () => {
    const key = `c-${randomUUID()}/-/inform/1`;
    const row = {
      key,
      caseId: 'c',
      dutyId: null,
      kind: 'inform',
      agencyId: 'hrss',
      recipient: 'agency:hrss',
      channel: 'log',
      contactNo: -1,
      target: 'log',
      subject: 's',
      body: 'b',
      facts: { caseTitle: 't' },
      requestedAt: '2026-01-01T00:00:00.000Z',
    };
    const first = await store.enqueueNoticeRows(key, [row]);
    const second = await store.enqueueNoticeRows(key, [row, { ...row, recipient: 'bureau' }]);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.rows).toEqual(first.rows);
    await store.markNoticeDelivered(first.rows[0]!.id, 'logged');
    // A failure reported after the delivery (a late channel error) does not downgrade the row.
    const late = await store.endNotice(first.rows[0]!.id, {
      outcome: { status: 'failed', error: 'late failure', at: new Date() },
    });
    expect(late.closed).toBe(false);
    expect(await store.getNoticeRow(first.rows[0]!.id)).toMatchObject({
      status: 'delivered',
      channelAnswer: 'logged',
    });
  });

  // The outbox drainer's claims. Each test writes its rows at an instant of its own, long past, and claims at that
  // instant: rows of the other tests (written now) are not yet due there.
  const outboxRow = (key: string, recipient: string) => ({
    key,
    caseId: 'c',
    dutyId: null,
    kind: 'inform',
    agencyId: 'hrss',
    recipient,
    channel: 'webhook',
    contactNo: 0,
    target: 'http://127.0.0.1:1/hook',
    subject: 's',
    body: 'b',
    facts: { caseTitle: 't' },
    requestedAt: '2026-01-01T00:00:00.000Z',
  });

  test('claims due rows with a lease: none again while it holds, all of them once it has expired', async () => {
    const at = new Date('1990-01-01T00:00:00.000Z');
    const later = (ms: number) => new Date(at.getTime() + ms);
    const key = `c-${randomUUID()}/-/inform/1`;
    await store.enqueueNoticeRows(key, [outboxRow(key, 'agency:hrss'), outboxRow(key, 'bureau')], at);
    const first = await store.claimDueNotices('a', at, later(60_000), 10);
    // The first claim starts the row's horizon.
    expect(first.map((r) => [r.recipient, r.status, r.firstAttemptAt, r.alertedAt])).toEqual([
      ['agency:hrss', 'pending', at.toISOString(), null],
      ['bureau', 'pending', at.toISOString(), null],
    ]);
    expect(await store.claimDueNotices('b', later(59_999), later(120_000), 10)).toEqual([]);
    // Only the lease holder starts an attempt.
    expect(await store.startNoticeAttempt(first[0]!.id, 'b', later(1), later(60_000))).toBeUndefined();
    expect(await store.startNoticeAttempt(first[0]!.id, 'a', later(1), later(60_000))).toEqual({
      attempts: 1,
      firstAttemptAt: at.toISOString(),
    });
    const taken = await store.claimDueNotices('b', later(60_000), later(120_000), 10);
    expect(taken.map((r) => [r.recipient, r.status])).toEqual([
      ['agency:hrss', 'sending'],
      ['bureau', 'pending'],
    ]);
    // The old holder's lease is gone; the new holder's attempt keeps the first claim's instant (the horizon).
    expect(await store.startNoticeAttempt(taken[0]!.id, 'a', later(60_001), later(99_000))).toBeUndefined();
    expect(await store.startNoticeAttempt(taken[0]!.id, 'b', later(60_001), later(99_000))).toEqual({
      attempts: 2,
      firstAttemptAt: at.toISOString(),
    });
    await store.markNoticeDelivered(taken[0]!.id, 'HTTP 200', later(60_002));
    await store.markNoticeAttemptFailed(taken[1]!.id, 'refused', 'HTTP 503', later(90_000));
    expect(await store.claimDueNotices('c', later(89_999), later(200_000), 10)).toEqual([]);
    expect((await store.claimDueNotices('c', later(90_000), later(200_000), 10)).map((r) => r.recipient)).toEqual([
      'bureau',
    ]);
  });

  test('two drainers claiming at once never get the same row', async () => {
    const at = new Date('1980-01-01T00:00:00.000Z');
    const lease = new Date(at.getTime() + 60_000);
    const keys = Array.from({ length: 60 }, (_, i) => `c-${randomUUID()}/d${i}/inform/1`);
    for (const key of keys) await store.enqueueNoticeRows(key, [outboxRow(key, 'agency:hrss')], at);
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) => store.claimDueNotices(`drainer-${i}`, at, lease, 15)),
    );
    const ids = claims.flat().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(60);
  });

  test('the bureau is alerted once per notice, whoever asks and however often', async () => {
    const at = new Date('1970-06-01T00:00:00.000Z');
    const key = `c-${randomUUID()}/-/inform/1`;
    await store.enqueueNoticeRows(key, [outboxRow(key, 'agency:hrss'), outboxRow(key, 'bureau')], at);
    const alertKey = `${key}/delivery-failed`;
    const alertRows = [{ ...outboxRow(alertKey, 'bureau'), kind: 'delivery-failed' }];
    const answers = await Promise.all(
      [1, 2, 3].map(() => store.enqueueNoticeAlert({ noticeKey: key, alertKey, rows: alertRows, at })),
    );
    expect(answers.filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(await store.enqueueNoticeAlert({ noticeKey: key, alertKey, rows: alertRows, at })).toBe(false);
    expect(await store.noticeRowsByKey(alertKey)).toHaveLength(1);
    const claimed = await store.claimDueNotices('a', at, new Date(at.getTime() + 1000), 10);
    expect(claimed.filter((r) => r.key === key).every((r) => r.alertedAt === at.toISOString())).toBe(true);
  });

  // The last two: their alert rows are due at their own instants, earlier than the other tests' claims.
  test('a notice that will not be sent is closed, alerted and settled in one transaction, or not at all', async () => {
    const at = new Date('1965-01-01T00:00:00.000Z');
    const lease = new Date(at.getTime() + 60_000);
    const key = `c-${randomUUID()}/-/inform/1`;
    await store.enqueueNoticeRows(key, [outboxRow(key, 'agency:hrss')], at);
    const [row] = (await store.claimDueNotices('a', at, lease, 10)).filter((r) => r.key === key);
    const alertKey = `${key}/delivery-failed`;
    const alert = {
      noticeKey: key,
      alertKey,
      rows: [{ ...outboxRow(alertKey, 'bureau'), kind: 'delivery-failed' }],
      at,
    };
    const outcome = { status: 'undeliverable' as const, error: '没有可用的送达渠道', at, answer: null };

    // The row cannot be closed (an outcome without a valid instant), after its alert was written in the same
    // transaction: nothing of the three stays.
    const broken = { ...outcome, at: new Date(NaN) };
    await expect(store.endNotice(row!.id, { outcome: broken, alert })).rejects.toThrow(RangeError);
    expect(await store.getNoticeRow(row!.id)).toMatchObject({ status: row!.status, lastError: null });
    expect(await store.noticeRowsByKey(alertKey)).toHaveLength(0);

    // Not marked alerted by the attempt that failed: this one alerts.
    expect(await store.endNotice(row!.id, { outcome, alert })).toEqual({ closed: true, alerted: true });
    expect(await store.getNoticeRow(row!.id)).toMatchObject({
      status: 'undeliverable',
      lastError: '没有可用的送达渠道',
    });
    expect(await store.noticeRowsByKey(alertKey)).toHaveLength(1);
    // Settled: no drainer takes the row again, even once its lease has run out; the alert's row is due.
    const later = await store.claimDueNotices(
      'b',
      new Date(lease.getTime() + 1),
      new Date(lease.getTime() + 60_000),
      10,
    );
    expect(later.map((r) => r.key)).toEqual([alertKey]);
    // Ended again (a second drainer, a retry): nothing more is written.
    expect(await store.endNotice(row!.id, { outcome, alert })).toEqual({ closed: false, alerted: false });
    expect(await store.noticeRowsByKey(alertKey)).toHaveLength(1);
  });

  test('two rows of one notice ended at once both end, and the bureau is alerted once', async () => {
    const at = new Date('1966-01-01T00:00:00.000Z');
    const keys = Array.from({ length: 10 }, () => `c-${randomUUID()}/-/inform/1`);
    for (const key of keys)
      await store.enqueueNoticeRows(key, [outboxRow(key, 'agency:hrss'), outboxRow(key, 'bureau')], at);
    const rows = (await store.claimDueNotices('a', at, new Date(at.getTime() + 60_000), 100)).filter((r) =>
      keys.includes(r.key),
    );
    expect(rows).toHaveLength(20);
    const outcome = { status: 'undeliverable' as const, error: '没有可用的送达渠道', at };
    const ends = await Promise.all(
      rows.map((r) => {
        const alertKey = `${r.key}/delivery-failed`;
        const alertRows = [{ ...outboxRow(alertKey, 'bureau'), kind: 'delivery-failed' }];
        return store.endNotice(r.id, { outcome, alert: { noticeKey: r.key, alertKey, rows: alertRows, at } });
      }),
    );
    expect(ends.every((e) => e.closed)).toBe(true);
    for (const key of keys) {
      expect(ends.filter((e, i) => e.alerted && rows[i]!.key === key)).toHaveLength(1);
      expect(await store.noticeRowsByKey(`${key}/delivery-failed`)).toHaveLength(1);
    }
  });
});
