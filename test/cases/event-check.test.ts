// The workflow's zod-free event check against zod itself: for the same input, parseCaseEvent and
// caseEventSchema.safeParse must agree on success and, when it succeeds, on the very value the workflow applies
// (defaults filled, text trimmed, unknown keys dropped, keys in the same order).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { caseEventTypes, parseCaseEvent } from '../../src/workflows/case/event-check';
import { caseEventSchema, caseEventTypes as zodEventTypes } from '../../src/workflows/case/schemas';
import { invalidCommand } from '../../src/workflows/shared/invalid';

const root = join(__dirname, '..', '..');
type Json = Record<string, unknown>;

/** Every event the recorded replay histories carry: real commands as the API sent them. */
function recordedEvents(): Json[] {
  const dir = join(root, 'test', 'replay', 'histories');
  const events: Json[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const history = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { events: Json[] };
    for (const e of history.events) {
      const accepted = e.workflowExecutionUpdateAcceptedEventAttributes as
        { acceptedRequest: { input: { args?: { payloads?: { data: string }[] } } } } | undefined;
      for (const p of accepted?.acceptedRequest.input.args?.payloads ?? []) {
        const command = JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')) as { event?: Json };
        if (command.event) events.push(command.event);
      }
    }
  }
  return events;
}

const AT = '2026-02-10T09:30:00+08:00';
/** One or more of every event type, optional fields and defaults included. */
const written: Json[] = [
  { type: 'presuit-feedback', summary: '已反馈', settled: true, occurredAt: '2026-02-09T10:00:00Z' },
  { type: 'presuit-feedback', summary: '  反馈  ' },
  { type: 'entrustment-letter', receivedAt: AT },
  { type: 'mediation-progress', summary: '进展', occurredAt: '2026-02-10T09:30+08:00' },
  {
    type: 'mediation-extension',
    newEndDate: '2026-04-30',
    partiesConsented: true,
    courtInformedOn: '2026-03-01',
  },
  { type: 'mediation-result', result: { outcome: 'resolved', summary: '和解' } },
  {
    type: 'mediation-result',
    result: { outcome: 'failed', process: '过程', demands: '诉求', disputeFocus: '焦点', failureReasons: '原因' },
    occurredAt: AT,
  },
  { type: 'response-notice', receivedAt: '2026-02-10T01:30:00.123456789Z' },
  { type: 'insuit-report' },
  { type: 'insuit-report', summary: '报告', occurredAt: AT },
  { type: 'defence-submitted', note: '答辩状' },
  { type: 'self-correction', description: '撤销原行政行为', courtInformedOn: '2026-02-29'.replace('29', '28') },
  { type: 'withdrawn', rulingOn: '2028-02-29', reason: '原告撤诉' },
  { type: 'hearing-scheduled', scheduledAt: AT, headAppearanceRequired: false },
  {
    type: 'hearing-scheduled',
    hearingId: 'h-2',
    scheduledAt: AT,
    headAppearanceRequired: true,
    record: { appeared: true, who: '刘局长', role: 'principal', spoke: true, viceCountyHeadAppeared: false },
  },
  { type: 'hearing-rescheduled', hearingId: 'h1', scheduledAt: AT, reason: '改期' },
  { type: 'hearing-cancelled', hearingId: 'h1', reason: '撤诉' },
  { type: 'appearance-plan', hearingId: 'h1', appearing: 'principal', name: '刘局长', occurredAt: AT },
  {
    type: 'appearance-plan',
    hearingId: 'h1',
    appearing: 'deputy',
    name: '王副局长',
    reason: '公务',
    viceCountyHead: '李',
  },
  { type: 'substitute-approval', hearingId: 'h1', approved: true, comment: '同意' },
  { type: 'appearance-record', hearingId: 'h1', appeared: false, who: '无', role: 'other', spoke: false },
  { type: 'judgment', receivedAt: AT, outcome: 'won' },
  {
    type: 'judgment',
    receivedAt: AT,
    outcome: 'partly-lost',
    documentNo: '（2026）闽0824行初3号',
    instance: 'second',
    documentType: 'ruling',
  },
  { type: 'appeal-filed', filedOn: '2026-03-01', by: 'plaintiff' },
  { type: 'judgment-effective', effectiveOn: '2026-03-20' },
  { type: 'appeal-decision', decision: 'accept', reason: '服判', occurredAt: AT },
  { type: 'filing', documentNo: '备案1', note: '已备案' },
  { type: 'loss-analysis-report', summary: '败诉原因分析' },
  { type: 'loss-report-review', decision: 'returned', comments: '补充' },
  { type: 'loss-report-review', decision: 'approved' },
  { type: 'major-case', reason: '涉及群体' },
  { type: 'recalculate-deadlines' },
  { type: 'registration-amended', changes: { title: '新案名', outcome: 'lost' }, reason: '笔误' },
  { type: 'registration-voided', reason: '重复登记' },
];

