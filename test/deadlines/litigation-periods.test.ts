import { createDeadlineEngine, DEFAULT_RULES, type RuleId } from '../../src/deadlines';

const engine = createDeadlineEngine();

// Worked out by hand from the 2026 arrangement: 中秋 09-25..09-27, 国庆 10-01..10-07, make-up Sun 09-20 and Sat 10-10;
// 春节 02-15..02-23.
const table: [rule: RuleId, from: string, due: string, note: string][] = [
  ['defence-and-evidence', '2026-09-24', '2026-10-09', 'day 15 is Fri 10-09, a working day'],
  ['defence-and-evidence', '2026-09-18', '2026-10-08', 'day 15 is 10-03, in 国庆: rolls to 10-08'],
  ['appeal-period-judgment', '2026-09-20', '2026-10-08', 'day 15 is 10-05, in 国庆: rolls to 10-08'],
  ['appeal-period-judgment', '2026-02-06', '2026-02-24', 'day 15 is Sat 02-21, in 春节: rolls to Tue 02-24'],
  ['appeal-period-ruling', '2026-09-24', '2026-10-08', 'day 10 is 10-04, in 国庆: rolls to 10-08'],
  ['appeal-period-ruling', '2026-02-06', '2026-02-24', 'day 10 is 02-16, in 春节: rolls to 02-24'],
  ['appeal-period-ruling', '2026-03-02', '2026-03-12', 'day 10 is Thu 03-12'],
];

describe('the Litigation Law’s own periods', () => {
  test.each(table)('%s from %s falls due on %s (%s)', (rule, from, due) => {
    expect(engine.compute({ rule, from }).dueDate).toBe(due);
  });

  test('the defence period cites article 67 and the day-counting articles, never the county notice', () => {
    const d = engine.compute({ rule: 'defence-and-evidence', from: '2026-09-24T10:00:00+08:00' });
    expect(d.basis).toContain('行政诉讼法第六十七条');
    expect(d.basis).toContain('行政诉讼法第一百零一条、民事诉讼法第八十五条');
    expect(d.basis).toContain('2026年10月9日24时前');
    expect(d.basis).not.toContain('武政办');
  });

  test('appeal periods cite article 85 and count from the day after service', () => {
    const j = engine.compute({ rule: 'appeal-period-judgment', from: '2026-03-02' });
    expect(j.basis).toContain('行政诉讼法第八十五条');
    expect(j.basis).toContain('自判决书送达次日起算15日');
    expect(engine.compute({ rule: 'appeal-period-ruling', from: '2026-03-02' }).basis).toContain(
      '自裁定书送达次日起算10日',
    );
  });

  test('only the notice’s own periods are attributed to the notice', () => {
    for (const rule of Object.values(DEFAULT_RULES)) {
      expect(rule.clause.includes('武政办〔2023〕47号')).toBe(rule.source === 'notice');
    }
    expect(DEFAULT_RULES['reminder-letter-answer'].source).toBe('system');
  });
});

describe('when people may be told (working hours on working days)', () => {
  const cases: [at: string, expected: string, note: string][] = [
    [
      '2026-10-01T00:00:00+08:00',
      '2026-10-08T01:00:00.000Z',
      'a lapse at 24:00 of 09-30 waits out 国庆 to 09:00 on 10-08',
    ],
    ['2026-09-30T10:00:00+08:00', '2026-09-30T02:00:00.000Z', 'inside working hours of a working day: at once'],
    ['2026-09-30T07:00:00+08:00', '2026-09-30T01:00:00.000Z', 'early morning of a working day: 09:00 that day'],
    ['2026-09-30T19:00:00+08:00', '2026-10-08T01:00:00.000Z', 'evening before the holiday: the next working morning'],
    ['2026-10-10T12:00:00+08:00', '2026-10-10T04:00:00.000Z', 'Sat 10-10 is a make-up working day: at once'],
    ['2026-09-19T12:00:00+08:00', '2026-09-20T01:00:00.000Z', 'Sat 09-19: Sun 09-20 is a make-up working day'],
  ];
  test.each(cases)('%s → %s (%s)', (at, expected) => {
    expect(engine.workingMoment(at).at).toBe(expected);
  });
});
