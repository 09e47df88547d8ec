import { appearanceMiss, computeIndicators, type HearingRow } from '../../src/reports/indicators';
import { quarterPeriod, yearPeriod, litigationWindow, quarterOf } from '../../src/reports/period';
import { ReportStore } from '../../src/reports/store';
import { breachesOf, parseReportConfig, type Breach } from '../../src/reports/thresholds';
import type { LetterRecord, LetterStatus } from '../../src/reports/store';
import { decideQuarter } from '../../src/reports/quarterly';
import { renderQuarterlyReport } from '../../src/reports/render';
import { loadDirectory } from '../../src/directory';
import type { RegistryStore } from '../../src/registry';
import { duty, failed, openTestRegistry, record, resolved, seed, type CaseSpec } from './fixtures';

const directory = loadDirectory();
const POP = directory.county.population; // 380,000: 38 units of 10,000

/**
 * A year (2025) of cases with known outcomes. Hand-computed figures for Q1 2025 ([2025-01-01, 2025-04-01) Shanghai):
 * registered C1–C6 (C6 at 23:00 Shanghai on 31 March; C7 at 00:00 on 1 April belongs to Q2).
 */
const year2025: CaseSpec[] = [
  {
    id: 'C1',
    agencyId: 'natural-resources',
    field: 'land-taking',
    entered: 'pre-suit',
    registeredAt: '2025-01-10T02:00:00.000Z',
    mediations: [{ stage: 'pre-suit', result: resolved('2025-02-05T02:00:00.000Z') }],
  },
  {
    id: 'C2',
    agencyId: 'natural-resources',
    field: 'land-taking',
    entered: 'in-suit',
    registeredAt: '2025-01-15T02:00:00.000Z',
    judgment: { receivedAt: '2025-03-10T02:00:00.000Z', outcome: 'lost' },
    hearings: [{ scheduledAt: '2025-02-20T01:00:00.000Z', record: record() }],
    duties: [
      duty('insuit-report', {
        owner: 'agency:natural-resources',
        dueDate: '2025-01-18',
        dueAt: '2025-01-18T16:00:00.000Z',
        status: 'overdue',
        overdueSince: '2025-01-18T16:00:00.000Z',
      }),
    ],
  },
  {
    id: 'C3',
    agencyId: 'natural-resources',
    field: 'planning',
    entered: 'in-suit',
    registeredAt: '2025-02-01T02:00:00.000Z',
    judgment: { receivedAt: '2025-03-20T02:00:00.000Z', outcome: 'won' },
    // Appeared but did not speak: not 既出庭、又出声.
    hearings: [{ scheduledAt: '2025-03-01T01:00:00.000Z', record: record({ spoke: false }) }],
    duties: [
      duty('hearing-h1-substitute-approval', {
        ruleId: 'substitute-approval',
        owner: 'leader:vice-head-li',
        dueDate: '2025-02-27',
        dueAt: '2025-02-27T16:00:00.000Z',
        status: 'overdue',
        overdueSince: '2025-02-27T16:00:00.000Z',
      }),
    ],
  },
  {
    id: 'C4',
    agencyId: 'hrss',
    field: 'work-injury',
    entered: 'pre-suit',
    registeredAt: '2025-02-10T02:00:00.000Z',
    suitAt: '2025-03-05T03:00:00.000Z',
    mediations: [{ stage: 'pre-suit', result: failed('2025-03-01T02:00:00.000Z') }],
    hearings: [
      {
        scheduledAt: '2025-03-25T01:00:00.000Z',
        plan: {
          appearing: 'deputy',
          name: '钱副局长',
          reason: '出差',
          submittedAt: '2025-03-20T01:00:00.000Z',
          approval: { approved: true, by: 'leader:vice-head-zhang', at: '2025-03-21T01:00:00.000Z' },
        },
        record: record({ who: '钱副局长', role: 'deputy' }),
      },
    ],
  },
  {
    id: 'C5',
    agencyId: 'hrss',
    field: 'work-injury',
    entered: 'post-judgment',
    registeredAt: '2025-03-15T02:00:00.000Z',
    judgment: { receivedAt: '2025-03-14T08:00:00.000Z', outcome: 'partly-lost' },
    mediations: [{ stage: 'post-judgment', result: resolved('2025-04-20T02:00:00.000Z') }],
    duties: [
      duty('judgment-filing', {
        ruleId: 'judgment-filing',
        owner: 'agency:hrss',
        dueDate: '2025-03-25',
        dueAt: '2025-03-25T16:00:00.000Z',
        status: 'done',
        doneAt: '2025-03-28T02:00:00.000Z',
        lateDays: 3,
      }),
    ],
  },
  {
    id: 'C6',
    agencyId: 'market-regulation',
    field: 'market-regulation',
    entered: 'in-suit',
    registeredAt: '2025-03-31T15:00:00.000Z',
    // Written with an offset, as the API accepts it; no appearance record.
    hearings: [{ scheduledAt: '2025-03-31T10:00:00+08:00' }],
  },
  {
    id: 'C7',
    agencyId: 'market-regulation',
    field: 'market-regulation',
    entered: 'in-suit',
    registeredAt: '2025-03-31T16:00:00.000Z',
  },
  {
    id: 'C8',
    agencyId: 'public-security',
    field: 'public-order',
    entered: 'in-suit',
    registeredAt: '2025-05-10T02:00:00.000Z',
    mediations: [{ stage: 'in-suit', result: resolved('2025-06-01T02:00:00.000Z') }],
  },
];

