import type { RegistryStore } from '../../src/registry';
import { computeIndicators } from '../../src/reports/indicators';
import { quarterPeriod } from '../../src/reports/period';
import { ReportStore } from '../../src/reports/store';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { openTestRegistry, record, seed } from './fixtures';

const backends: [string, () => Promise<{ url: string; stop(): Promise<void> }>][] = [
  ['SQLite', async () => ({ url: 'sqlite::memory:', stop: async () => undefined })],
  ['PostgreSQL', (): Promise<TestPostgres> => startTestPostgres()],
];

describe.each(backends)('reports and letters on %s', (_name, start) => {
  let db: { url: string; stop(): Promise<void> };
  let store: RegistryStore;
  let reports: ReportStore;
  beforeAll(async () => {
    db = await start();
    store = await openTestRegistry(db.url);
    reports = new ReportStore(store);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await db?.stop();
  });

  test('rows read back with the types the indicators expect', async () => {
    await seed(store, [
      {
        id: 'P1',
        agencyId: 'hrss',
        field: 'work-injury',
        entered: 'pre-suit',
        registeredAt: '2025-01-05T02:00:00.000Z',
        suitAt: '2025-02-01T02:00:00.000Z',
        judgment: { receivedAt: '2025-03-01T02:00:00.000Z', outcome: 'lost' },
        hearings: [
          {
            scheduledAt: '2025-02-20T01:00:00.000Z',
            record: record({ role: 'deputy' }),
            plan: {
              appearing: 'deputy',
              name: '副局长',
              reason: '出差',
              submittedAt: '2025-02-10T00:00:00.000Z',
              approval: { approved: true, by: 'leader:vice-head-zhang', at: '2025-02-11T00:00:00.000Z' },
            },
          },
        ],
      },
    ]);
    const rows = await reports.indicatorRows();
    expect(rows.hearings[0]).toMatchObject({
      headAppearanceRequired: true,
      approvalApproved: true,
      appeared: true,
      spoke: true,
      role: 'deputy',
    });
    const ind = computeIndicators(rows, {
      period: quarterPeriod(2025, 1),
      asOf: '2025-04-01T00:00:00Z',
      population: 380_000,
      cityAverageLitigationRate: 0.9,
      agencyIds: ['hrss'],
    });
    expect(ind.agencies.hrss!.appearanceRate.rate).toBe(1);
    expect(ind.agencies.hrss!.lossRate.rate).toBe(1);
    expect(ind.county.litigationRate.suits.caseIds).toEqual(['P1']);
  });

  test('a rerun replaces the quarter’s report and counts its generation', async () => {
    const base = {
      id: 'quarterly-report-2025-Q1',
      year: 2025,
      quarter: 1,
      period: quarterPeriod(2025, 1),
      figures: { a: 1 },
      markdown: '# 一',
      html: '<h1>一</h1>',
    };
    expect((await reports.saveReport({ ...base, generatedAt: '2025-04-01T01:00:00.000Z' })).generation).toBe(1);
    await reports.saveReport({ ...base, generatedAt: '2025-04-02T01:00:00.000Z', markdown: '# 二' });
    expect(await reports.getReport(2025, 1)).toMatchObject({
      generation: 2,
      markdown: '# 二',
      figures: { a: 1 },
      generatedAt: '2025-04-02T01:00:00.000Z',
    });
    expect(await reports.getReport(2025, 2)).toBeUndefined();
  });

  test('a letter is upserted by its workflow and keeps the interview mark of a later report', async () => {
    const letter = {
      id: '2025-Q1-hrss',
      year: 2025,
      quarter: 1,
      agencyId: 'hrss',
      leaderId: 'vice-head-zhang',
      issuedAt: '2025-04-01T01:00:00.000Z',
      dueDate: '2025-04-16',
      dueAt: '2025-04-16T16:00:00.000Z',
      status: 'issued' as const,
      acknowledgedAt: null,
      acknowledgedBy: null,
      answeredAt: null,
      answeredBy: null,
      answer: null,
      overdueSince: null,
      escalations: 0,
      breaches: [{ kind: 'loss-rate' as const, value: 1, threshold: 0.3, caseIds: ['P1'], text: '败诉率100.0%' }],
      letter: '# 工作提醒函',
    };
    await reports.recordLetter(letter);
    await reports.markInterview(letter.id, '2025-Q2', '2025-07-01T01:00:00.000Z');
    await reports.markInterview(letter.id, '2025-Q3', '2025-10-09T01:00:00.000Z');
    await reports.recordLetter({
      ...letter,
      status: 'answered',
      answeredAt: '2025-07-02T00:00:00.000Z',
      answeredBy: 'agency:hrss',
      answer: '整改',
    });
    expect(await reports.getLetter(letter.id)).toMatchObject({
      status: 'answered',
      answer: '整改',
      escalations: 0,
      interviewReport: '2025-Q2',
      interviewAt: '2025-07-01T01:00:00.000Z',
      breaches: letter.breaches,
    });
    expect((await reports.lettersOfQuarter(2025, 1)).map((l) => l.id)).toEqual([letter.id]);
  });
});
