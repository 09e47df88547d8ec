import { ApplicationFailure } from '@temporalio/common';
import { createDeadlineActivities } from '../../src/activities/deadlines';
import bundled from '../../src/deadlines/data/cn-holiday-arrangements.json';
import { createDeadlineEngine } from '../../src/deadlines';

const acts = createDeadlineActivities(createDeadlineEngine());

describe('deadline activities', () => {
  test('compute a batch of deadlines in order', async () => {
    const out = await acts.computeDeadlines([
      { rule: 'presuit-oral-feedback', from: '2026-02-10' },
      { rule: 'judgment-filing', from: '2026-02-12T03:00:00Z' },
    ]);
    expect(out.map((d) => d.dueDate)).toEqual(['2026-02-24', '2026-02-28']);
  });

  test('fail for good on bad input, since a retry cannot fix it', async () => {
    const run = acts.computeDeadlines([{ rule: 'insuit-report', from: '2026-02-30' }]);
    await expect(run).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(run).rejects.toMatchObject({ nonRetryable: true, type: 'DeadlineInputError' });
  });

  test('give the next escalation time every 3 working days', async () => {
    expect(await acts.nextEscalationAt('2026-02-13T10:00:00Z', 3)).toEqual({
      at: '2026-02-25T01:00:00.000Z',
      provisional: false,
    });
    expect(await acts.escalationTimes('2026-02-13T10:00:00Z', 3, 3)).toEqual([
      { at: '2026-02-25T01:00:00.000Z', provisional: false },
      // 02-26, 02-27 and the make-up Saturday 02-28.
      { at: '2026-02-28T01:00:00.000Z', provisional: false },
      { at: '2026-03-04T01:00:00.000Z', provisional: false },
    ]);
  });

  test('re-project stored deadlines, saying which moved', async () => {
    const old = JSON.parse(JSON.stringify(bundled)) as {
      years: Record<string, unknown>;
      sources: Record<string, unknown>;
    };
    delete old.years['2026'];
    delete old.sources['2026'];
    const before = createDeadlineActivities(createDeadlineEngine({ calendar: old }));
    const stored = await before.computeDeadlines([
      { rule: 'insuit-report', from: '2026-03-09' },
      { rule: 'presuit-oral-feedback', from: '2026-02-10' },
    ]);
    const out = await acts.reprojectDeadlines(stored);
    expect(out.map(({ index, changed, deadline }) => [index, changed, deadline.dueDate, deadline.provisional])).toEqual(
      [
        [0, false, '2026-03-12', false],
        [1, true, '2026-02-24', false],
      ],
    );
  });
});
