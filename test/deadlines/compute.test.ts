import { createDeadlineEngine, DeadlineInputError, type DeadlineInput, type RuleId } from '../../src/deadlines';

const engine = createDeadlineEngine();

// Each expected date was worked out by hand from the State Council arrangements (src/deadlines/data) and a wall
// calendar; the note says why the date is what it is.
type Row = [rule: RuleId, from: string, due: string, note: string, nth?: number];
const table: Row[] = [
  // 2023
  [
    'presuit-oral-feedback',
    '2023-01-17',
    '2023-01-28',
    '春节 2023: day 5 is 01-22, off to 01-27; Sat 01-28 is a make-up day',
  ],
  ['insuit-report', '2023-01-18', '2023-01-28', '春节 2023: day 3 is 01-21, the first day off'],
  ['judgment-filing', '2023-01-19', '2023-02-02', '春节 2023: 01-20, make-up 01-28 and 01-29, then 01-30..02-02'],
  ['insuit-report', '2023-04-02', '2023-04-06', '清明 2023: 04-05 off'],
  ['presuit-oral-feedback', '2023-04-18', '2023-04-23', '劳动节 2023: Sun 04-23 is a make-up day, no roll'],
  ['loss-analysis-report', '2023-04-01', '2023-05-04', '劳动节 2023: day 30 is 05-01, off to 05-03'],
  ['insuit-report', '2023-06-20', '2023-06-25', '端午 2023: 06-23, 06-24 off; Sun 06-25 is a make-up day'],
  ['mediation-period', '2023-08-31', '2023-10-07', '中秋+国庆 2023: 09-30 off to 10-06; Sat 10-07 is a make-up day'],
  ['mediation-weekly-progress', '2023-09-15', '2023-10-07', 'report 2 ends on day 14 = 09-29, off to 10-06', 2],
  // 2024
  ['presuit-oral-feedback', '2023-12-27', '2024-01-02', '元旦 2024: 01-01 off'],
  ['insuit-report', '2024-02-06', '2024-02-09', '春节 2024: 除夕 Fri 02-09 is a working day'],
  ['presuit-oral-feedback', '2024-02-07', '2024-02-18', '春节 2024: 02-12 off to 02-17; Sun 02-18 is a make-up day'],
  ['presuit-oral-feedback', '2024-01-30', '2024-02-04', '春节 2024: Sun 02-04 is a make-up day'],
  ['judgment-filing', '2024-02-08', '2024-02-23', '春节 2024: 除夕 02-09, make-up 02-18, then 02-19..02-23'],
  ['insuit-report', '2024-04-01', '2024-04-07', '清明 2024: 04-04..04-06 off; Sun 04-07 is a make-up day'],
  ['mediation-weekly-progress', '2024-04-21', '2024-04-28', '劳动节 2024: Sun 04-28 is a make-up day', 1],
  ['presuit-oral-feedback', '2024-04-28', '2024-05-06', '劳动节 2024: 05-03 off to 05-05'],
  ['judgment-filing', '2024-04-30', '2024-05-13', '劳动节 2024: 05-06..05-10, make-up Sat 05-11, Sun off, Mon 05-13'],
  ['insuit-report', '2024-06-06', '2024-06-11', '端午 2024: Sun 06-09, then 06-10 off'],
  ['insuit-report', '2024-09-11', '2024-09-14', '中秋 2024: Sat 09-14 is a make-up day'],
  ['presuit-oral-feedback', '2024-09-26', '2024-10-08', '国庆 2024: 10-01 off to 10-07'],
  ['loss-analysis-report', '2024-09-12', '2024-10-12', '国庆 2024: Sat 10-12 is a make-up day'],
  // 2025
  ['insuit-report', '2024-12-29', '2025-01-02', '元旦 2025: 01-01 off, year end'],
  ['presuit-oral-feedback', '2025-01-21', '2025-01-26', '春节 2025: Sun 01-26 is a make-up day'],
  ['mediation-weekly-progress', '2025-01-24', '2025-02-05', '春节 2025: day 7 is 01-31, off to 02-04', 1],
  [
    'judgment-filing',
    '2025-01-24',
    '2025-02-10',
    '春节 2025: make-up 01-26, 01-27, 02-05..02-07, make-up 02-08, Mon 02-10',
  ],
  ['insuit-report', '2025-04-01', '2025-04-07', '清明 2025: 04-04..04-06 off'],
  ['presuit-oral-feedback', '2025-04-22', '2025-04-27', '劳动节 2025: Sun 04-27 is a make-up day'],
  ['mediation-period', '2025-04-01', '2025-05-06', '劳动节 2025: 05-01 off to 05-05'],
  ['insuit-report', '2025-05-28', '2025-06-03', '端午 2025: 05-31..06-02 off'],
  ['presuit-oral-feedback', '2025-09-23', '2025-09-28', '国庆 2025: Sun 09-28 is a make-up day'],
  ['loss-analysis-report', '2025-09-05', '2025-10-09', '国庆+中秋 2025: 10-05 off to 10-08'],
  ['judgment-filing', '2025-09-30', '2025-10-16', '国庆 2025: 10-09, 10-10, make-up 10-11, 10-13..10-16'],
  // 2026
  ['insuit-report', '2025-12-29', '2026-01-04', '元旦 2026: 01-01..01-03 off; Sun 01-04 is a make-up day'],
  ['presuit-oral-feedback', '2026-02-10', '2026-02-24', '春节 2026: day 5 is 02-15, off to 02-23'],
  ['insuit-report', '2026-02-11', '2026-02-14', '春节 2026: Sat 02-14 is a make-up day'],
  ['mediation-weekly-progress', '2026-02-14', '2026-02-28', '春节 2026: Sat 02-28 is a make-up day', 2],
  ['judgment-filing', '2026-02-12', '2026-02-28', '春节 2026: 02-13, make-up 02-14, 02-24..02-27, make-up 02-28'],
  [
    'presuit-oral-feedback',
    '2026-02-23',
    '2026-02-28',
    '春节 2026: a trigger on a day off still counts from the next day',
  ],
  ['loss-analysis-report', '2026-01-20', '2026-02-24', '春节 2026: day 30 is 02-19'],
  ['insuit-report', '2026-04-01', '2026-04-07', '清明 2026: 04-04..04-06 off'],
  ['judgment-filing', '2026-04-30', '2026-05-13', '劳动节 2026: 05-06..05-08, make-up Sat 05-09, 05-11..05-13'],
  ['presuit-oral-feedback', '2026-05-04', '2026-05-09', '劳动节 2026: Sat 05-09 is a make-up day'],
  ['insuit-report', '2026-06-16', '2026-06-22', '端午 2026: 06-19..06-21 off'],
  ['presuit-oral-feedback', '2026-09-20', '2026-09-28', '中秋 2026: 09-25..09-27 off'],
  ['insuit-report', '2026-09-17', '2026-09-20', '国庆 2026: Sun 09-20 is a make-up day'],
  ['loss-analysis-report', '2026-09-01', '2026-10-08', '国庆 2026: day 30 is 10-01, off to 10-07'],
  ['mediation-weekly-progress', '2026-09-19', '2026-10-10', '国庆 2026: report 3 on Sat 10-10, a make-up day', 3],
  ['mediation-period', '2026-09-05', '2026-10-08', '国庆 2026: 10-05 off'],
  // ordinary weekends
  ['insuit-report', '2026-03-09', '2026-03-12', 'no rest day at the end: no roll'],
  ['insuit-report', '2026-03-11', '2026-03-16', 'Sat 03-14 rolls over the weekend'],
  ['presuit-oral-feedback', '2026-03-09', '2026-03-16', 'Sat 03-14 rolls over the weekend'],
  ['judgment-filing', '2026-03-06', '2026-03-17', 'a Friday trigger: weekends are not counted'],
  // month ends and leap years
  ['mediation-period', '2024-01-31', '2024-02-29', 'leap year: Jan 31 + 1 month = Feb 29'],
  ['mediation-period', '2024-01-30', '2024-02-29', 'leap year: Jan 30 + 1 month = Feb 29'],
  ['mediation-period', '2023-01-31', '2023-02-28', 'Jan 31 + 1 month = Feb 28'],
  ['mediation-period', '2025-01-31', '2025-02-28', 'Jan 31 + 1 month = Feb 28 (a Friday)'],
  ['mediation-period', '2026-01-31', '2026-02-28', 'Feb 28 2026 is a Saturday make-up day: no roll'],
  ['mediation-period', '2024-02-29', '2024-03-29', 'from a leap day'],
  ['mediation-period', '2024-03-31', '2024-04-30', 'Mar 31 + 1 month = Apr 30'],
  ['mediation-period', '2026-05-31', '2026-06-30', 'May 31 + 1 month = Jun 30'],
  // year ends
  ['mediation-period', '2024-12-31', '2025-02-05', 'Dec 31 + 1 month = Jan 31 2025, in 春节, off to 02-04'],
  ['mediation-period', '2025-12-31', '2026-02-02', 'Dec 31 + 1 month = Sat Jan 31 2026'],
  ['loss-analysis-report', '2025-12-02', '2026-01-04', 'day 30 is 2026-01-01 off; Sun 01-04 is a make-up day'],
];

