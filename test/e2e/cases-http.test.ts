import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createDeadlineEngine } from '../../src/deadlines';
import { caseEventTypes } from '../../src/workflows/case/schemas';
import { bearer, eventually, startStack } from './stack';

let s: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  s = await startStack();
}, 120_000);
afterAll(async () => {
  await s?.stop();
});

const engine = createDeadlineEngine();
const newId = () => `E2E-${randomUUID().slice(0, 8)}`;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const registration = (caseId: string, trigger: object, agencyId = 'natural-resources') => ({
  caseId,
  title: '李某诉县自然资源局行政处罚案',
  agencyId,
  field: 'land-taking',
  plaintiff: '李某',
  trigger,
});

test('a case registered with its trigger already past shows the duty overdue at once, and escalates it within seconds only in working hours', async () => {
  const caseId = newId();
  const created = await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send(registration(caseId, { type: 'response-notice', receivedAt: daysAgo(20) }));
  expect(created.status).toBe(201);
  expect(created.headers.location).toBe(`/api/cases/${caseId}`);
  const duty = await eventually(async () => {
    const res = await request(s.app).get(`/api/cases/${caseId}`).set(bearer('dev-bureau'));
    const d = res.body.duties?.find((x: { id: string }) => x.id === 'insuit-report');
    return d?.status === 'overdue' ? d : undefined;
  });
  expect(duty.overdueSince).toBe(duty.dueAt);
  // Issue 11: no alert to a county leader at night or on a rest day; it waits for the next working morning.
  const now = new Date().toISOString();
  const workingNow = Date.parse(engine.workingMoment(now).at) - Date.parse(now) < 60_000;
  if (!workingNow) {
    expect(duty.escalations).toBe(0);
    expect((await s.store.listNotices({ caseId })).filter((n) => n.kind === 'escalation')).toEqual([]);
    return;
  }
  expect(duty.escalations).toBe(1);
  const escalations = await eventually(async () => {
    // Twenty days on, the defence is overdue too and escalated on its own key: this test follows the report duty.
    const notices = (await s.store.listNotices({ caseId })).filter(
      (n) => n.kind === 'escalation' && n.dutyId === 'insuit-report',
    );
    return notices.length ? notices : undefined;
  });
  expect(escalations.map((n) => n.recipient).sort()).toEqual([
    'agency:natural-resources',
    'bureau',
    'leader:vice-head-li',
  ]);
});

test('an agency cannot see another agency’s case, and the answer is the same as for a missing case', async () => {
  const caseId = newId();
  await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send(registration(caseId, { type: 'oral-notice', receivedAt: daysAgo(1) }))
    .expect(201);
  const foreign = await request(s.app).get(`/api/cases/${caseId}`).set(bearer('dev-agency-hrss'));
  const missing = await request(s.app).get(`/api/cases/${newId()}`).set(bearer('dev-agency-hrss'));
  expect(foreign.status).toBe(404);
  expect(foreign.body).toEqual(missing.body);
  const event = await request(s.app)
    .post(`/api/cases/${caseId}/events`)
    .set(bearer('dev-agency-hrss'))
    .send({ type: 'presuit-feedback', summary: '试图越权' });
  expect(event.status).toBe(404);
  expect(event.body).toEqual(missing.body);
  await request(s.app).get(`/api/cases/${caseId}`).set(bearer('dev-agency-natural-resources')).expect(200);
  await request(s.app).get(`/api/cases/${caseId}`).set(bearer('dev-leader-vice-head-li')).expect(200);
  await request(s.app).get(`/api/cases/${caseId}`).set(bearer('dev-leader-vice-head-zhang')).expect(404);
});