let store: RegistryStore;
beforeAll(async () => {
  store = await openTestRegistry();
  await seed(store, year2025);
});
afterAll(async () => {
  await store?.close();
});

const ctx = (period: { from: string; to: string }, asOf = '2026-01-10T01:00:00.000Z') => ({
  period,
  asOf,
  population: POP,
  cityAverageLitigationRate: directory.county.cityAverageLitigationRate,
  agencyIds: directory.agencies.map((a) => a.id),
});

describe('indicators from the registry, against hand-computed figures', () => {
  test('the first quarter of 2025 counts every figure county-wide with the cases behind it', async () => {
    const rows = await new ReportStore(store).indicatorRows();
    const { county } = computeIndicators(rows, ctx(quarterPeriod(2025, 1)));
    expect(county.registered.total).toEqual({ count: 6, caseIds: ['C1', 'C2', 'C3', 'C4', 'C5', 'C6'] });
    expect(county.registered.byEntryStage).toEqual({
      'pre-suit': { count: 2, caseIds: ['C1', 'C4'] },
      'in-suit': { count: 3, caseIds: ['C2', 'C3', 'C6'] },
      'post-judgment': { count: 1, caseIds: ['C5'] },
    });
    expect(county.registered.byField).toEqual({
      'land-taking': { count: 2, caseIds: ['C1', 'C2'] },
      'work-injury': { count: 2, caseIds: ['C4', 'C5'] },
      'market-regulation': { count: 1, caseIds: ['C6'] },
      planning: { count: 1, caseIds: ['C3'] },
      'public-order': { count: 0, caseIds: [] },
      other: { count: 0, caseIds: [] },
    });
    expect(county.mediation).toEqual({
      resolvedPreSuit: { count: 1, caseIds: ['C1'] },
      resolvedInSuit: { count: 0, caseIds: [] },
      resolvedPostJudgment: { count: 0, caseIds: [] },
      failed: { count: 1, caseIds: ['C4'] },
    });
    // 败诉率: C2 lost and C5 partly lost, of C2, C3 (won) and C5 → 2/3.
    expect(county.lossRate.numerator).toEqual({ count: 2, caseIds: ['C2', 'C5'] });
    expect(county.lossRate.denominator).toEqual({ count: 3, caseIds: ['C2', 'C3', 'C5'] });
    expect(county.lossRate.rate).toBeCloseTo(2 / 3, 10);
    // 出庭应诉率: C2 principal spoke, C4 approved deputy spoke → 2 of 4; C3 silent, C6 no record.
    expect(county.appearanceRate.numerator).toEqual({ count: 2, caseIds: ['C2', 'C4'] });
    expect(county.appearanceRate.denominator).toEqual({ count: 4, caseIds: ['C2', 'C3', 'C4', 'C6'] });
    expect(county.appearanceRate.rate).toBe(0.5);
    expect(county.appearanceRate.misses.map((m) => [m.caseId, m.reason])).toEqual([
      ['C3', 'silent'],
      ['C6', 'no-record'],
    ]);
    expect(county.duties.doneLate.map((d) => [d.caseId, d.dutyId, d.daysLate])).toEqual([['C5', 'judgment-filing', 3]]);
    // Still overdue on 2026-01-10: the agency's report and the leader's approval (county counts every owner).
    expect(county.duties.stillOverdue.map((d) => [d.caseId, d.dutyId, d.daysLate])).toEqual([
      ['C2', 'insuit-report', 357],
      ['C3', 'hearing-h1-substitute-approval', 317],
    ]);
    // 万人成讼率 year to date: suits C2, C3, C4 (entered in-suit on 5 March), C5 (registered at the judgment stage: a
    // judgment implies a suit), C6 → 5 ÷ 38.
    expect(county.litigationRate.window).toEqual({ from: '2024-12-31T16:00:00.000Z', to: '2025-03-31T16:00:00.000Z' });
    expect(county.litigationRate.suits).toEqual({ count: 5, caseIds: ['C2', 'C3', 'C4', 'C5', 'C6'] });
    expect(county.litigationRate.rate).toBeCloseTo(5 / 38, 10);
    expect(county.litigationRate.aboveCityAverage).toBe(false);
  });

  test('an agency answers only for its own cases and the duties it owns', async () => {
    const rows = await new ReportStore(store).indicatorRows();
    const { agencies } = computeIndicators(rows, ctx(quarterPeriod(2025, 1)));
    expect(Object.keys(agencies)).toEqual(directory.agencies.map((a) => a.id));
    const nr = agencies['natural-resources']!;
    expect(nr.registered.total.caseIds).toEqual(['C1', 'C2', 'C3']);
    expect([nr.lossRate.numerator.count, nr.lossRate.denominator.count, nr.lossRate.rate]).toEqual([1, 2, 0.5]);
    expect([nr.appearanceRate.numerator.count, nr.appearanceRate.denominator.count]).toEqual([1, 2]);
    expect(nr.duties.stillOverdue.map((d) => d.dutyId)).toEqual(['insuit-report']);
    expect(nr.litigationRate.suits.caseIds).toEqual(['C2', 'C3']);
    const hr = agencies.hrss!;
    expect(hr.lossRate.rate).toBe(1);
    expect(hr.appearanceRate.rate).toBe(1);
    expect(hr.duties.doneLate.map((d) => d.caseId)).toEqual(['C5']);
    expect(hr.litigationRate.suits.caseIds).toEqual(['C4', 'C5']);
    const mr = agencies['market-regulation']!;
    expect(mr.registered.total.caseIds).toEqual(['C6']);
    expect(mr.appearanceRate.rate).toBe(0);
    const ps = agencies['public-security']!;
    expect(ps.registered.total.count).toBe(0);
    expect(ps.lossRate.rate).toBeNull();
    expect(ps.appearanceRate.rate).toBeNull();
  });

  test('the whole year adds the second quarter’s cases, the in-suit and after-judgment settlements and their suits', async () => {
    const rows = await new ReportStore(store).indicatorRows();
    const { county } = computeIndicators(rows, ctx(yearPeriod(2025)));
    expect(county.registered.total.count).toBe(8);
    expect(county.mediation.resolvedInSuit.caseIds).toEqual(['C8']);
    expect(county.mediation.resolvedPostJudgment.caseIds).toEqual(['C5']);
    expect(county.litigationRate.suits.caseIds).toEqual(['C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8']);
    expect(county.litigationRate.rate).toBeCloseTo(7 / 38, 10);
  });

  test('a hearing still to come is pending, not a miss', async () => {
    const rows = await new ReportStore(store).indicatorRows();
    const { county } = computeIndicators(rows, ctx(quarterPeriod(2025, 1), '2025-03-20T00:00:00.000Z'));
    // C4 (25 March) and C6 (31 March) are after the figures' instant; C4 already has its record, so it counts.
    expect(county.appearanceRate.pending.caseIds).toEqual(['C6']);
    expect(county.appearanceRate.denominator.caseIds).toEqual(['C2', 'C3', 'C4']);
  });
});

