// A step that asks the calendar is run twice: once on a copy with the engine, writing every answer on a tape, and once
// in the workflow on that tape. These tests hold the two runs to the same questions, answers, state and notices.
import { createDeadlineEngine } from '../../src/deadlines';
import {
  CalendarMiss,
  recordingCalendar,
  tapedCalendar,
  type CalendarCall,
  type TapeEntry,
} from '../../src/workflows/case/calendar-tape';
import { CaseMachine, initialState } from '../../src/workflows/case/machine';
import { registrationSchema, type RegistrationInput } from '../../src/workflows/case/schemas';
import { changeSince, fingerprint, recordedOf, runStep, type CaseStep } from '../../src/workflows/case/steps';
import type { CaseState } from '../../src/workflows/case/types';

const engine = createDeadlineEngine();
const source = {
  deadlines: (requests: Parameters<typeof engine.compute>[0][]) => requests.map((r) => engine.compute(r)),
  nextEscalationAt: (after: string, n: number) => engine.nextEscalationAt(after, n).at,
  workingMoment: (at: string) => engine.workingMoment(at).at,
};
const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function fresh(trigger: RegistrationInput['trigger'], at: string): { state: CaseState; step: CaseStep } {
  const registration = registrationSchema.parse({
    caseId: 'TAPE-1',
    title: '孙某诉县自然资源局案',
    agencyId: 'natural-resources',
    field: 'land-taking',
    plaintiff: '孙某',
    trigger,
  });
  return {
    state: initialState(registration, { leaderId: 'vice-head-li', agencyName: '县自然资源局' }, at),
    step: { op: 'register', registration, actor: 'bureau' },
  };
}

/** Runs the step on a copy with the engine (the activity), then on the tape (the workflow): both results. */
function twice(state: CaseState, step: CaseStep, now: string) {
  const tape: TapeEntry[] = [];
  const recorded = new CaseMachine(copy(state), { now: () => now, ...recordingCalendar(source, tape) });
  const recordedChanged = runStep(recorded, step);
  const misses: CalendarCall[] = [];
  const replayed = new CaseMachine(copy(state), {
    now: () => now,
    ...tapedCalendar(copy(tape), (call) => {
      misses.push(call);
      throw new CalendarMiss(call);
    }),
  });
  const replayedChanged = runStep(replayed, step);
  return { tape, misses, recorded, replayed, recordedChanged, replayedChanged };
}

test.each([
  ['an oral notice', { type: 'oral-notice', receivedAt: '2026-02-10T10:00:00+08:00' }],
  ['a response notice', { type: 'response-notice', receivedAt: '2026-03-02T09:00:00+08:00' }],
  ['an entrustment letter', { type: 'entrustment-letter', receivedAt: '2026-03-02T09:00:00+08:00', stage: 'in-suit' }],
] as const)(
  'registering on %s, the run on the tape asks nothing more and arrives at the same state and notices',
  async (_, trigger) => {
    const { state, step } = fresh(trigger as RegistrationInput['trigger'], '2026-03-02T02:00:00Z');
    const r = twice(state, step, '2026-03-02T02:00:00Z');
    expect(r.tape.length).toBeGreaterThan(0);
    expect(r.misses).toEqual([]);
    expect(r.replayed.state).toEqual(r.recorded.state);
    expect(fingerprint(r.replayed.state)).toBe(fingerprint(r.recorded.state));
    expect(r.replayed.takeNotices()).toEqual(r.recorded.takeNotices());
  },
);

test('a tick at a lapse (working moment, escalation date) replays from its tape without asking again', async () => {
  const { state, step } = fresh(
    { type: 'response-notice', receivedAt: '2026-03-02T09:00:00+08:00' },
    '2026-03-02T02:00:00Z',
  );
  const registered = new CaseMachine(state, { now: () => '2026-03-02T02:00:00Z', ...recordingCalendar(source, []) });
  runStep(registered, step);
  registered.takeNotices();
  // Well past the 3-day report's due instant, on a working morning.
  const r = twice(registered.state, { op: 'tick' }, '2026-03-09T02:00:00Z');
  expect(r.recordedChanged).toBe(true);
  expect(r.replayedChanged).toBe(true);
  expect(r.tape.map((e) => (JSON.parse(e.call) as CalendarCall).op)).toEqual(
    expect.arrayContaining(['workingMoment', 'nextEscalationAt']),
  );
  expect(r.misses).toEqual([]);
  expect(r.replayed.state).toEqual(r.recorded.state);
  expect(r.replayed.takeNotices().map((n) => n.kind)).toContain('escalation');
});