describe('deadline computation over the 2023–2026 holiday seasons', () => {
  const rows = table.map(([rule, from, due, note, nth]) => ({ rule, from, due, note, nth }));
  test.each(rows)('$rule from $from is due $due ($note)', ({ rule, from, due, nth }) => {
    const input: DeadlineInput = { rule, from, ...(nth !== undefined ? { nth } : {}) };
    const d = engine.compute(input);
    expect(d.dueDate).toBe(due);
    expect(d.provisional).toBe(false);
    expect(d.fromDate).toBe(from);
    // 24:00 Shanghai of the due date is 16:00 UTC that same date.
    expect(d.dueAt).toBe(`${due}T16:00:00.000Z`);
  });
});

describe('instants are placed on their Shanghai date', () => {
  test.each([
    ['2026-03-01T17:30:00Z', '2026-03-02', '2026-03-05'],
    ['2026-03-01T16:00:00.000Z', '2026-03-02', '2026-03-05'],
    ['2026-03-01T15:59:59.999Z', '2026-03-01', '2026-03-04'],
    ['2026-03-02T00:30:00+08:00', '2026-03-02', '2026-03-05'],
    ['2026-03-01T23:30:00+08:00', '2026-03-01', '2026-03-04'],
    ['2026-03-01T11:00:00-05:00', '2026-03-02', '2026-03-05'],
    ['2026-03-01T10:59-05:00', '2026-03-01', '2026-03-04'],
  ])('insuit-report from %s counts from Shanghai date %s and is due %s', (from, fromDate, due) => {
    const d = engine.compute({ rule: 'insuit-report', from });
    expect(d.from).toBe(from);
    expect(d.fromDate).toBe(fromDate);
    expect(d.dueDate).toBe(due);
  });

  test('an instant late on New Year’s Eve in UTC is already New Year’s Day in Shanghai', () => {
    expect(engine.shanghaiDate('2025-12-31T16:00:00Z')).toBe('2026-01-01');
    expect(engine.compute({ rule: 'presuit-oral-feedback', from: '2025-12-31T16:30:00Z' }).dueDate).toBe('2026-01-06');
  });
});