/** Inputs zod refuses or reshapes, chosen at the edges: each must be answered the same way. */
const edges: unknown[] = [
  null,
  undefined,
  'presuit-feedback',
  42,
  [],
  {},
  { type: 'unknown' },
  { type: 42 },
  { type: 'presuit-feedback' },
  { type: 'presuit-feedback', summary: '   ' },
  { type: 'presuit-feedback', summary: 'x'.repeat(4000) },
  { type: 'presuit-feedback', summary: ` ${'x'.repeat(4000)} ` },
  { type: 'presuit-feedback', summary: 'x'.repeat(4001) },
  { type: 'presuit-feedback', summary: 's', settled: 'yes' },
  { type: 'presuit-feedback', summary: 's', extra: 1, occurredAt: undefined },
  { type: 'entrustment-letter', receivedAt: '2026-02-30T09:00:00+08:00' },
  { type: 'entrustment-letter', receivedAt: '2026-02-10 09:00:00+08:00' },
  { type: 'entrustment-letter', receivedAt: '2026-02-10T09:00:00' },
  { type: 'entrustment-letter', receivedAt: '2026-02-10T25:00:00+08:00' },
  { type: 'entrustment-letter', receivedAt: '1999-12-31T15:59:59Z' },
  { type: 'entrustment-letter', receivedAt: '1999-12-31T16:00:00Z' },
  { type: 'entrustment-letter', receivedAt: '2099-12-31T15:59:59Z' },
  { type: 'entrustment-letter', receivedAt: '2099-12-31T16:00:00Z' },
  { type: 'entrustment-letter', receivedAt: '2099-12-31T23:00-02:00' },
  { type: 'entrustment-letter', receivedAt: '2100-01-01T00:00:00+08:00' },
  { type: 'entrustment-letter', receivedAt: ` ${AT}` },
  { type: 'withdrawn', rulingOn: '2027-02-29' },
  { type: 'withdrawn', rulingOn: '1999-12-31' },
  { type: 'withdrawn', rulingOn: '2100-01-01' },
  { type: 'withdrawn', rulingOn: '2026-13-01' },
  { type: 'withdrawn', rulingOn: '2026-1-01' },
  { type: 'mediation-extension', newEndDate: '2026-04-30', partiesConsented: false, courtInformedOn: '2026-03-01' },
  { type: 'mediation-extension', newEndDate: '2026-04-30', courtInformedOn: '2026-03-01' },
  { type: 'mediation-result', result: { outcome: 'resolved' } },
  { type: 'mediation-result', result: { outcome: 'other', summary: 's' } },
  { type: 'mediation-result', result: 'resolved' },
  { type: 'mediation-result', result: { outcome: 'resolved', summary: 's', process: 'p' } },
  { type: 'hearing-scheduled', scheduledAt: AT, headAppearanceRequired: true, record: null },
  { type: 'hearing-scheduled', scheduledAt: AT, headAppearanceRequired: true, hearingId: '-h' },
  { type: 'hearing-scheduled', scheduledAt: AT, headAppearanceRequired: true, hearingId: 'h'.repeat(65) },
  { type: 'hearing-scheduled', scheduledAt: AT, headAppearanceRequired: 1 },
  {
    type: 'hearing-scheduled',
    scheduledAt: AT,
    headAppearanceRequired: true,
    record: { appeared: true, who: ' ', role: 'boss', spoke: true },
  },
  { type: 'appearance-plan', hearingId: 'h1', appearing: 'deputy', name: '王' },
  { type: 'appearance-plan', hearingId: 'h1', appearing: 'deputy', name: '王', reason: '  ' },
  { type: 'appearance-plan', hearingId: 'h1', appearing: 'deputy', name: '  ' },
  { type: 'appearance-plan', hearingId: 'h1', appearing: 'nobody', name: '王' },
  { type: 'appearance-plan', hearingId: 'h1', appearing: 'deputy', name: 5 },
  { type: 'loss-report-review', decision: 'returned' },
  { type: 'loss-report-review', decision: 'returned', comments: '' },
  { type: 'judgment', receivedAt: AT, outcome: 'won', instance: undefined, documentType: null },
  { type: 'judgment', receivedAt: AT, outcome: 'won', instance: 'third' },
  { type: 'registration-amended', changes: {}, reason: 'r' },
  { type: 'registration-amended', changes: { unknown: 1 }, reason: 'r' },
  { type: 'registration-amended', changes: { title: undefined }, reason: 'r' },
  { type: 'registration-amended', changes: { title: 5 }, reason: 'r' },
  { type: 'registration-amended', changes: { triggerReceivedAt: '2026-02-10' }, reason: 'r' },
  { type: 'registration-amended', changes: { agencyId: 'Bad' }, reason: 'r' },
  { type: 'registration-amended', reason: 'r' },
  { type: 'recalculate-deadlines', reason: 'dropped' },
  { type: 'registration-voided', reason: '\u3000' },
];

