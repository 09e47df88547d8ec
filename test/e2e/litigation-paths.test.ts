import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createDeadlineEngine, DeadlineInputError } from '../../src/deadlines';
import { CaseService } from '../../src/services/cases';
import { directory } from '../cases/case-env';
import { shanghaiDateOf } from '../../src/reports/period';
import { bearer, eventually, startStack } from './stack';

// Issue 11 through the HTTP API on the real dev server, worker and registry: the paths a county's real cases take.
let s: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  s = await startStack();
}, 120_000);
afterAll(async () => {
  await s?.stop();
});

const engine = createDeadlineEngine();
const newId = () => `E2E-${randomUUID().slice(0, 8)}`;
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const ahead = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const registration = (caseId: string, trigger: object, agencyId = 'natural-resources') => ({
  caseId,
  title: '王某诉县自然资源局行政处罚案',
  agencyId,
  field: 'land-taking',
  plaintiff: '王某',
  trigger,
});
interface DutyView {
  id: string;
  ruleId: string;
  status: string;
  dueDate: string;
  overdueSince?: string;
  escalations: number;
}
const register = async (body: object) => {
  const res = await request(s.app).post('/api/cases').set(bearer('dev-bureau')).send(body);
  expect(res.status).toBe(201);
  return res.body as { caseId: string; duties: DutyView[] };
};
const send = (caseId: string, token: string, event: object) =>
  request(s.app).post(`/api/cases/${caseId}/events`).set(bearer(token)).send(event);
const getCase = async (caseId: string, token = 'dev-bureau') =>
  (await request(s.app).get(`/api/cases/${caseId}`).set(bearer(token))).body as {
    stage: string;
    agencyId: string;
    agencyName: string;
    duties: DutyView[];
    hearings: { id: string; scheduledAt: string; status?: string; history?: unknown[] }[];
    judgment?: { instance: string; effectiveOn?: string };
    mediations: unknown[];
  };
const CHINESE = /[\u4e00-\u9fa5]/;

test('a rescheduled hearing moves its plan duty and escalates nothing for its old date', async () => {
  const { caseId } = await register(registration(newId(), { type: 'response-notice', receivedAt: ago(1) }));
  const oldAt = ahead(20);
  const newAt = ahead(40);
  const scheduled = await send(caseId, 'dev-agency-natural-resources', {
    type: 'hearing-scheduled',
    hearingId: 'h1',
    scheduledAt: oldAt,
    headAppearanceRequired: true,
  });
  expect(scheduled.status).toBe(200);
  const moved = await send(caseId, 'dev-agency-natural-resources', {
    type: 'hearing-rescheduled',
    hearingId: 'h1',
    scheduledAt: newAt,
    reason: '法院通知改期',
  });
  expect(moved.status).toBe(200);
  const state = await getCase(caseId);
  expect(state.hearings).toEqual([
    expect.objectContaining({ id: 'h1', scheduledAt: newAt, history: [expect.objectContaining({ from: oldAt })] }),
  ]);
  // One plan duty for the hearing, outstanding and due before the NEW date; none left for the vacated date.
  const oldDay = shanghaiDateOf(oldAt);
  const plans = state.duties.filter((d) => d.ruleId === 'appearance-plan');
  expect(plans.filter((d) => d.status === 'open' || d.status === 'overdue')).toHaveLength(1);
  expect(plans.every((d) => d.dueDate < shanghaiDateOf(newAt) && d.dueDate > oldDay)).toBe(true);
  const todo = await request(s.app).get('/api/duties').set(bearer('dev-agency-natural-resources'));
  const mine = (todo.body.duties as { caseId: string; ruleId: string; dueDate: string }[]).filter(
    (d) => d.caseId === caseId && d.ruleId === 'appearance-plan',
  );
  expect(mine.map((d) => d.dueDate)).toEqual([plans.find((d) => d.status === 'open')?.dueDate]);
  expect(mine.some((d) => d.dueDate <= oldDay)).toBe(false);
  // After the move, nothing is escalated, and nothing more is said about the vacated date (the notice that the
  // hearing was scheduled went out before it moved).
  const aboutOldDate = async () =>
    (await s.store.listNotices({ caseId })).filter((n) => (n.facts as { hearingAt?: string }).hearingAt === oldAt);
  const before = (await aboutOldDate()).map((n) => n.id);
  await new Promise((r) => setTimeout(r, 1500));
  expect((await aboutOldDate()).map((n) => n.id)).toEqual(before);
  const notices = await s.store.listNotices({ caseId });
  expect(notices.filter((n) => ['escalation', 'repeated-escalation', 'reminder'].includes(n.kind))).toEqual([]);
});

