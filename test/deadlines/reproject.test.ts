import bundled from '../../src/deadlines/data/cn-holiday-arrangements.json';
import { createDeadlineEngine, DeadlineInputError, type Deadline } from '../../src/deadlines';

/** The bundled data as it stood before the 2026 notice was added. */
function without2026(): unknown {
  const d = JSON.parse(JSON.stringify(bundled)) as { years: Record<string, unknown>; sources: Record<string, unknown> };
  delete d.years['2026'];
  delete d.sources['2026'];
  return d;
}

/**
 * The bundled data plus a 2027 arrangement invented for this test (not a published notice): 春节 02-05..02-11,
 * make-up Sunday 01-31 and Saturday 02-20.
 */
function withHypothetical2027(): unknown {
  const d = JSON.parse(JSON.stringify(bundled)) as { years: Record<string, unknown>; sources: Record<string, unknown> };
  d.years['2027'] = {
    holidays: [{ name: '春节', from: '2027-02-05', to: '2027-02-11' }],
    makeUpWorkdays: ['2027-01-31', '2027-02-20'],
  };
  d.sources['2027'] = { title: 'test fixture, not a published notice' };
  return d;
}

const before = createDeadlineEngine({ calendar: without2026() });
const now = createDeadlineEngine();

describe('re-projection after a year’s arrangement is published', () => {
  test('moves a due date the fallback got wrong and clears provisional', () => {
    // Fallback 2026 春节 is 02-16..02-19 (statutory days only): day 5 = Sun 02-15 → Fri 02-20.
    const stored = before.compute({ rule: 'presuit-oral-feedback', from: '2026-02-10' });
    expect(stored).toMatchObject({ dueDate: '2026-02-20', provisional: true });
    const { changed, deadline } = now.reproject(stored);
    expect(changed).toBe(true);
    expect(deadline).toMatchObject({ dueDate: '2026-02-24', dueAt: '2026-02-24T16:00:00.000Z', provisional: false });
    expect(deadline.basis).not.toContain('尚未载入');
  });

  test('moves a working-day deadline once the make-up Saturday is known', () => {
    const stored = before.compute({ rule: 'judgment-filing', from: '2026-02-12' });
    expect(stored.dueDate).toBe('2026-02-27');
    expect(now.reproject(stored)).toMatchObject({
      changed: true,
      deadline: { dueDate: '2026-02-28', provisional: false },
    });
  });

  test('reports no change when the published arrangement agrees with the fallback', () => {
    const stored = before.compute({ rule: 'insuit-report', from: '2026-03-09' });
    expect(stored.provisional).toBe(true);
    const { changed, deadline } = now.reproject(stored);
    expect(changed).toBe(false);
    expect(deadline).toMatchObject({ dueDate: '2026-03-12', provisional: false });
  });

  test('detects the change when 2027 data is added', () => {
    const stored = now.compute({ rule: 'presuit-oral-feedback', from: '2027-02-03' });
    expect(stored).toMatchObject({ dueDate: '2027-02-09', provisional: true });
    const later = createDeadlineEngine({ calendar: withHypothetical2027() });
    expect(later.reproject(stored)).toMatchObject({
      changed: true,
      deadline: { dueDate: '2027-02-12', provisional: false },
    });
    // Still provisional where the computation reaches 2028, whose arrangement is still missing.
    expect(later.compute({ rule: 'insuit-report', from: '2027-12-30' }).provisional).toBe(true);
  });

  test('keeps the occurrence number and the extension of the stored deadline', () => {
    const weekly = before.compute({ rule: 'mediation-weekly-progress', from: '2026-02-01', nth: 2 });
    expect(weekly.dueDate).toBe('2026-02-20');
    expect(now.reproject(weekly)).toMatchObject({ changed: true, deadline: { nth: 2, dueDate: '2026-02-24' } });
    const extended = before.compute({
      rule: 'mediation-period',
      from: '2026-01-10',
      extension: { until: '2026-02-17' },
    });
    expect(extended.dueDate).toBe('2026-02-20');
    expect(now.reproject(extended)).toMatchObject({
      changed: true,
      deadline: { extension: { until: '2026-02-17' }, dueDate: '2026-02-24' },
    });
  });

  test('keeps the counting the deadline was set under even if the deployment’s override changed since', () => {
    const stored = now.compute({ rule: 'presuit-oral-feedback', from: '2026-03-09' });
    const overridden = createDeadlineEngine({
      rules: { 'presuit-oral-feedback': { method: 'working-days', amount: 5 } },
    });
    expect(overridden.reproject(stored)).toMatchObject({
      changed: false,
      deadline: { counting: { method: 'calendar-days', amount: 5 } },
    });
  });

  test('rejects something that is not a stored deadline', () => {
    expect(() => now.reproject({ rule: 'insuit-report', from: '2026-03-09' } as unknown as Deadline)).toThrow(
      DeadlineInputError,
    );
  });
});