describe('what counts as the head appearing', () => {
  const base: HearingRow = {
    caseId: 'X',
    hearingId: 'h1',
    scheduledAt: '2025-01-01T00:00:00Z',
    headAppearanceRequired: true,
    planAppearing: 'principal',
    approvalApproved: null,
    appeared: true,
    who: '局长',
    role: 'principal',
    spoke: true,
    viceCountyHeadAppeared: null,
  };
  test('a deputy without the leader’s consent, another person, or a silent head is a miss', () => {
    expect(appearanceMiss(base, false)).toBeUndefined();
    expect(appearanceMiss({ ...base, role: 'deputy', approvalApproved: null }, false)).toBe('unapproved-deputy');
    expect(appearanceMiss({ ...base, role: 'deputy', approvalApproved: false }, false)).toBe('unapproved-deputy');
    expect(appearanceMiss({ ...base, role: 'deputy', approvalApproved: true }, false)).toBeUndefined();
    expect(appearanceMiss({ ...base, role: 'other' }, false)).toBe('other-person');
    expect(appearanceMiss({ ...base, spoke: false }, false)).toBe('silent');
    expect(appearanceMiss({ ...base, appeared: false }, false)).toBe('absent');
  });
  test('when the county government is sued the vice county head must appear as well', () => {
    expect(appearanceMiss(base, true)).toBe('vice-county-head-absent');
    expect(appearanceMiss({ ...base, viceCountyHeadAppeared: true }, true)).toBeUndefined();
  });
});