test('a lost first-instance judgment with an appeal filed has no filing duty until the second instance, whose filing duty counts from its receipt', async () => {
  const { caseId } = await register(registration(newId(), { type: 'response-notice', receivedAt: ago(60) }));
  const first = await send(caseId, 'dev-bureau', {
    type: 'judgment',
    instance: 'first',
    receivedAt: ago(5),
    outcome: 'lost',
  });
  expect(first.status).toBe(200);
  const filing = (st: { duties: DutyView[] }) => st.duties.filter((d) => d.ruleId === 'judgment-filing');
  expect(filing(first.body)).toEqual([]);
  expect(first.body.judgment.effectiveOn).toBeUndefined();
  const appealed = await send(caseId, 'dev-agency-natural-resources', {
    type: 'appeal-filed',
    filedOn: shanghaiDateOf(ago(2)),
    by: 'agency',
  });
  expect(appealed.status).toBe(200);
  expect(filing(appealed.body)).toEqual([]);
  expect(appealed.body.stage).toBe('in-suit');

  const secondAt = ago(0.1);
  const second = await send(caseId, 'dev-bureau', {
    type: 'judgment',
    instance: 'second',
    receivedAt: secondAt,
    outcome: 'lost',
  });
  expect(second.status).toBe(200);
  expect(second.body.judgment).toMatchObject({ instance: 'second', effectiveOn: shanghaiDateOf(secondAt) });
  const expected = engine.compute({ rule: 'judgment-filing', from: secondAt }).dueDate;
  expect(filing(second.body)).toEqual([expect.objectContaining({ status: 'open', dueDate: expected })]);
});

test('a judgment supersedes an overdue in-suit report, which keeps its lapse on record and leaves the to-do list', async () => {
  const { caseId } = await register(registration(newId(), { type: 'response-notice', receivedAt: ago(20) }));
  await eventually(async () => {
    const d = (await getCase(caseId)).duties.find((x) => x.ruleId === 'insuit-report');
    return d?.status === 'overdue' ? d : undefined;
  });
  const judged = await send(caseId, 'dev-bureau', { type: 'judgment', receivedAt: ago(1), outcome: 'won' });
  expect(judged.status).toBe(200);
  const report = (judged.body.duties as DutyView[]).find((d) => d.ruleId === 'insuit-report');
  expect(report).toMatchObject({ status: 'superseded', overdueSince: expect.any(String) });
  const todo = await eventually(async () => {
    const res = await request(s.app).get('/api/duties').set(bearer('dev-bureau'));
    const mine = (res.body.duties as { caseId: string; ruleId: string }[]).filter((d) => d.caseId === caseId);
    return mine.some((d) => d.ruleId === 'insuit-report') ? undefined : mine;
  });
  expect(todo.map((d) => d.ruleId)).not.toContain('insuit-report');
});

test('a registration dated 1999 answers 400 in Chinese naming the field, and the same case id registers afterwards', async () => {
  const caseId = newId();
  const refused = await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send(registration(caseId, { type: 'response-notice', receivedAt: '1999-12-31T09:00:00+08:00' }));
  expect(refused.status).toBe(400);
  expect(refused.body.error.code).toMatch(/^[a-z_]+$/);
  expect(refused.body.error.message).toMatch(CHINESE);
  const issue = refused.body.error.issues.find((i: { path: string[] }) => i.path.join('.') === 'trigger.receivedAt');
  expect(issue.message).toMatch(CHINESE);
  await request(s.app).get(`/api/cases/${caseId}`).set(bearer('dev-bureau')).expect(404);
  await register(registration(caseId, { type: 'response-notice', receivedAt: ago(1) }));
});

test('a shape error answers in Chinese with a stable code', async () => {
  const res = await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send({ caseId: newId(), title: '某案', agencyId: 'natural-resources', field: 'land-taking' });
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('invalid_request');
  expect(res.body.error.message).toMatch(CHINESE);
  const plaintiff = res.body.error.issues.find((i: { path: string[] }) => i.path.join('.') === 'plaintiff');
  expect(plaintiff.message).toMatch(CHINESE);
});

