import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bundled from '../../src/deadlines/data/cn-holiday-arrangements.json';
import { CalendarDataError, createDeadlineEngine, DeadlineConfigError, loadDeadlineEngine } from '../../src/deadlines';

type Data = typeof bundled & Record<string, unknown>;
/** A deep copy of the bundled data for one test to break. */
const data = (): Data => JSON.parse(JSON.stringify(bundled)) as Data;
const load = (raw: unknown): unknown => createDeadlineEngine({ calendar: raw });

describe('the calendar data loader', () => {
  test('accepts the bundled data, which names a source for every year', () => {
    expect(() => load(data())).not.toThrow();
    expect(Object.keys(bundled.sources)).toEqual(Object.keys(bundled.years));
  });

  test('rejects two holidays that overlap, naming the day and both holidays', () => {
    const d = data();
    d.years['2026'].holidays.push({
      name: '测试',
      from: '2026-02-22',
      to: '2026-02-25',
      daysOff: ['2026-02-22', '2026-02-23', '2026-02-24', '2026-02-25'],
    });
    expect(() => load(d)).toThrow(CalendarDataError);
    expect(() => load(d)).toThrow(
      /years\.2026\.holidays\.7: 2026-02-22 is listed as a day off \(2026 测试\) but is already a day off \(2026 春节\)/,
    );
  });

  test('rejects a day listed both as a day off and as a make-up working day', () => {
    const d = data();
    d.years['2026'].makeUpWorkdays.push('2026-02-15');
    expect(() => load(d)).toThrow(
      /2026-02-15 is listed as a make-up working day \(2026\) but is already a day off \(2026 春节\)/,
    );
  });

  test('rejects a make-up day listed twice', () => {
    const d = data();
    d.years['2025'].makeUpWorkdays.push('2025-02-08');
    expect(() => load(d)).toThrow(
      /2025-02-08 is listed as a make-up working day \(2025\) but is already a make-up working day/,
    );
  });

  test('rejects the same day claimed by two years’ notices', () => {
    const d = data();
    d.years['2024'].holidays.push({
      name: '元旦',
      from: '2023-12-30',
      to: '2023-12-31',
      daysOff: ['2023-12-30', '2023-12-31'],
    });
    d.years['2023'].makeUpWorkdays.push('2023-12-30');
    expect(() => load(d)).toThrow(
      /2023-12-30 is listed as a make-up working day \(2023\) but is already a day off \(2024 元旦\)/,
    );
  });

  test('rejects a date that does not exist', () => {
    const d = data();
    d.years['2026'].holidays[1]!.to = '2026-02-30';
    expect(() => load(d)).toThrow(/years\.2026\.holidays\.1\.to: must be a real date written YYYY-MM-DD/);
  });

  test('rejects a holiday that ends before it starts', () => {
    const d = data();
    d.years['2026'].holidays[0]!.to = '2025-12-31';
    expect(() => load(d)).toThrow(/元旦: from 2026-01-01 is after to 2025-12-31/);
  });

  test('rejects daysOff that disagree with from and to', () => {
    const d = data();
    d.years['2026'].holidays[1]!.daysOff = d.years['2026'].holidays[1]!.daysOff.filter((x) => x !== '2026-02-20');
    expect(() => load(d)).toThrow(/春节: daysOff omits 2026-02-20 of 2026-02-15\.\.2026-02-23/);
  });

  test('rejects a holiday outside its year', () => {
    const d = data();
    d.years['2026'].holidays.push({ name: '元旦', from: '2027-01-01', to: '2027-01-01', daysOff: ['2027-01-01'] });
    expect(() => load(d)).toThrow(/lies outside year 2026/);
  });

  test('rejects an implausibly long holiday (a typo in from or to)', () => {
    const d = data();
    const h = d.years['2026'].holidays[3]!;
    h.to = '2026-06-05';
    delete (h as { daysOff?: string[] }).daysOff;
    expect(() => load(d)).toThrow(/劳动节: 2026-05-01\.\.2026-06-05 spans more than 15 days/);
  });

  test('rejects a make-up working day that is a weekday', () => {
    const d = data();
    d.years['2026'].makeUpWorkdays.push('2026-03-11');
    expect(() => load(d)).toThrow(/make-up working day 2026-03-11 is a weekday/);
  });

  test('rejects a year without a source', () => {
    const d = data();
    delete (d.sources as Record<string, unknown>)['2026'];
    expect(() => load(d)).toThrow(/year 2026 has no entry in sources/);
  });

  test('rejects a misspelt field instead of ignoring it', () => {
    const d = data();
    const y = d.years['2026'] as Record<string, unknown>;
    y.makeupWorkdays = y.makeUpWorkdays;
    delete y.makeUpWorkdays;
    expect(() => load(d)).toThrow(/years\.2026/);
    expect(() => load(d)).toThrow(/makeupWorkdays/);
  });

  test('reports every problem at once, one per line', () => {
    const d = data();
    d.years['2026'].makeUpWorkdays.push('2026-03-11', '2026-02-16');
    try {
      load(d);
      throw new Error('expected a CalendarDataError');
    } catch (err) {
      expect(err).toBeInstanceOf(CalendarDataError);
      const lines = (err as Error).message.split('\n');
      expect(lines[0]).toBe('calendar data is invalid:');
      // 2026-03-11 is a weekday; 2026-02-16 is a weekday and a day off of 春节.
      expect(lines).toHaveLength(4);
      expect(lines.slice(1).every((l) => l.startsWith('  years.2026.makeUpWorkdays.'))).toBe(true);
    }
  });

  test('rejects something that is not calendar data at all', () => {
    expect(() => load([])).toThrow(CalendarDataError);
    expect(() => load({ years: {} })).toThrow(/sources/);
  });
});