describe('the 2027 fallback calendar', () => {
  test.each([
    ['insuit-report', '2027-03-01', '2027-03-04', 'an ordinary week'],
    ['insuit-report', '2027-03-03', '2027-03-08', 'Saturday is a rest day (date-holidays rests on Sunday only)'],
    ['insuit-report', '2027-03-05', '2027-03-08', '妇女节 is not a day off'],
    ['insuit-report', '2027-05-01', '2027-05-04', '青年节 is not a day off'],
    ['insuit-report', '2027-05-29', '2027-06-01', '儿童节 is not a day off'],
    [
      'presuit-oral-feedback',
      '2027-02-01',
      '2027-02-09',
      '春节: 除夕 02-05 to 初三 02-08 (four days since the 2024 revision)',
    ],
    ['presuit-oral-feedback', '2027-09-26', '2027-10-04', '国庆: 10-01..10-03'],
    ['insuit-report', '2028-07-29', '2028-08-01', '建军节 (a Tuesday in 2028) is not a day off'],
    ['insuit-report', '2026-12-30', '2027-01-04', '元旦 2027 (Fri) and the weekend'],
  ] as [RuleId, string, string, string][])('%s from %s is due %s, provisional (%s)', (rule, from, due) => {
    const d = engine.compute({ rule, from });
    expect(d.dueDate).toBe(due);
    expect(d.provisional).toBe(true);
    expect(d.basis).toContain('年放假安排尚未载入');
  });

  test('a deadline that stays inside published years is not provisional', () => {
    const d = engine.compute({ rule: 'insuit-report', from: '2026-12-07' });
    expect(d.dueDate).toBe('2026-12-10');
    expect(d.provisional).toBe(false);
    expect(d.basis).not.toContain('尚未载入');
  });

  test('late December stays provisional until the next year’s notice is loaded, since a notice can reach back into it', () => {
    const d = engine.compute({ rule: 'insuit-report', from: '2026-12-21' });
    expect(d.dueDate).toBe('2026-12-24');
    expect(d.provisional).toBe(true);
    expect(d.basis).toContain('2027年放假安排尚未载入');
  });
});

