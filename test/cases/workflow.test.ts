import { WorkflowFailedError } from '@temporalio/client';
import type { Principal } from '../../src/http/auth';
import { ConflictError, InvalidInputError, NotFoundError } from '../../src/errors';
import { statusOf } from '../../src/http/errors';
import { caseStateQuery, caseWorkflowId } from '../../src/workflows/case/messages';
import { AgencyIdKey, LeaderIdKey } from '../../src/workflows/case/search-attributes';
import { registrationSchema } from '../../src/workflows/case/schemas';
import type { CaseState } from '../../src/workflows/case/types';
import { startCaseEnv } from './case-env';

const DAY = 24 * 3600_000;
const bureau = { role: 'bureau' } as const;
const agency = { role: 'agency', agencyId: 'natural-resources' } as const;
const otherAgency = { role: 'agency', agencyId: 'hrss' } as const;
const leader: Principal = { role: 'leader', leaderId: 'vice-head-li', agencyIds: ['natural-resources', 'housing'] };

let t: Awaited<ReturnType<typeof startCaseEnv>>;

beforeAll(async () => {
  t = await startCaseEnv();
}, 120_000);

afterAll(async () => {
  await t?.teardown();
});

function registration(caseId: string, trigger: object, extra: object = {}) {
  return registrationSchema.parse({
    caseId,
    title: '张某诉县自然资源局征收补偿决定案',
    agencyId: 'natural-resources',
    field: 'land-taking',
    plaintiff: '张某',
    trigger,
    ...extra,
  });
}

const state = (caseId: string): Promise<CaseState> =>
  t.env.client.workflow.getHandle(caseWorkflowId(caseId)).query(caseStateQuery);

test('an in-suit report done late is reminded, escalated, escalated again, and keeps its lateness on record', async () => {
  const caseId = t.newCaseId();
  const registered = await t.cases.register(
    registration(caseId, { type: 'response-notice', receivedAt: await t.nowPlus() }),
    bureau,
  );
  const duty = registered.duties.find((d) => d.id === 'insuit-report')!;
  expect(duty.status).toBe('open');
  // Past the due instant, then past the first repeated escalation (3 working days, at most ~9 calendar days later).
  await t.env.sleep(Date.parse(duty.dueAt) - (await t.env.currentTimeMs()) + 60_000);
  let s = await state(caseId);
  // Lapsed at 24:00; its escalation waits for the next working morning.
  expect(s.duties.find((d) => d.id === 'insuit-report')).toMatchObject({ status: 'overdue', overdueSince: duty.dueAt });
  await t.env.sleep(12 * DAY);
  s = await state(caseId);
  const overdue = s.duties.find((d) => d.id === 'insuit-report')!;
  expect(overdue.escalations).toBeGreaterThanOrEqual(2);
  const after = await t.cases.applyEvent(caseId, { type: 'insuit-report', summary: '已报告' }, agency);
  const done = after.duties.find((d) => d.id === 'insuit-report')!;
  expect(done).toMatchObject({ status: 'done', doneBy: 'agency:natural-resources' });
  expect(done.lateDays).toBeGreaterThanOrEqual(12);
  const kinds = (await t.store.listNotices({ caseId })).map((n) => n.kind);
  expect(kinds).toEqual(expect.arrayContaining(['inform', 'report', 'escalation', 'repeated-escalation']));
});

test('a second registration of the same case id is refused', async () => {
  const caseId = t.newCaseId();
  await t.cases.register(registration(caseId, { type: 'oral-notice', receivedAt: await t.nowPlus() }), bureau);
  await expect(
    t.cases.register(registration(caseId, { type: 'oral-notice', receivedAt: await t.nowPlus() }), bureau),
  ).rejects.toBeInstanceOf(ConflictError);
});

test('a command the stage does not allow is refused with its reason and changes nothing', async () => {
  const caseId = t.newCaseId();
  await t.cases.register(registration(caseId, { type: 'oral-notice', receivedAt: await t.nowPlus() }), bureau);
  const before = await state(caseId);
  const refused = t.cases.applyEvent(caseId, { type: 'filing', documentNo: 'X' }, agency);
  await expect(refused).rejects.toBeInstanceOf(ConflictError);
  await expect(refused).rejects.toThrow(/本案没有待备案的裁判文书/);
  expect(await state(caseId)).toEqual(before);
});