/** Both answers, side by side in a form that compares key order too. */
function both(input: unknown) {
  const zod = caseEventSchema.safeParse(input);
  const mine = parseCaseEvent(input);
  return {
    zod: zod.success ? { success: true, data: JSON.stringify(zod.data) } : { success: false },
    mine: mine.success ? { success: true, data: JSON.stringify(mine.data) } : { success: false },
    zodPaths: zod.success ? [] : zod.error.issues.map((i) => i.path.join('.')),
    minePaths: mine.success ? [] : mine.issues.map((i) => i.path.join('.')),
    zodData: zod.data,
    mineData: mine.success ? mine.data : undefined,
  };
}

function expectAgreement(input: unknown): void {
  const r = both(input);
  expect({ input, answer: r.mine }).toEqual({ input, answer: r.zod });
  expect(r.mineData).toEqual(r.zodData);
  // The issues point at the same places, so the API names the same fields whichever side refused.
  expect(new Set(r.minePaths)).toEqual(new Set(r.zodPaths));
}

const recorded = recordedEvents();
const valid = [...recorded, ...written];

describe('the workflow’s zod-free event check agrees with caseEventSchema', () => {
  test('the fixtures cover every event type, and both sides list the same types in the same order', () => {
    expect(caseEventTypes).toEqual(zodEventTypes);
    expect(recorded.length).toBeGreaterThan(40);
    expect(new Set(valid.map((e) => e.type))).toEqual(new Set(caseEventTypes));
  });

  test.each(valid.map((e, i) => [i, e.type, e] as const))(
    'accepts valid event %i (%s) exactly as zod parses it',
    (_, _t, e) => {
      expect(caseEventSchema.safeParse(e).success).toBe(true);
      expectAgreement(e);
    },
  );

  const short = (e: unknown) => (JSON.stringify(e) ?? 'undefined').slice(0, 100);
  test.each(edges.map((e, i) => [i, short(e), e] as const))('answers edge case %i as zod does: %s', (_, _s, e) => {
    expectAgreement(e);
  });

  test('agrees on events with fields dropped, retyped, padded, misdated or added (property-based)', () => {
    const wrong = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.string({ maxLength: 6 }),
      fc.constantFrom('', '  ', '\u3000x\n', 'x'.repeat(1001), '2026-02-29', '2024-02-29', 'T', '-'),
      fc.array(fc.integer(), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
    );
    const year = fc.integer({ min: 1995, max: 2105 }).map((y) => String(y).padStart(4, '0'));
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const day = fc.tuple(year, two(13), two(32)).map(([y, m, d]) => `${y}-${m}-${d}`);
    const offset = fc.constantFrom('Z', '+08:00', '-02:00', '+14:00', '-12:00', '');
    const instant = fc.tuple(day, two(24), two(60), offset).map(([d, h, m, z]) => `${d}T${h}:${m}:00${z}`);
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('retype' as const), pick: fc.nat(), value: wrong }),
      fc.record({ kind: fc.constant('pad' as const), pick: fc.nat(), pad: fc.constantFrom(' ', '\t', '\u3000', '\n') }),
      fc.record({ kind: fc.constant('date' as const), pick: fc.nat(), value: fc.oneof(day, instant) }),
      fc.record({ kind: fc.constant('add' as const), key: fc.string({ maxLength: 8 }), value: wrong }),
      fc.record({ kind: fc.constant('type' as const), value: fc.constantFrom(...caseEventTypes) }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.array(mutation, { minLength: 1, maxLength: 3 }), (base, steps) => {
        const e: Json = structuredClone(base);
        for (const step of steps) {
          const keys = Object.keys(e);
          const key = 'pick' in step ? keys[step.pick % keys.length] : undefined;
          if (step.kind === 'drop') delete e[key!];
          else if (step.kind === 'retype' || step.kind === 'date') e[key!] = step.value;
          else if (step.kind === 'pad' && typeof e[key!] === 'string') e[key!] = `${step.pad}${e[key!] as string}`;
          else if (step.kind === 'add') e[step.key] = step.value;
          else if (step.kind === 'type') e.type = step.value;
        }
        expectAgreement(e);
      }),
      { numRuns: 3000, seed: Number(process.env.FUZZ_SEED ?? 20261202) },
    );
  });

  test('a refused event becomes the same InvalidCommand failure as a zod error would', () => {
    const input = { type: 'withdrawn', rulingOn: '2100-01-01', extra: 1 };
    const mine = parseCaseEvent(input);
    const zod = caseEventSchema.safeParse(input);
    if (mine.success || zod.success) throw new Error('both must refuse');
    const fromMine = invalidCommand(mine.issues);
    expect(fromMine.type).toBe('InvalidCommand');
    expect(fromMine.details).toEqual([
      { code: 'invalid_request', issues: [{ path: ['rulingOn'], message: '须在2000年至2099年之间' }] },
    ]);
    expect(fromMine.message).toBe('rulingOn: 须在2000年至2099年之间');
    expect(invalidCommand(zod.error).details).toEqual(fromMine.details);
  });

  test('missing fields and wrong types are named in Chinese, with their paths', () => {
    const r = parseCaseEvent({ type: 'hearing-rescheduled', hearingId: 7, scheduledAt: AT });
    expect(r).toEqual({
      success: false,
      issues: [
        { path: ['hearingId'], message: '类型不符，应为字符串' },
        { path: ['reason'], message: '缺少字段' },
      ],
    });
  });
});

test('the committed event and letter JSON Schemas are generated from the current zod schemas', () => {
  const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['scripts/workflow-schemas.ts', '--check'], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});