describe('mediation extensions', () => {
  test('an extension by months is added to the original due date and rolled forward', () => {
    // Original: 2026-01-15 + 1 month = 02-15 (春节) → 02-24; + 1 month = 03-24 (Tue).
    const d = engine.compute({ rule: 'mediation-period', from: '2026-01-15', extension: { months: 1 } });
    expect(d.dueDate).toBe('2026-03-24');
    expect(d.extension).toEqual({ months: 1 });
    expect(d.basis).toContain('自原届满日2026-02-24起延长1个月');
  });

  test('an extension to a new end date rolls that date forward off rest days', () => {
    const d = engine.compute({ rule: 'mediation-period', from: '2026-02-10', extension: { until: '2026-04-04' } });
    expect(d.dueDate).toBe('2026-04-07');
    expect(d.basis).toContain('延长至2026-04-04');
  });

  test('an extension by days counts calendar days', () => {
    // 2026-03-02 + 1 month = 04-02 (Thu); + 10 days = 04-12 (Sun) → 04-13.
    expect(engine.compute({ rule: 'mediation-period', from: '2026-03-02', extension: { days: 10 } }).dueDate).toBe(
      '2026-04-13',
    );
  });

  test('rejects an extension that ends before the original due date', () => {
    expect(() =>
      engine.compute({ rule: 'mediation-period', from: '2026-03-02', extension: { until: '2026-03-20' } }),
    ).toThrow(/before the original due date 2026-04-02/);
  });

  test('rejects an extension of a rule the notice does not let the parties extend', () => {
    expect(() => engine.compute({ rule: 'insuit-report', from: '2026-03-02', extension: { days: 3 } })).toThrow(
      DeadlineInputError,
    );
  });

  test('rejects an empty extension', () => {
    expect(() => engine.compute({ rule: 'mediation-period', from: '2026-03-02', extension: {} })).toThrow(
      /at least one month or day/,
    );
  });
});