describe('rule overrides', () => {
  test('switch a rule to working days for a county that reads 5日 that way', () => {
    const e = createDeadlineEngine({ rules: { 'presuit-oral-feedback': { method: 'working-days', amount: 5 } } });
    // Mon 2026-03-09: five working days are 03-10..03-13 and Mon 03-16.
    const d = e.compute({ rule: 'presuit-oral-feedback', from: '2026-03-09' });
    expect(d.counting).toEqual({ method: 'working-days', amount: 5 });
    expect(d.dueDate).toBe('2026-03-16');
    // Thu 2026-04-30: 05-06, 05-07, 05-08, make-up 05-09, 05-11.
    expect(e.compute({ rule: 'presuit-oral-feedback', from: '2026-04-30' }).dueDate).toBe('2026-05-11');
    expect(e.compute({ rule: 'insuit-report', from: '2026-04-30' }).counting).toEqual({
      method: 'calendar-days',
      amount: 3,
    });
  });

  test('change an amount alone', () => {
    const e = createDeadlineEngine({ rules: { 'mediation-period': { amount: 2 } } });
    expect(e.compute({ rule: 'mediation-period', from: '2026-03-02' }).dueDate).toBe('2026-05-06');
  });

  test.each([
    ['an unknown rule id', { 'presuit-feedback': { amount: 3 } }, /Unrecognized key: "presuit-feedback"/],
    ['an unknown method', { 'insuit-report': { method: 'weeks', amount: 1 } }, /insuit-report\.method/],
    ['a zero amount', { 'insuit-report': { amount: 0 } }, /insuit-report\.amount/],
    ['a method change without an amount', { 'insuit-report': { method: 'months' } }, /needs an amount in the new unit/],
    ['an empty override', { 'insuit-report': {} }, /give method, amount or both/],
  ])('reject %s', (_what, rules, message) => {
    expect(() => createDeadlineEngine({ rules })).toThrow(DeadlineConfigError);
    expect(() => createDeadlineEngine({ rules })).toThrow(message);
  });

  test('load from the deployment’s file, and name the file when it is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yingsu-rules-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ 'insuit-report': { method: 'working-days', amount: 3 } }));
    expect(loadDeadlineEngine({ rulesFile: good }).compute({ rule: 'insuit-report', from: '2026-03-13' }).dueDate).toBe(
      '2026-03-18',
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ 'insuit-report': { amount: -1 } }));
    expect(() => loadDeadlineEngine({ rulesFile: bad })).toThrow(`rule overrides in ${bad} are invalid`);
    expect(() => loadDeadlineEngine({ rulesFile: join(dir, 'missing.json') })).toThrow(/cannot read rule overrides/);
    writeFileSync(bad, '{ not json');
    expect(() => loadDeadlineEngine({ rulesFile: bad })).toThrow(DeadlineConfigError);
  });

  test('without a file the notice’s reading applies', () => {
    expect(loadDeadlineEngine({}).compute({ rule: 'presuit-oral-feedback', from: '2026-03-09' }).counting).toEqual({
      method: 'calendar-days',
      amount: 5,
    });
  });
});