describe('periods', () => {
  test('quarters run from 00:00 Shanghai on their first day, and 万人成讼率 counts the year to date', () => {
    expect(quarterPeriod(2026, 4)).toEqual({ from: '2026-09-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
    expect(quarterOf('2026-12-31T16:30:00Z')).toEqual({ year: 2027, quarter: 1 });
    expect(litigationWindow(quarterPeriod(2026, 3))).toEqual({
      from: '2025-12-31T16:00:00.000Z',
      to: '2026-09-30T16:00:00.000Z',
    });
  });
});

describe('thresholds, letters and interviews', () => {
  test('settings are validated and filled with defaults', () => {
    expect(parseReportConfig({}).thresholds).toEqual({
      lossRate: 0.3,
      minJudgments: 2,
      caseCount: 5,
      appearanceRate: 1,
      litigationAboveCityAverage: true,
    });
    expect(() => parseReportConfig({ thresholds: { lossRate: 2, typo: 1 } })).toThrow(
      /thresholds\.lossRate[\s\S]*thresholds/,
    );
  });

  test('agencies over a threshold get a letter naming the figures and the cases', async () => {
    const rows = await new ReportStore(store).indicatorRows();
    const ind = computeIndicators(rows, ctx(quarterPeriod(2025, 1)));
    const config = parseReportConfig({});
    // Natural resources: loss 1/2 > 30% and appearance 1/2 < 100%. HR: one loss of one judgment is below the minimum.
    expect(breachesOf(ind.agencies['natural-resources']!, config).map((b) => [b.kind, b.caseIds])).toEqual([
      ['loss-rate', ['C2']],
      ['appearance-rate', ['C3']],
    ]);
    expect(breachesOf(ind.agencies.hrss!, config)).toEqual([]);
    expect(
      breachesOf(ind.agencies.hrss!, parseReportConfig({ thresholds: { minJudgments: 1 } })).map((b) => b.kind),
    ).toEqual(['loss-rate']);
    expect(breachesOf(ind.agencies['market-regulation']!, config).map((b) => b.kind)).toEqual(['appearance-rate']);
    // A litigation rate above a (lowered) city average, and a case count at the threshold.
    const strict = parseReportConfig({ thresholds: { caseCount: 3 } });
    expect(breachesOf(ind.agencies['natural-resources']!, strict).map((b) => b.kind)).toContain('case-count');
    const low = computeIndicators(rows, { ...ctx(quarterPeriod(2025, 1)), cityAverageLitigationRate: 0.04 });
    expect(breachesOf(low.agencies['natural-resources']!, config).map((b) => b.kind)).toContain('litigation-rate');

    const d = decideQuarter(2025, 1, ind, [], config);
    expect(d.letters.map((l) => l.letterId)).toEqual(['2025-Q1-natural-resources', '2025-Q1-market-regulation']);
    const { markdown, html } = renderQuarterlyReport({
      id: 'quarterly-report-2025-Q1',
      year: 2025,
      quarter: 1,
      generatedAt: '2025-04-01T01:00:00.000Z',
      countyName: '示例县',
      agencyNames: Object.fromEntries(directory.agencies.map((a) => [a.id, a.name])),
      indicators: ind,
      ...d,
    });
    expect(markdown).toContain('示例县2025年第一季度行政机关行政诉讼工作情况通报');
    expect(markdown).toContain('败诉率 66.7%');
    expect(markdown).toContain('向县自然资源局发出《工作提醒函》：败诉率50.0%');
    expect(markdown).not.toContain('natural-resources');
    expect(markdown).toContain('案件 C3');
    expect(html).toContain('<td>县自然资源局</td>');
  });

  test('约谈 follows a letter whose 败诉率 or 万人成讼率 is still over its threshold in the next report, answered or not', async () => {
    const rows = await new ReportStore(store).indicatorRows();
    const ind = computeIndicators(rows, ctx(quarterPeriod(2025, 1)));
    const config = parseReportConfig({});
    const breach = (kind: Breach['kind']): Breach => ({ kind, value: 1, threshold: 0, caseIds: [], text: kind });
    const letter = (agencyId: string, status: LetterStatus, kinds: Breach['kind'][]): LetterRecord => ({
      id: `2024-Q4-${agencyId}`,
      year: 2024,
      quarter: 4,
      agencyId,
      leaderId: 'l',
      issuedAt: '',
      dueDate: null,
      dueAt: null,
      status,
      acknowledgedAt: null,
      acknowledgedBy: null,
      answeredAt: null,
      answeredBy: null,
      answer: null,
      overdueSince: null,
      escalations: 0,
      breaches: kinds.map(breach),
      letter: '',
      interviewReport: null,
      interviewAt: null,
    });
    // Natural resources (loss 1/2 and appearance 1/2 in Q1 2025) answered its loss-rate letter: still interviewed.
    // Market regulation (appearance 0/1 in Q1) had a letter on its appearance rate only: a letter again, no interview.
    // Public security's loss rate is no longer over. HR's 1 loss of 1 judgment is below the minimum count.
    const d = decideQuarter(
      2025,
      1,
      ind,
      [
        letter('natural-resources', 'answered', ['loss-rate', 'appearance-rate']),
        letter('market-regulation', 'issued', ['appearance-rate']),
        letter('public-security', 'issued', ['loss-rate']),
        letter('hrss', 'acknowledged', ['loss-rate']),
      ],
      config,
    );
    expect(d.interviews.map((i) => [i.agencyId, i.previousLetterId, i.breaches.map((b) => b.kind)])).toEqual([
      ['natural-resources', '2024-Q4-natural-resources', ['loss-rate']],
    ]);
    expect(d.letters.map((l) => l.agencyId)).toContain('market-regulation');

    // An appearance-rate breach alone never leads to an interview, even for a letter that named it.
    const appearanceOnly = decideQuarter(
      2025,
      1,
      ind,
      [letter('market-regulation', 'issued', ['appearance-rate'])],
      config,
    );
    expect(appearanceOnly.interviews).toEqual([]);

    // With two reports required, the rate must have stayed over in the report in between as well.
    const two = parseReportConfig({ interviewAfterReports: 2 });
    const nrLetter = [letter('natural-resources', 'issued', ['loss-rate'])];
    const over = { 'natural-resources': [breach('loss-rate')] };
    expect(decideQuarter(2025, 1, ind, nrLetter, two, [over]).interviews.map((i) => i.agencyId)).toEqual([
      'natural-resources',
    ]);
    expect(decideQuarter(2025, 1, ind, nrLetter, two, [{ 'natural-resources': [] }]).interviews).toEqual([]);
    expect(parseReportConfig({}).interviewAfterReports).toBe(1);
    expect(() => parseReportConfig({ interviewAfterReports: 0 })).toThrow(/interviewAfterReports/);
  });
});