describe('weekly progress reports', () => {
  test('report k is due on day 7k after receipt', () => {
    const dues = [1, 2, 3, 4].map(
      (nth) => engine.compute({ rule: 'mediation-weekly-progress', from: '2026-03-02', nth }).dueDate,
    );
    expect(dues).toEqual(['2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30']);
  });

  test('without nth the first report is meant', () => {
    expect(engine.compute({ rule: 'mediation-weekly-progress', from: '2026-03-02' }).dueDate).toBe('2026-03-09');
  });

  test('the basis names the report number', () => {
    expect(engine.compute({ rule: 'mediation-weekly-progress', from: '2026-03-02', nth: 3 }).basis).toContain(
      '每周通报一次，第3次',
    );
  });
});

describe('the deadline record', () => {
  test('carries the rule, its clause, the counting and a basis citing them', () => {
    const d = engine.compute({ rule: 'presuit-oral-feedback', from: '2026-02-10' });
    expect(d).toMatchObject({
      rule: 'presuit-oral-feedback',
      clause: '武政办〔2023〕47号 一(一)',
      from: '2026-02-10',
      fromDate: '2026-02-10',
      dueDate: '2026-02-24',
      dueAt: '2026-02-24T16:00:00.000Z',
      provisional: false,
      counting: { method: 'calendar-days', amount: 5 },
    });
    expect(
      d.basis.startsWith('武政办〔2023〕47号 一(一)：自收到通知次日起算5日，届满日遇法定休假日顺延至其后第一个工作日'),
    ).toBe(true);
    expect(d.basis).toContain('2026-02-15届满，遇休息日顺延至2026-02-24');
    expect(d.title).toMatch(/[\u4e00-\u9fff]/);
  });

  test('the judgment filing basis says it counts working days', () => {
    const d = engine.compute({ rule: 'judgment-filing', from: '2026-02-12' });
    expect(d.counting).toEqual({ method: 'working-days', amount: 7 });
    expect(d.basis).toContain('起算7个工作日');
  });

  test('is plain JSON that survives a round trip unchanged', () => {
    const d = engine.compute({ rule: 'mediation-period', from: '2026-01-15', extension: { months: 1 } });
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});

describe('bad input', () => {
  test.each([
    ['an unknown rule', { rule: 'presuit-feedback', from: '2026-02-10' }, /unknown rule "presuit-feedback"/],
    ['a month that does not exist', { rule: 'insuit-report', from: '2026-13-01' }, /neither a date/],
    ['a day that does not exist', { rule: 'insuit-report', from: '2026-02-30' }, /neither a date/],
    ['an unpadded date', { rule: 'insuit-report', from: '2026-2-10' }, /neither a date/],
    ['an instant without offset', { rule: 'insuit-report', from: '2026-02-10T10:00:00' }, /neither a date/],
    ['an hour past 23', { rule: 'insuit-report', from: '2026-02-10T24:00:00Z' }, /neither a date/],
    ['a word', { rule: 'insuit-report', from: 'yesterday' }, /neither a date/],
    [
      'a year out of range',
      { rule: 'insuit-report', from: '1999-12-31' },
      /neither a date|outside the supported years/,
    ],
    ['nth on a rule that does not recur', { rule: 'insuit-report', from: '2026-02-10', nth: 2 }, /does not recur/],
    ['nth of zero', { rule: 'mediation-weekly-progress', from: '2026-02-10', nth: 0 }, /nth must be an integer/],
    ['a fractional nth', { rule: 'mediation-weekly-progress', from: '2026-02-10', nth: 1.5 }, /nth must be an integer/],
    ['a number as from', { rule: 'insuit-report', from: 20260210 }, /from must be a string/],
  ])('rejects %s with a DeadlineInputError', (_what, input, message) => {
    const run = (): unknown => engine.compute(input as unknown as DeadlineInput);
    expect(run).toThrow(DeadlineInputError);
    expect(run).toThrow(message);
  });
});