test('an agency change moves the case to the new agency’s list and out of the old one’s; an unknown agency is refused', async () => {
  const { caseId } = await register(registration(newId(), { type: 'response-notice', receivedAt: ago(1) }));
  const unknown = await send(caseId, 'dev-bureau', {
    type: 'registration-amended',
    changes: { agencyId: 'no-such-agency' },
    reason: '登记时单位填错',
  });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.message).toMatch(CHINESE);
  expect((await getCase(caseId)).agencyId).toBe('natural-resources');

  const amended = await send(caseId, 'dev-bureau', {
    type: 'registration-amended',
    changes: { agencyId: 'hrss' },
    reason: '登记时单位填错',
  });
  expect(amended.status).toBe(200);
  expect(amended.body).toMatchObject({
    agencyId: 'hrss',
    agencyName: '县人力资源和社会保障局',
    leaderId: 'vice-head-zhang',
  });
  const listed = (token: string) =>
    request(s.app)
      .get('/api/cases')
      .set(bearer(token))
      .then((r) => (r.body.cases as { caseId: string }[]).map((c) => c.caseId));
  await eventually(async () => ((await listed('dev-agency-hrss')).includes(caseId) ? true : undefined));
  expect(await listed('dev-agency-natural-resources')).not.toContain(caseId);
  expect(await listed('dev-leader-vice-head-zhang')).toContain(caseId);
  await request(s.app).get(`/api/cases/${caseId}`).set(bearer('dev-agency-natural-resources')).expect(404);
  await request(s.app).get(`/api/cases/${caseId}`).set(bearer('dev-agency-hrss')).expect(200);
});

test('a won case that closed is reopened by a post-judgment entrustment letter under the same id', async () => {
  const { caseId } = await register(
    registration(
      newId(),
      { type: 'judgment', receivedAt: ago(2), outcome: 'won', instance: 'second' },
      'natural-resources',
    ),
  );
  const filed = await send(caseId, 'dev-agency-natural-resources', { type: 'filing', documentNo: '（2026）行终1号' });
  expect(filed.status).toBe(200);
  const handle = s.client.workflow.getHandle(`case-${caseId}`);
  await eventually(async () => ((await handle.describe()).status.name === 'COMPLETED' ? true : undefined));
  const closedRun = (await handle.describe()).runId;

  const reopened = await send(caseId, 'dev-bureau', { type: 'entrustment-letter', receivedAt: ago(0.05) });
  expect(reopened.status).toBe(200);
  expect(reopened.body.stage).toBe('post-judgment');
  expect(reopened.body.mediations).toHaveLength(1);
  const run = await handle.describe();
  expect(run.runId).not.toBe(closedRun);
  expect(run.status.name).toBe('RUNNING');
  // The registry record continues: same case, its earlier timeline kept.
  const rec = await eventually(async () => {
    const r = await s.store.getCaseRecord(caseId);
    return r && r.mediations.length === 1 ? r : undefined;
  });
  expect(rec.timeline[0]?.type).toBe('registered');
});

test('the service itself refuses what the deadline engine cannot count, before any workflow starts', async () => {
  // A client that bypasses the HTTP schemas still cannot burn an id: the service checks the year and computes the
  // trigger's due dates first.
  const caseId = newId();
  const reg = {
    ...registration(caseId, { type: 'response-notice', receivedAt: '1999-12-31T09:00:00+08:00' }),
    countyGovernmentDefendant: false,
  } as Parameters<typeof s.cases.register>[0];
  await expect(s.cases.register(reg, { role: 'bureau' })).rejects.toMatchObject({
    code: 'date_out_of_range',
    issues: [{ path: ['trigger', 'receivedAt'], message: expect.stringMatching(CHINESE) }],
  });
  const refusing = {
    ...engine,
    compute: () => {
      throw new DeadlineInputError('no calendar for that day');
    },
  };
  const strict = new CaseService(s.client, directory, {}, s.taskQueue, refusing);
  const inRange = { ...reg, trigger: { type: 'response-notice' as const, receivedAt: ago(1) } };
  await expect(strict.register(inRange, { role: 'bureau' })).rejects.toMatchObject({
    code: 'deadline_not_computable',
    message: expect.stringMatching(CHINESE),
  });
  await expect(s.client.workflow.getHandle(`case-${caseId}`).describe()).rejects.toThrow();
  await register(inRange);
});
