import fc from 'fast-check';
import bundled from '../../src/deadlines/data/cn-holiday-arrangements.json';
import { createDeadlineEngine, RULE_IDS, type DeadlineInput, type RuleId } from '../../src/deadlines';

const engine = createDeadlineEngine();
const DAY = 86_400_000;

/**
 * An oracle written independently of the engine's index: rest days straight from the data file's from/to ranges,
 * make-up days, and the weekday of a UTC Date. Valid for 2023–2026 only.
 */
const daysOff = new Set<string>();
const makeUp = new Set<string>();
for (const year of Object.values(bundled.years)) {
  for (const h of year.holidays)
    for (let t = Date.parse(`${h.from}T00:00:00Z`); t <= Date.parse(`${h.to}T00:00:00Z`); t += DAY) daysOff.add(iso(t));
  for (const d of year.makeUpWorkdays) makeUp.add(d);
}
function iso(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}
function oracleRest(date: string): boolean {
  if (makeUp.has(date)) return false;
  if (daysOff.has(date)) return true;
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd === 0 || wd === 6;
}
const rest = (date: string): boolean => (date <= '2026-12-19' ? oracleRest(date) : !engine.isWorkingDay(date).working);

const FIRST = Date.parse('2023-01-01T00:00:00Z');
const LAST = Date.parse('2028-12-31T00:00:00Z');
/** Any instant from 2023 to 2028, to the minute, written with a random offset or as a bare Shanghai date. */
const trigger = fc
  .record({
    ms: fc.integer({ min: FIRST / 60_000, max: LAST / 60_000 }).map((m) => m * 60_000),
    form: fc.constantFrom('date', 'Z', '+08:00', '-05:00', '+05:30'),
  })
  .map(({ ms, form }) => ({ ms, from: write(ms, form) }));

function write(ms: number, form: string): string {
  if (form === 'date') return iso(ms + 8 * 3_600_000);
  if (form === 'Z') return new Date(ms).toISOString();
  const sign = form[0] === '-' ? -1 : 1;
  const [h, m] = form.slice(1).split(':').map(Number);
  const offset = sign * (h! * 60 + m!) * 60_000;
  return `${new Date(ms + offset).toISOString().slice(0, 19)}${form}`;
}

/** A bare date means the start of that Shanghai day when comparing triggers. */
const instantOf = (t: { ms: number; from: string }): number =>
  t.from.length === 10 ? Date.parse(`${t.from}T00:00:00+08:00`) : t.ms;
const input = (rule: RuleId, from: string, nth: number): DeadlineInput => ({
  rule,
  from,
  ...(rule === 'mediation-weekly-progress' ? { nth } : {}),
});

describe('properties of every deadline', () => {
  test('a due date is never a rest day', () => {
    fc.assert(
      fc.property(trigger, fc.constantFrom(...RULE_IDS), fc.integer({ min: 1, max: 10 }), (t, rule, nth) => {
        const d = engine.compute(input(rule, t.from, nth));
        expect(rest(d.dueDate)).toBe(false);
        expect(d.dueDate > d.fromDate).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test('a working-day deadline counts exactly its working days after the trigger date and never a rest day', () => {
    fc.assert(
      fc.property(trigger, fc.integer({ min: 1, max: 30 }), (t, amount) => {
        const e = amount === 7 ? engine : createDeadlineEngine({ rules: { 'judgment-filing': { amount } } });
        const d = e.compute({ rule: 'judgment-filing', from: t.from });
        let counted = 0;
        for (let x = Date.parse(`${d.fromDate}T00:00:00Z`) + DAY; iso(x) <= d.dueDate; x += DAY)
          if (!rest(iso(x))) counted++;
        expect(counted).toBe(amount);
        expect(rest(d.dueDate)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  test('a calendar-day deadline ends on the first working day on or after its last day', () => {
    fc.assert(
      fc.property(
        trigger,
        fc.constantFrom<RuleId>('presuit-oral-feedback', 'insuit-report', 'loss-analysis-report'),
        (t, rule) => {
          const d = engine.compute({ rule, from: t.from });
          let x = Date.parse(`${d.fromDate}T00:00:00Z`) + d.counting.amount * DAY;
          while (rest(iso(x))) x += DAY;
          expect(d.dueDate).toBe(iso(x));
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('the due date never moves earlier when the trigger moves later', () => {
    fc.assert(
      fc.property(trigger, trigger, fc.constantFrom(...RULE_IDS), fc.integer({ min: 1, max: 6 }), (a, b, rule, nth) => {
        const [early, late] = instantOf(a) <= instantOf(b) ? [a, b] : [b, a];
        const x = engine.compute(input(rule, early.from, nth));
        const y = engine.compute(input(rule, late.from, nth));
        expect(x.dueDate <= y.dueDate).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test('reminders are sorted, after the trigger and before the due instant', () => {
    fc.assert(
      fc.property(trigger, fc.constantFrom(...RULE_IDS), fc.integer({ min: 1, max: 6 }), (t, rule, nth) => {
        const d = engine.compute(input(rule, t.from, nth));
        expect([...d.reminders].sort()).toEqual(d.reminders);
        for (const r of d.reminders) {
          expect(Date.parse(r)).toBeLessThan(Date.parse(d.dueAt));
          expect(Date.parse(r)).toBeGreaterThan(instantOf(t));
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('only a computation reaching past the published years is provisional', () => {
    fc.assert(
      fc.property(trigger, fc.constantFrom(...RULE_IDS), (t, rule) => {
        const d = engine.compute({ rule, from: t.from });
        if (d.fromDate >= '2023-01-10' && d.dueDate <= '2026-12-19') expect(d.provisional).toBe(false);
        if (d.dueDate >= '2027-01-01') expect(d.provisional).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