test('a failed mediation result without its four parts is refused by the workflow itself', async () => {
  const caseId = t.newCaseId();
  await t.cases.register(
    registration(caseId, { type: 'entrustment-letter', receivedAt: await t.nowPlus(), stage: 'in-suit' }),
    bureau,
  );
  const before = await state(caseId);
  const bad = { type: 'mediation-result', result: { outcome: 'failed', process: '多次协调' } } as never;
  const err = await t.cases.applyEvent(caseId, bad, agency).catch((e) => e);
  expect(err).toBeInstanceOf(InvalidInputError);
  expect(statusOf(err as InvalidInputError)).toBe(400);
  expect(await state(caseId)).toEqual(before);
});

test('another agency’s case looks exactly like a missing one', async () => {
  const caseId = t.newCaseId();
  await t.cases.register(registration(caseId, { type: 'oral-notice', receivedAt: await t.nowPlus() }), bureau);
  await expect(t.cases.get(caseId, otherAgency)).rejects.toBeInstanceOf(NotFoundError);
  await expect(
    t.cases.applyEvent(caseId, { type: 'presuit-feedback', summary: 'x' }, otherAgency),
  ).rejects.toBeInstanceOf(NotFoundError);
  await expect(t.cases.get('T-does-not-exist', bureau)).rejects.toBeInstanceOf(NotFoundError);
  expect((await t.cases.get(caseId, leader)).caseId).toBe(caseId);
});

test('a mediation extension moves the period’s timer: nothing lapses at the old date, it lapses at the new one', async () => {
  const caseId = t.newCaseId();
  const s0 = await t.cases.register(
    registration(caseId, { type: 'entrustment-letter', receivedAt: await t.nowPlus() }),
    bureau,
  );
  const period = s0.duties.find((d) => d.id === 'mediation-1-period')!;
  const newEnd = new Date(Date.parse(period.dueAt) + 20 * DAY).toISOString().slice(0, 10);
  const today = new Date(Date.parse(await t.nowPlus()) + 8 * 3600_000).toISOString().slice(0, 10);
  const s1 = await t.cases.applyEvent(
    caseId,
    { type: 'mediation-extension', newEndDate: newEnd, partiesConsented: true, courtInformedOn: today },
    agency,
  );
  const moved = s1.duties.find((d) => d.id === 'mediation-1-period')!;
  expect(moved.previousDue?.[0]?.dueDate).toBe(period.dueDate);
  await t.env.sleep(Date.parse(period.dueAt) - (await t.env.currentTimeMs()) + DAY);
  expect((await state(caseId)).duties.find((d) => d.id === 'mediation-1-period')!.status).toBe('open');
  await t.env.sleep(Date.parse(moved.dueAt) - (await t.env.currentTimeMs()) + 60_000);
  expect((await state(caseId)).duties.find((d) => d.id === 'mediation-1-period')!.status).toBe('overdue');
});

test('the registry keeps the case on file as the workflow moves', async () => {
  const caseId = t.newCaseId();
  await t.cases.register(
    registration(caseId, { type: 'judgment', receivedAt: await t.nowPlus(), outcome: 'won', instance: 'second' }),
    bureau,
  );
  await t.cases.applyEvent(caseId, { type: 'filing', documentNo: '（2026）闽0824行二终1号' }, agency);
  const record = await t.store.getCaseRecord(caseId);
  expect(record).toBeDefined();
  expect(JSON.stringify(record)).toContain('judgment-filing');
  expect(JSON.stringify(record)).toContain('closed');
  await expect(t.env.client.workflow.getHandle(caseWorkflowId(caseId)).result()).resolves.toMatchObject({
    stage: 'closed',
  });
  void WorkflowFailedError;
});

const today = async () => new Date(Date.parse(await t.nowPlus()) + 8 * 3600_000).toISOString().slice(0, 10);

test('a rescheduled hearing moves its plan timer: nothing is reminded or escalated for the vacated date', async () => {
  const caseId = t.newCaseId();
  await t.cases.register(registration(caseId, { type: 'response-notice', receivedAt: await t.nowPlus() }), bureau);
  const first = await t.nowPlus(10 * DAY);
  await t.cases.applyEvent(
    caseId,
    { type: 'hearing-scheduled', hearingId: 'h1', scheduledAt: first, headAppearanceRequired: true },
    agency,
  );
  const moved = await t.cases.applyEvent(
    caseId,
    { type: 'hearing-rescheduled', hearingId: 'h1', scheduledAt: await t.nowPlus(40 * DAY), reason: '法院排期调整' },
    agency,
  );
  const plan = moved.duties.find((d) => d.id === 'hearing-h1-plan')!;
  expect(Date.parse(plan.dueAt)).toBeGreaterThan(Date.parse(first));
  await t.env.sleep(12 * DAY);
  const s = await state(caseId);
  expect(s.duties.find((d) => d.id === 'hearing-h1-plan')).toMatchObject({ status: 'open', escalations: 0 });
  expect(s.hearings[0]!.reminderSentAt).toBeUndefined();
  const notices = await t.store.listNotices({ caseId });
  expect(notices.filter((n) => n.kind === 'hearing-reminder')).toHaveLength(1); // the one at scheduling
  expect(notices.filter((n) => n.dutyId === 'hearing-h1-plan')).toEqual([]);
});

