import { createDeadlineEngine, DeadlineInputError } from '../../src/deadlines';
import { statutoryDaysOff } from '../../src/deadlines/fallback';
import { dayFromCivil, formatDay } from '../../src/deadlines/civil';

const engine = createDeadlineEngine();

describe('the working calendar', () => {
  test.each([
    ['2024-02-09', true, '除夕 2024 (a Friday) was a working day'],
    ['2026-02-14', true, 'a Saturday make-up working day'],
    ['2026-02-28', true, 'a Saturday make-up working day'],
    ['2026-01-04', true, 'a Sunday make-up working day'],
    ['2023-01-29', true, 'a Sunday make-up working day'],
    ['2026-02-15', false, 'a Sunday inside 春节'],
    ['2026-02-23', false, 'a Monday inside 春节'],
    ['2026-05-04', false, 'a Monday inside 劳动节'],
    ['2025-10-08', false, 'the eighth day of 国庆+中秋 2025'],
    ['2022-12-31', false, 'a day off the 2023 notice places in December 2022'],
    ['2026-03-07', false, 'an ordinary Saturday'],
    ['2026-03-08', false, 'an ordinary Sunday (妇女节 too)'],
    ['2026-03-09', true, 'an ordinary Monday'],
  ])('%s is working=%s (%s)', (date, working) => {
    expect(engine.isWorkingDay(date)).toEqual({ working, provisional: false });
  });

  test('years without a published arrangement answer provisionally', () => {
    expect(engine.isWorkingDay('2027-03-08')).toEqual({ working: true, provisional: true });
    expect(engine.isWorkingDay('2027-02-08')).toEqual({ working: false, provisional: true });
    expect(engine.isWorkingDay('2022-06-15')).toEqual({ working: true, provisional: true });
  });

  test('an instant is looked up on its Shanghai date', () => {
    // 2026-02-13T16:30Z is 00:30 on Saturday 02-14 in Shanghai, a make-up working day; 02-13 15:30Z is still Friday.
    expect(engine.isWorkingDay('2026-02-14T16:30:00Z').working).toBe(false);
    expect(engine.isWorkingDay('2026-02-13T16:30:00Z').working).toBe(true);
  });

  test('shanghaiDate places instants on the Shanghai calendar', () => {
    expect(engine.shanghaiDate('2026-03-01T17:30:00Z')).toBe('2026-03-02');
    expect(engine.shanghaiDate('2026-03-01T15:59:59.999Z')).toBe('2026-03-01');
    expect(engine.shanghaiDate('2026-03-02')).toBe('2026-03-02');
    expect(() => engine.shanghaiDate('2026-03-01 17:30')).toThrow(DeadlineInputError);
  });

  test('the published years are the ones in the bundled data', () => {
    expect(engine.officialYears()).toEqual([2023, 2024, 2025, 2026]);
  });
});

describe('the date-holidays fallback', () => {
  const daysOff = (year: number): string[] => [...statutoryDaysOff(year).keys()].sort((a, b) => a - b).map(formatDay);

  test('keeps only the statutory festivals of 2027 and adds the days of the 2024 revision', () => {
    expect(daysOff(2027)).toEqual([
      '2027-01-01', // 元旦
      '2027-02-05', // 春节: 除夕
      '2027-02-06',
      '2027-02-07',
      '2027-02-08', // 初三, statutory since 2025
      '2027-04-05', // 清明
      '2027-05-01', // 劳动节
      '2027-05-02', // statutory since 2025
      '2027-06-09', // 端午
      '2027-09-15', // 中秋
      '2027-10-01', // 国庆
      '2027-10-02',
      '2027-10-03',
    ]);
  });

  test('never includes 妇女节, 青年节, 儿童节 or 建军节', () => {
    for (const year of [2022, 2027, 2028, 2030]) {
      const days = daysOff(year);
      for (const md of ['03-08', '05-04', '06-01', '08-01']) expect(days).not.toContain(`${year}-${md}`);
    }
  });

  test('names each day after its festival', () => {
    const names = statutoryDaysOff(2027);
    expect(names.get(dayFromCivil(2027, 2, 8))).toBe('春节');
    expect(names.get(dayFromCivil(2027, 9, 15))).toBe('中秋');
  });

  test('uses the Shanghai calendar date, not the UTC one', () => {
    // The UTC start of 元旦 is 12-31 16:00Z; a UTC reading would put it on the wrong day.
    expect(daysOff(2028)[0]).toBe('2028-01-01');
    expect(daysOff(2028)).not.toContain('2027-12-31');
  });
});