test('a malformed event answers 400 with every issue and changes nothing', async () => {
  const caseId = newId();
  await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send(registration(caseId, { type: 'entrustment-letter', receivedAt: daysAgo(2) }))
    .expect(201);
  const before = (await request(s.app).get(`/api/cases/${caseId}`).set(bearer('dev-bureau'))).body;
  const bad = await request(s.app)
    .post(`/api/cases/${caseId}/events`)
    .set(bearer('dev-agency-natural-resources'))
    .send({ type: 'mediation-result', result: { outcome: 'failed', process: '多次协调' } });
  expect(bad.status).toBe(400);
  const paths = bad.body.error.issues.map((i: { path: string[] }) => i.path.join('.'));
  expect(paths).toEqual(expect.arrayContaining(['result.demands', 'result.disputeFocus', 'result.failureReasons']));
  const unknown = await request(s.app)
    .post(`/api/cases/${caseId}/events`)
    .set(bearer('dev-bureau'))
    .send({ type: 'reopen-everything' });
  expect(unknown.status).toBe(400);
  const after = (await request(s.app).get(`/api/cases/${caseId}`).set(bearer('dev-bureau'))).body;
  expect(after).toEqual(before);
});

test('an event the stage does not allow answers 409 with the reason; an operator may not send events at all', async () => {
  const caseId = newId();
  await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send(registration(caseId, { type: 'oral-notice', receivedAt: daysAgo(1) }))
    .expect(201);
  const refused = await request(s.app)
    .post(`/api/cases/${caseId}/events`)
    .set(bearer('dev-bureau'))
    .send({ type: 'filing' });
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toMatch(/备案/);
  await request(s.app)
    .post(`/api/cases/${caseId}/events`)
    .set(bearer('dev-operator'))
    .send({ type: 'presuit-feedback', summary: 'x' })
    .expect(403);
  const ok = await request(s.app)
    .post(`/api/cases/${caseId}/events`)
    .set(bearer('dev-agency-natural-resources'))
    .send({ type: 'presuit-feedback', summary: '已与原告沟通' });
  expect(ok.status).toBe(200);
  expect(ok.body.duties.find((d: { id: string }) => d.id === 'presuit-feedback').status).toBe('done');
});

test('registering the same case twice answers 409, and an unknown agency 400', async () => {
  const caseId = newId();
  await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send(registration(caseId, { type: 'oral-notice', receivedAt: daysAgo(1) }))
    .expect(201);
  const again = await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send(registration(caseId, { type: 'oral-notice', receivedAt: daysAgo(1) }));
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('case_exists');
  const unknown = await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send(registration(newId(), { type: 'oral-notice', receivedAt: daysAgo(1) }, 'no-such-agency'));
  expect(unknown.status).toBe(400);
  const otherAgency = await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-agency-hrss'))
    .send(registration(newId(), { type: 'oral-notice', receivedAt: daysAgo(1) }));
  expect(otherAgency.status).toBe(403);
});

test('cases are listed from visibility, each caller seeing only what it may', async () => {
  const caseId = newId();
  await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send(registration(caseId, { type: 'response-notice', receivedAt: daysAgo(30) }, 'hrss'))
    .expect(201);
  const listed = await eventually(async () => {
    const res = await request(s.app).get('/api/cases?agencyId=hrss&overdue=true').set(bearer('dev-bureau'));
    return res.body.cases?.find((c: { caseId: string }) => c.caseId === caseId);
  });
  expect(listed).toMatchObject({
    agencyId: 'hrss',
    leaderId: 'vice-head-zhang',
    stage: 'in-suit',
    field: 'land-taking',
  });
  expect(listed.overdueCount).toBeGreaterThanOrEqual(1);
  const asOther = await request(s.app).get('/api/cases?agencyId=hrss').set(bearer('dev-agency-natural-resources'));
  expect(asOther.body.cases).toEqual([]);
  await request(s.app).get('/api/cases?stage=nowhere').set(bearer('dev-bureau')).expect(400);
});