test('an appealed first-instance loss owes no filing until the second-instance judgment, which counts it from receipt', async () => {
  const caseId = t.newCaseId();
  await t.cases.register(registration(caseId, { type: 'response-notice', receivedAt: await t.nowPlus() }), bureau);
  await t.env.sleep(DAY);
  const lost = await t.cases.applyEvent(
    caseId,
    { type: 'judgment', receivedAt: await t.nowPlus(), outcome: 'lost', instance: 'first', documentType: 'judgment' },
    agency,
  );
  expect(lost.duties.find((d) => d.ruleId === 'appeal-decision')).toMatchObject({ status: 'open' });
  expect(lost.duties.filter((d) => d.ruleId === 'judgment-filing')).toEqual([]);
  expect(lost.duties.find((d) => d.id === 'insuit-report')!.status).toBe('superseded');
  await t.cases.applyEvent(caseId, { type: 'appeal-filed', filedOn: await today(), by: 'plaintiff' }, agency);
  await t.env.sleep(20 * DAY);
  let s = await state(caseId);
  expect(s.stage).toBe('in-suit');
  expect(s.duties.filter((d) => d.ruleId === 'judgment-filing')).toEqual([]);
  const second = await t.cases.applyEvent(
    caseId,
    { type: 'judgment', receivedAt: await t.nowPlus(), outcome: 'won', instance: 'second', documentType: 'judgment' },
    agency,
  );
  expect(second.judgment).toMatchObject({ instance: 'second', effectiveOn: await today(), effectiveBy: 'final' });
  expect(second.duties.find((d) => d.ruleId === 'judgment-filing')).toMatchObject({ from: await today() });
  s = await state(caseId);
  expect(s.earlierJudgments).toHaveLength(1);
});

test('a first-instance judgment with no appeal takes effect when its period ends, on the server’s timer', async () => {
  const caseId = t.newCaseId();
  const s0 = await t.cases.register(
    registration(caseId, { type: 'judgment', receivedAt: await t.nowPlus(), outcome: 'won' }),
    bureau,
  );
  expect(s0.judgment!.appealPeriod).toBeDefined();
  expect(s0.duties).toEqual([]);
  await t.env.sleep(Date.parse(s0.judgment!.appealPeriod!.dueAt) - (await t.env.currentTimeMs()) + 60_000);
  const s = await state(caseId);
  expect(s.judgment).toMatchObject({ effectiveBy: 'appeal-period-lapsed' });
  expect(s.duties.find((d) => d.ruleId === 'judgment-filing')).toMatchObject({ status: 'open' });
});

test('a correction moves the case to the right agency (search attributes too), and a voided case completes', async () => {
  const caseId = t.newCaseId();
  await t.cases.register(registration(caseId, { type: 'response-notice', receivedAt: await t.nowPlus() }), bureau);
  const amended = await t.cases.applyEvent(
    caseId,
    { type: 'registration-amended', changes: { agencyId: 'hrss' }, reason: '涉诉单位录错' },
    bureau,
  );
  expect(amended).toMatchObject({ agencyId: 'hrss', leaderId: 'vice-head-zhang' });
  expect(amended.duties.find((d) => d.id === 'insuit-report')!.owner).toBe('agency:hrss');
  expect(amended.amendments).toHaveLength(1);
  const handle = t.env.client.workflow.getHandle(caseWorkflowId(caseId));
  const described = await handle.describe();
  expect(described.typedSearchAttributes.get(AgencyIdKey)).toBe('hrss');
  expect(described.typedSearchAttributes.get(LeaderIdKey)).toBe('vice-head-zhang');
  await expect(
    t.cases.applyEvent(caseId, { type: 'registration-voided', reason: '误登记' }, otherAgency),
  ).rejects.toBeInstanceOf(ConflictError);
  await t.cases.applyEvent(caseId, { type: 'registration-voided', reason: '误登记' }, bureau);
  await expect(handle.result()).resolves.toMatchObject({ stage: 'voided' });
});
