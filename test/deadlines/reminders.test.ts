import { createDeadlineEngine, DeadlineConfigError, DeadlineInputError } from '../../src/deadlines';

const engine = createDeadlineEngine();
/** 09:00 Shanghai of a date, in UTC. */
const nine = (date: string): string => `${date}T01:00:00.000Z`;

describe('default reminder points', () => {
  test('remind at 09:00 on the last working day before the due date, skipping the holiday', () => {
    // Due 02-24; 02-15..02-23 are off, so the last working day before is the make-up Saturday 02-14.
    expect(engine.compute({ rule: 'presuit-oral-feedback', from: '2026-02-10' }).reminders).toEqual([
      nine('2026-02-14'),
    ]);
  });

  test('a period of a month also reminds seven calendar days before the due date', () => {
    // 2026-03-02 + 1 month = Thu 04-02.
    expect(engine.compute({ rule: 'mediation-period', from: '2026-03-02' }).reminders).toEqual([
      nine('2026-03-26'),
      nine('2026-04-01'),
    ]);
  });

  test('a 30-day period counts as a month', () => {
    // 2026-03-02 + 30 = Wed 04-01.
    expect(engine.compute({ rule: 'loss-analysis-report', from: '2026-03-02' }).reminders).toEqual([
      nine('2026-03-25'),
      nine('2026-03-31'),
    ]);
  });

  test('a weekly report is a short period however late its number', () => {
    const d = engine.compute({ rule: 'mediation-weekly-progress', from: '2026-03-02', nth: 6 });
    expect(d.dueDate).toBe('2026-04-13');
    // 04-13 is a Monday: the last working day before is Friday 04-10 (04-04..04-06 are 清明, irrelevant here).
    expect(d.reminders).toEqual([nine('2026-04-10')]);
  });

  test('the last working day before a due date right after 劳动节 is found across the days off', () => {
    // 2026-04-06 + 1 month = Wed 05-06; 7 days before is 04-29; 05-01..05-05 are off, so the last working day is 04-30.
    const d = engine.compute({ rule: 'mediation-period', from: '2026-04-06' });
    expect(d.dueDate).toBe('2026-05-06');
    expect(d.reminders).toEqual([nine('2026-04-29'), nine('2026-04-30')]);
  });

  test('skips a reminder that would not come after the trigger instant', () => {
    // Friday 03-13: 3 days → Mon 03-16; the last working day before is the trigger day itself.
    expect(engine.compute({ rule: 'insuit-report', from: '2026-03-13T10:00:00+08:00' }).reminders).toEqual([]);
    expect(engine.compute({ rule: 'insuit-report', from: '2026-03-13T08:00:00+08:00' }).reminders).toEqual([
      nine('2026-03-13'),
    ]);
  });

  test('a bare trigger date stands for the whole day, so no reminder falls on it', () => {
    expect(engine.compute({ rule: 'insuit-report', from: '2026-03-13' }).reminders).toEqual([]);
  });

  test('every reminder is before the due instant', () => {
    for (const from of ['2026-02-10', '2026-09-28', '2026-12-28', '2027-01-29']) {
      for (const rule of [
        'presuit-oral-feedback',
        'mediation-period',
        'judgment-filing',
        'loss-analysis-report',
      ] as const) {
        const d = engine.compute({ rule, from });
        for (const r of d.reminders) expect(r < d.dueAt).toBe(true);
        expect([...d.reminders].sort()).toEqual(d.reminders);
      }
    }
  });
});

describe('a configured reminder policy', () => {
  test('moves the hour and the long-period reminders', () => {
    const custom = createDeadlineEngine({ reminderPolicy: { time: '08:30', longPeriodDaysBefore: [14, 3] } });
    expect(custom.compute({ rule: 'mediation-period', from: '2026-03-02' }).reminders).toEqual([
      '2026-03-19T00:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-04-01T00:30:00.000Z',
    ]);
  });

  test('merges reminders that fall at the same time', () => {
    const custom = createDeadlineEngine({ reminderPolicy: { longPeriodDaysBefore: [1] } });
    // Due Thu 04-02: one day before is Wed 04-01, also the last working day before.
    expect(custom.compute({ rule: 'mediation-period', from: '2026-03-02' }).reminders).toEqual([nine('2026-04-01')]);
  });

  test('can drop the last-working-day reminder and treat shorter periods as long', () => {
    const custom = createDeadlineEngine({
      reminderPolicy: { lastWorkingDayBefore: false, longPeriodMinDays: 5, longPeriodDaysBefore: [2] },
    });
    // presuit from Mon 03-09 → due Mon 03-16; 2 days before is Sat 03-14.
    expect(custom.compute({ rule: 'presuit-oral-feedback', from: '2026-03-09' }).reminders).toEqual([
      nine('2026-03-14'),
    ]);
    expect(custom.compute({ rule: 'insuit-report', from: '2026-03-09' }).reminders).toEqual([]);
  });

  test('rejects a malformed policy at start-up', () => {
    expect(() => createDeadlineEngine({ reminderPolicy: { time: '9am' } })).toThrow(DeadlineConfigError);
    expect(() => createDeadlineEngine({ reminderPolicy: { longPeriodDaysBefore: [0] } })).toThrow(
      /longPeriodDaysBefore/,
    );
  });
});

describe('escalation times', () => {
  test('repeat at 09:00 on the third working day after the instant’s Shanghai date, across 春节', () => {
    // Friday 02-13 18:00 Shanghai → make-up Sat 02-14 (1), 02-24 (2), 02-25 (3).
    expect(engine.nextEscalationAt('2026-02-13T10:00:00Z', 3)).toEqual({ at: nine('2026-02-25'), provisional: false });
  });

  test('count from the Shanghai date, not the UTC date', () => {
    // 2026-03-12T16:30Z is Friday 03-13 00:30 in Shanghai: Mon 16, Tue 17, Wed 18.
    expect(engine.nextEscalationAt('2026-03-12T16:30:00Z', 3).at).toBe(nine('2026-03-18'));
    expect(engine.nextEscalationAt('2026-03-12T15:30:00Z', 3).at).toBe(nine('2026-03-17'));
  });

  test('are provisional in a year without a published arrangement', () => {
    expect(engine.nextEscalationAt('2027-02-04T02:00:00Z', 1)).toEqual({ at: nine('2027-02-09'), provisional: true });
  });

  test('reject a non-positive number of working days', () => {
    expect(() => engine.nextEscalationAt('2026-03-12T16:30:00Z', 0)).toThrow(DeadlineInputError);
    expect(() => engine.nextEscalationAt('not a date', 3)).toThrow(/afterInstant/);
  });
});