test('the OpenAPI document is generated from the schemas and lists every event type', async () => {
  const doc = (await request(s.app).get('/api/openapi.json')).body;
  expect(doc.openapi).toMatch(/^3\.1/);
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining(['/api/cases', '/api/cases/{caseId}', '/api/cases/{caseId}/events']),
  );
  const text = JSON.stringify(doc);
  for (const type of caseEventTypes) expect(text).toContain(`"${type}"`);
  const page = await request(s.app).get('/api/docs');
  expect(page.status).toBe(200);
  expect(page.text).toContain('/api/docs/assets/swagger-ui-bundle.js');
  const init = await request(s.app).get('/api/docs/init.js');
  expect(init.text).toContain('/api/openapi.json');
  const bundle = await request(s.app).get('/api/docs/assets/swagger-ui-bundle.js');
  expect(bundle.status).toBe(200);
  expect(bundle.text.length).toBeGreaterThan(100_000);
});

test('requests without a valid token are refused', async () => {
  await request(s.app).get('/api/cases').expect(401);
  await request(s.app).get('/api/cases').set(bearer('not-a-token')).expect(401);
  await request(s.app).get('/api/cases').set(bearer('dev-agency-no-such-agency')).expect(401);
});

test('the to-do list shows each agency and leader the outstanding duties they may see, soonest first', async () => {
  const mine = newId();
  const theirs = newId();
  await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send(registration(mine, { type: 'response-notice', receivedAt: daysAgo(1) }))
    .expect(201);
  await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send(registration(theirs, { type: 'response-notice', receivedAt: daysAgo(1) }, 'hrss'))
    .expect(201);
  const list = async (token: string, query = '') =>
    (await request(s.app).get(`/api/duties${query}`).set(bearer(token)).expect(200)).body.duties as {
      caseId: string;
      dueAt: string;
      status: string;
    }[];
  const agencyView = await list('dev-agency-natural-resources');
  expect(agencyView.map((d) => d.caseId)).toContain(mine);
  expect(agencyView.map((d) => d.caseId)).not.toContain(theirs);
  expect(agencyView.every((d) => d.status === 'open' || d.status === 'overdue')).toBe(true);
  expect([...agencyView].sort((a, b) => a.dueAt.localeCompare(b.dueAt))).toEqual(agencyView);
  const leaderView = await list('dev-leader-vice-head-zhang');
  expect(leaderView.map((d) => d.caseId)).toContain(theirs);
  expect(leaderView.map((d) => d.caseId)).not.toContain(mine);
  expect(
    (await list('dev-bureau', '?owner=agency:hrss')).every(
      (d) => (d as unknown as { owner: string }).owner === 'agency:hrss',
    ),
  ).toBe(true);
  await request(s.app).get('/api/duties?owner=../../etc').set(bearer('dev-bureau')).expect(400);
});

test('a case tells each caller which events it may send now, from the rules the workflow checks', async () => {
  const caseId = newId();
  await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send(registration(caseId, { type: 'response-notice', receivedAt: daysAgo(1) }))
    .expect(201);
  const asAgency = await request(s.app).get(`/api/cases/${caseId}`).set(bearer('dev-agency-natural-resources'));
  expect(asAgency.body.allowedEvents).toEqual(
    expect.arrayContaining(['insuit-report', 'hearing-scheduled', 'judgment']),
  );
  expect(asAgency.body.allowedEvents).not.toContain('major-case');
  expect(asAgency.body.allowedEvents).not.toContain('presuit-feedback');
  const asBureau = await request(s.app).get(`/api/cases/${caseId}`).set(bearer('dev-bureau'));
  expect(asBureau.body.allowedEvents).toContain('major-case');
  const asOperator = await request(s.app).get(`/api/cases/${caseId}`).set(bearer('dev-operator'));
  expect(asOperator.body.allowedEvents).toEqual([]);
  const done = await request(s.app)
    .post(`/api/cases/${caseId}/events`)
    .set(bearer('dev-agency-natural-resources'))
    .send({ type: 'insuit-report' })
    .expect(200);
  expect(done.body.allowedEvents).not.toContain('insuit-report');
});