test('a question asked out of order is not answered from the tape but by the miss handler', () => {
  const tape: TapeEntry[] = [{ call: JSON.stringify({ op: 'workingMoment', at: '2026-03-09T02:00:00Z' }), value: 'x' }];
  const asked: CalendarCall[] = [];
  const cal = tapedCalendar(tape, (call) => {
    asked.push(call);
    throw new CalendarMiss(call);
  });
  expect(() => cal.workingMoment('2026-03-08T02:00:00Z')).toThrow(CalendarMiss);
  expect(asked).toEqual([{ op: 'workingMoment', at: '2026-03-08T02:00:00Z' }]);
});

test('an answer looked up on its own is found by its question once the tape has run out', () => {
  const question = { op: 'workingMoment', at: '2026-03-08T02:00:00Z' } as const;
  const extra = new Map([
    [JSON.stringify(question), { call: JSON.stringify(question), value: '2026-03-09T01:00:00Z' }],
  ]);
  const cal = tapedCalendar(
    [],
    (call) => {
      throw new CalendarMiss(call);
    },
    extra,
  );
  expect(cal.workingMoment(question.at)).toBe('2026-03-09T01:00:00Z');
  expect(() => cal.workingMoment('2026-03-10T02:00:00Z')).toThrow(CalendarMiss);
});

test('an engine refusal on the tape is replayed as the same error, so the command is refused the same way', () => {
  const tape: TapeEntry[] = [];
  const failing = recordingCalendar(
    {
      ...source,
      workingMoment: () => {
        const e = new Error('out of range');
        e.name = 'DeadlineInputError';
        throw e;
      },
    },
    tape,
  );
  expect(() => failing.workingMoment('2101-01-01T00:00:00Z')).toThrow('out of range');
  const replay = tapedCalendar(tape, () => {
    throw new Error('asked again');
  });
  expect(() => replay.workingMoment('2101-01-01T00:00:00Z')).toThrow(
    expect.objectContaining({ name: 'DeadlineInputError', message: 'out of range' }),
  );
});

test('the delta written after a step holds only the duties that changed and the new timeline entries', async () => {
  const { state, step } = fresh(
    { type: 'response-notice', receivedAt: '2026-03-02T09:00:00+08:00' },
    '2026-03-02T02:00:00Z',
  );
  const m = new CaseMachine(state, { now: () => '2026-03-02T02:00:00Z', ...recordingCalendar(source, []) });
  runStep(m, step);
  const baseline = recordedOf(m.state);
  expect(changeSince(m.state, baseline)).toEqual({ duties: [], timeline: [] });
  runStep(m, {
    op: 'apply',
    event: { type: 'major-case', reason: '涉及群体性利益' },
    actor: 'bureau',
    command: {},
  });
  const delta = changeSince(m.state, baseline);
  expect(delta.duties).toEqual([]);
  expect(delta.timeline.map((e) => e.seq)).toEqual([baseline.timelineFrom]);
});

test('a state’s fingerprint stays FNV-1a over its JSON, so the fingerprints recorded in histories still compare', () => {
  // Values of the function as first recorded: a different hash would make every recorded commit look diverged.
  const named = {
    caseId: '2026-XZ-001',
    title: '张某诉县自然资源局征收补偿决定案',
    seq: { notice: 3, timeline: 7, hearing: 0 },
  };
  const long = {
    caseId: 'A',
    timeline: Array.from({ length: 12 }, (_, i) => ({ seq: i + 1, summary: `通报协调化解进展：第${i + 1}次` })),
  };
  expect(fingerprint(named as never)).toBe('95:25f1d8e3');
  expect(fingerprint(long as never)).toBe('453:2829d00');
  expect(fingerprint({} as never)).toBe('2:5465b825');
  // A hash with its top bit set: printed unsigned.
  expect(fingerprint({ caseId: 'E' } as never)).toBe('14:e81db66d');
});
