import { loadDirectory } from '../../src/directory';
import type { RegistryStore } from '../../src/registry';
import { computeIndicators } from '../../src/reports/indicators';
import { quarterPeriod } from '../../src/reports/period';
import { decideQuarter } from '../../src/reports/quarterly';
import { renderQuarterlyReport } from '../../src/reports/render';
import { ReportStore } from '../../src/reports/store';
import { parseReportConfig } from '../../src/reports/thresholds';
import type { Judgment } from '../../src/workflows/case/types';
import { openTestRegistry, record, seed, type CaseSpec } from './fixtures';

// Issue 11: statistics count what happened and when it happened, never when it was typed.
const directory = loadDirectory();
const Q4 = quarterPeriod(2025, 4);
const firstLost = (receivedAt: string): Judgment => ({
  id: 'j1',
  instance: 'first',
  documentType: 'judgment',
  receivedAt,
  outcome: 'lost',
  appeal: { filedOn: receivedAt.slice(0, 10), by: 'agency' },
});
const second = (receivedAt: string, outcome: Judgment['outcome'], effectiveOn: string) => ({
  id: 'j2',
  instance: 'second' as const,
  receivedAt,
  outcome,
  effectiveOn,
  effectiveBy: 'final' as const,
});

const cases: CaseSpec[] = [
  {
    // Received in October 2025, typed in January 2026; lost at first instance, won on appeal.
    id: 'P1',
    agencyId: 'hrss',
    field: 'work-injury',
    entered: 'in-suit',
    registeredAt: '2026-01-05T02:00:00.000Z',
    triggerAt: '2025-10-10T02:00:00.000Z',
    earlierJudgments: [firstLost('2025-11-01T02:00:00.000Z')],
    judgment: second('2025-12-10T02:00:00.000Z', 'won', '2025-12-10'),
  },
  {
    // Lost at first instance, upheld on appeal.
    id: 'P2',
    agencyId: 'hrss',
    field: 'work-injury',
    entered: 'in-suit',
    registeredAt: '2025-10-05T02:00:00.000Z',
    earlierJudgments: [firstLost('2025-11-02T02:00:00.000Z')],
    judgment: second('2025-12-15T02:00:00.000Z', 'lost', '2025-12-15'),
  },
  {
    // Lost at first instance; the appeal period is still running: not yet 审结.
    id: 'P3',
    agencyId: 'hrss',
    field: 'work-injury',
    entered: 'in-suit',
    registeredAt: '2025-10-06T02:00:00.000Z',
    judgment: { receivedAt: '2025-12-25T02:00:00.000Z', outcome: 'lost', effectiveOn: null },
  },
  {
    // Withdrawn: the court's 准予撤诉 ruling in December, entered in January.
    id: 'P4',
    agencyId: 'hrss',
    field: 'work-injury',
    entered: 'in-suit',
    registeredAt: '2025-10-07T02:00:00.000Z',
    withdrawn: { at: '2026-01-03T02:00:00.000Z', rulingOn: '2025-12-20', reason: '原告撤诉' },
  },
  {
    // Entered by mistake: a loss and a missed hearing that must count nowhere.
    id: 'P5',
    agencyId: 'hrss',
    field: 'work-injury',
    entered: 'in-suit',
    registeredAt: '2025-10-03T02:00:00.000Z',
    judgment: { receivedAt: '2025-11-01T02:00:00.000Z', outcome: 'lost' },
    hearings: [{ scheduledAt: '2025-10-20T01:00:00.000Z' }],
    voided: { at: '2025-10-04T02:00:00.000Z', by: 'bureau', reason: '重复登记' },
  },
  {
    // A hearing cancelled (no record) and one moved and held: only the held one counts.
    id: 'P6',
    agencyId: 'hrss',
    field: 'work-injury',
    entered: 'in-suit',
    registeredAt: '2025-10-08T02:00:00.000Z',
    hearings: [
      {
        scheduledAt: '2025-11-05T01:00:00.000Z',
        status: 'cancelled',
        history: [
          { from: '2025-11-05T01:00:00.000Z', at: '2025-11-01T01:00:00.000Z', reason: '撤销', kind: 'cancelled' },
        ],
      },
      {
        scheduledAt: '2025-11-20T01:00:00.000Z',
        status: 'held',
        history: [
          {
            from: '2025-11-12T01:00:00.000Z',
            to: '2025-11-20T01:00:00.000Z',
            at: '2025-11-10T01:00:00.000Z',
            reason: '法院改期',
            kind: 'rescheduled',
          },
        ],
        record: record({ at: '2025-11-20T04:00:00.000Z' }),
      },
    ],
  },
  {
    // A pre-suit dispute settled without a suit: 诉前化解.
    id: 'P7',
    agencyId: 'hrss',
    field: 'work-injury',
    entered: 'pre-suit',
    registeredAt: '2025-10-09T02:00:00.000Z',
    presuitSettled: { at: '2025-11-15T02:00:00.000Z', summary: '双方和解' },
  },
  {
    // Registered at the judgment stage: still a suit, and 审结 when its judgment took effect.
    id: 'P8',
    agencyId: 'hrss',
    field: 'work-injury',
    entered: 'post-judgment',
    registeredAt: '2025-10-21T02:00:00.000Z',
    triggerAt: '2025-10-20T02:00:00.000Z',
    judgment: { receivedAt: '2025-10-20T02:00:00.000Z', outcome: 'won' },
  },
  {
    // Received in December, effective in January when the appeal period lapsed: a first-quarter 2026 judgment.
    id: 'P9',
    agencyId: 'hrss',
    field: 'work-injury',
    entered: 'in-suit',
    registeredAt: '2025-10-22T02:00:00.000Z',
    judgment: {
      receivedAt: '2025-12-16T02:00:00.000Z',
      outcome: 'partly-lost',
      effectiveOn: '2026-01-02',
      effectiveBy: 'appeal-period-lapsed',
    },
  },
  {
    // Lost on appeal (effective), then won on retrial: the retrial's outcome is the final one.
    id: 'P10',
    agencyId: 'hrss',
    field: 'work-injury',
    entered: 'in-suit',
    registeredAt: '2025-10-23T02:00:00.000Z',
    earlierJudgments: [
      firstLost('2025-10-24T02:00:00.000Z'),
      { ...second('2025-10-25T02:00:00.000Z', 'lost', '2025-10-25'), documentType: 'judgment' },
    ],
    judgment: { ...second('2025-12-05T02:00:00.000Z', 'won', '2025-12-05'), id: 'j3', instance: 'retrial' },
  },
];

let store: RegistryStore;
beforeAll(async () => {
  store = await openTestRegistry();
  await seed(store, cases);
});
afterAll(async () => {
  await store?.close();
});

const ctx = (period: { from: string; to: string }) => ({
  period,
  asOf: '2026-01-10T01:00:00.000Z',
  population: directory.county.population,
  cityAverageLitigationRate: directory.county.cityAverageLitigationRate,
  agencyIds: directory.agencies.map((a) => a.id),
});
const figures = async (period = Q4) => computeIndicators(await new ReportStore(store).indicatorRows(), ctx(period));

test('a case is dated by when its notice was received, so a case entered late counts in last year’s quarter', async () => {
  const { county } = await figures();
  expect(county.registered.total.caseIds).toEqual(['P1', 'P10', 'P2', 'P3', 'P4', 'P6', 'P7', 'P8', 'P9']);
  const q1 = (await figures(quarterPeriod(2026, 1))).county;
  expect(q1.registered.total.count).toBe(0);
});

test('the loss rate counts the final effective outcome: reversed on appeal is won, upheld is lost, pending is not counted', async () => {
  const { county } = await figures();
  // 审结: P1 (won on appeal), P2 (upheld loss), P8 (won), P10 (won on retrial) by their effective dates, and P4's
  // withdrawal.
  expect(county.concluded.judgments.caseIds).toEqual(['P1', 'P10', 'P2', 'P8']);
  expect(county.concluded.withdrawals.caseIds).toEqual(['P4']);
  expect(county.lossRate.numerator.caseIds).toEqual(['P2']);
  expect(county.lossRate.denominator.caseIds).toEqual(['P1', 'P10', 'P2', 'P4', 'P8']);
  expect(county.lossRate.rate).toBe(0.2);
  // P9 took effect on 2 January 2026: it belongs to the next quarter.
  const q1 = (await figures(quarterPeriod(2026, 1))).county;
  expect(q1.lossRate.numerator.caseIds).toEqual(['P9']);
  expect(q1.lossRate.rate).toBe(1);
});

test('a cancelled hearing is left out of the appearance rate; a moved one counts on its new date', async () => {
  const { county } = await figures();
  expect(county.appearanceRate.denominator.caseIds).toEqual(['P6']);
  expect(county.appearanceRate.rate).toBe(1);
  expect(county.appearanceRate.misses).toEqual([]);
});

test('a voided case is left out of every figure', async () => {
  const report = await figures();
  const all = JSON.stringify(report);
  expect(all).not.toContain('"P5"');
});

test('a pre-suit settlement counts as 诉前化解, and a case registered at the judgment stage as a suit', async () => {
  const { county } = await figures();
  expect(county.mediation.resolvedPreSuit.caseIds).toEqual(['P7']);
  expect(county.litigationRate.suits.caseIds).toEqual(['P1', 'P10', 'P2', 'P3', 'P4', 'P6', 'P8', 'P9']);
});

test('the report says how 审结 was counted and words an absence as not a valid appearance', async () => {
  const ind = await figures();
  const d = decideQuarter(2025, 4, ind, [], parseReportConfig({}));
  const agencyNames = Object.fromEntries(directory.agencies.map((a) => [a.id, a.name]));
  const leaderNames = Object.fromEntries(directory.leaders.map((l) => [l.id, l.name]));
  const absent = structuredClone(ind);
  absent.county.appearanceRate.misses.push({
    caseId: 'P6',
    hearingId: 'h2',
    scheduledAt: '2025-11-20T01:00:00.000Z',
    reason: 'absent',
    who: null,
  });
  absent.agencies.hrss!.appearanceRate.misses = absent.county.appearanceRate.misses;
  absent.county.duties.stillOverdue.push({
    caseId: 'P6',
    dutyId: 'd',
    ruleId: 'insuit-report',
    title: '报告',
    owner: 'agency:hrss',
    dueDate: '2025-10-11',
    daysLate: 3,
  });
  const { markdown } = renderQuarterlyReport({
    id: 'quarterly-report-2025-Q4',
    year: 2025,
    quarter: 4,
    generatedAt: '2026-01-05T01:00:00.000Z',
    countyName: '示例县',
    agencyNames,
    leaderNames,
    indicators: absent,
    ...d,
  });
  expect(markdown).toContain('审结 5 件（裁判生效 4 件、准予撤诉 1 件）');
  expect(markdown).toContain('负责人未出庭，不计为有效出庭');
  expect(markdown).toContain('（县人力资源和社会保障局，应于 2025-10-11 前完成');
  expect(markdown).not.toMatch(/agency:|leader:/);
});
