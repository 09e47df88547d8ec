import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createDeadlineEngine } from '../../src/deadlines';
import { loadDirectory } from '../../src/directory';
import { createAuthenticator } from '../../src/http/auth';
import { createReportsRouter } from '../../src/http/routes/reports';
import type { RegistryStore } from '../../src/registry';
import { quarterKey, quarterOf, quarterPeriod, shanghaiDateOf, type Quarter } from '../../src/reports/period';
import { createApp } from '../../src/server';
import { createWorker } from '../../src/worker';
import {
  OVERSIGHT_TASK_QUEUE,
  quarterlyReportWorkflowId,
  reminderLetterWorkflowId,
} from '../../src/workflows/oversight/messages';
import { quarterlyReportWorkflow } from '../../src/workflows/oversight/quarterly';
import { workflowBundle } from '../cases/case-env';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { openTestRegistry, seed, silentLog, type CaseSpec } from './fixtures';

const directory = loadDirectory();
const engine = createDeadlineEngine();
const DAY = 86_400_000;

let env: TestWorkflowEnvironment;
let store: RegistryStore;
let worker: Worker;
let running: Promise<void>;
let app: ReturnType<typeof createApp>;
let clock = Date.now();
let q0: { year: number; quarter: Quarter };

// 👉 The Java test server stops skipping time for good once a parent closes while a child it abandoned is still
// running (temporalio/sdk-typescript#1101). The report abandons its letters, so in this file the one step that skips
// time comes first; what follows the report runs without skipping, and the next quarter lives in
// interview.time-skipping.test.ts.

/** Two lost judgments in a quarter for an agency: a loss rate of 100%, over the 30% threshold. */
function losses(prefix: string, agencyId: string, q: { year: number; quarter: Quarter }): CaseSpec[] {
  const from = Date.parse(quarterPeriod(q.year, q.quarter).from);
  const at = (days: number) => new Date(from + days * DAY).toISOString();
  return [1, 2].map((n) => ({
    id: `${prefix}-${quarterKey(q.year, q.quarter)}-${n}`,
    agencyId,
    field: 'land-taking' as const,
    entered: 'in-suit' as const,
    registeredAt: at(2 + n),
    judgment: { receivedAt: at(20 + n), outcome: 'lost' as const },
  }));
}

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  store = await openTestRegistry();
  worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    deps: { directory, deadlines: engine, log: silentLog, store, reports: { escalationEveryWorkingDays: 20 } },
    workflowBundle: await workflowBundle(),
  });
  running = worker.run();
  const auth = createAuthenticator({ directory, production: false });
  app = createApp({
    client: env.client,
    namespace: 'default',
    directory,
    auth,
    log: silentLog,
    routers: [createReportsRouter({ client: env.client, store, directory, now: () => new Date(clock) })],
  });
  q0 = quarterOf(new Date(await env.currentTimeMs()).toISOString());
  await seed(store, [...losses('NR', 'natural-resources', q0), ...losses('HR', 'hrss', q0)]);
}, 180_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await store?.close();
  await env?.teardown();
});

const as = (token: string) => ({
  get: (path: string) => request(app).get(path).set('authorization', `Bearer ${token}`),
  post: (path: string, body: object = {}) => request(app).post(path).set('authorization', `Bearer ${token}`).send(body),
});
const bureau = as('dev-bureau');
const nr = as('dev-agency-natural-resources');
const hr = as('dev-agency-hrss');
const tick = async () => {
  clock = await env.currentTimeMs();
};
const letterOf = (q: { year: number; quarter: number }, agencyId: string) =>
  `${quarterKey(q.year, q.quarter)}-${agencyId}`;

async function runQuarter(q: { year: number; quarter: Quarter }) {
  const handle = await env.client.workflow.start(quarterlyReportWorkflow, {
    workflowId: quarterlyReportWorkflowId(q.year, q.quarter),
    taskQueue: OVERSIGHT_TASK_QUEUE,
    args: [q],
  });
  return handle.result();
}

test('the report waits for the first working day after the quarter, then stores itself and issues letters', async () => {
  await tick();
  // The bureau cannot run a quarter that is not over.
  const early = await bureau.post(`/api/reports/quarterly/${q0.year}/${q0.quarter}/run`);
  expect(early.status).toBe(409);
  expect(early.body.error.code).toBe('quarter_not_over');

  const result = await runQuarter(q0);
  // 09:00 Shanghai of the first working day after the quarter's end.
  const runDay = shanghaiDateOf(result.generatedAt);
  expect(Date.parse(result.generatedAt)).toBeGreaterThanOrEqual(Date.parse(quarterPeriod(q0.year, q0.quarter).to));
  expect(engine.isWorkingDay(runDay).working).toBe(true);
  for (
    let d = Date.parse(`${shanghaiDateOf(quarterPeriod(q0.year, q0.quarter).to)}T00:00:00Z`);
    d < Date.parse(`${runDay}T00:00:00Z`);
    d += DAY
  ) {
    expect(engine.isWorkingDay(new Date(d).toISOString().slice(0, 10)).working).toBe(false);
  }
  expect(new Date(Date.parse(result.generatedAt) + 8 * 3600_000).getUTCHours()).toBe(9);
  expect(result.letters).toEqual([letterOf(q0, 'natural-resources'), letterOf(q0, 'hrss')]);
  expect(result.lettersStarted).toEqual(result.letters);
  expect(result.interviews).toEqual([]);

  const json = await nr.get(`/api/reports/quarterly/${q0.year}/${q0.quarter}`);
  expect(json.status).toBe(200);
  expect(json.body.generation).toBe(1);
  expect(json.body.figures.indicators.agencies['natural-resources'].lossRate.rate).toBe(1);
  const md = await bureau.get(`/api/reports/quarterly/${q0.year}/${q0.quarter}?format=markdown`);
  expect(md.type).toBe('text/markdown');
  expect(md.text).toContain('向县自然资源局发出《工作提醒函》：');
  const html = await bureau.get(`/api/reports/quarterly/${q0.year}/${q0.quarter}?format=html`);
  expect(html.type).toBe('text/html');
  expect(html.text).toContain('<h1>示例县');

  const sent = await store.noticeRowsByKey(`${result.reportId}/-/quarterly-report/1`);
  expect(sent.map((r) => r.recipient).sort()).toEqual(
    [
      'bureau',
      ...directory.leaders.map((l) => `leader:${l.id}`),
      ...directory.agencies.map((a) => `agency:${a.id}`),
    ].sort(),
  );
  const letterNotice = await store.listNotices({ caseId: reminderLetterWorkflowId(letterOf(q0, 'natural-resources')) });
  expect(letterNotice.map((n) => n.kind)).toContain('work-reminder-letter');
  expect(letterNotice.find((n) => n.kind === 'work-reminder-letter')!.body).toContain('败诉率100.0%');
});

test('only the letter’s agency acknowledges and answers it, once, with its measures', async () => {
  const id = letterOf(q0, 'hrss');
  expect((await nr.post(`/api/reports/letters/${id}/acknowledge`)).status).toBe(404);
  expect((await nr.get(`/api/reports/letters/${id}`)).status).toBe(404);
  expect((await bureau.post(`/api/reports/letters/${id}/acknowledge`)).status).toBe(403);
  const empty = await hr.post(`/api/reports/letters/${id}/answer`, { measures: '  ' });
  expect(empty.status).toBe(400);
  expect(empty.body.error.issues[0].path).toEqual(['measures']);
  expect((await hr.get(`/api/reports/letters/${id}`)).body.status).toBe('issued');

  const ack = await hr.post(`/api/reports/letters/${id}/acknowledge`, { note: '已收到' });
  expect(ack.status).toBe(200);
  expect(ack.body.status).toBe('acknowledged');
  expect((await hr.post(`/api/reports/letters/${id}/acknowledge`)).status).toBe(409);

  const answer = await hr.post(`/api/reports/letters/${id}/answer`, {
    measures: '建立行政执法全过程记录制度，重大决定法制审核全覆盖。',
  });
  expect(answer.status).toBe(200);
  expect(answer.body.status).toBe('answered');
  expect(answer.body.duty.status).toBe('done');
  expect((await hr.post(`/api/reports/letters/${id}/answer`, { measures: '再次反馈' })).status).toBe(409);
  const stored = await hr.get(`/api/reports/letters/${id}`);
  expect(stored.body).toMatchObject({ status: 'answered', answeredBy: 'agency:hrss', acknowledgedBy: 'agency:hrss' });
});

test('a rerun regenerates the stored report without sending anything twice', async () => {
  await tick();
  const before = await store.noticeRowsByKey(`${quarterlyReportWorkflowId(q0.year, q0.quarter)}/-/quarterly-report/1`);
  expect((await nr.post(`/api/reports/quarterly/${q0.year}/${q0.quarter}/run`)).status).toBe(403);
  const res = await bureau.post(`/api/reports/quarterly/${q0.year}/${q0.quarter}/run`);
  expect(res.status).toBe(202);
  expect(res.body).toMatchObject({ workflowId: quarterlyReportWorkflowId(q0.year, q0.quarter), status: 'started' });
  const rerun = await env.client.workflow.getHandle(res.body.workflowId, res.body.runId).result();
  expect(rerun.generation).toBe(2);
  expect(rerun.lettersStarted).toEqual([]);
  expect((await bureau.get(`/api/reports/quarterly/${q0.year}/${q0.quarter}`)).body.generation).toBe(2);
  expect(
    await store.noticeRowsByKey(`${quarterlyReportWorkflowId(q0.year, q0.quarter)}/-/quarterly-report/1`),
  ).toHaveLength(before.length);
});

test('indicators are shown to each role as far as it may see', async () => {
  const { from, to } = quarterPeriod(q0.year, q0.quarter);
  const qs = `from=${shanghaiDateOf(from)}&to=${shanghaiDateOf(to)}`;
  const all = await bureau.get(`/api/reports/indicators?${qs}`);
  expect(all.status).toBe(200);
  expect(all.body.county.lossRate).toMatchObject({ rate: 1, numerator: { count: 4 } });
  expect(Object.keys(all.body.agencies)).toEqual(directory.agencies.map((a) => a.id));
  const own = await nr.get(`/api/reports/indicators?${qs}`);
  expect(own.body.county).toBeUndefined();
  expect(Object.keys(own.body.agencies)).toEqual(['natural-resources']);
  expect(own.body.agencies['natural-resources'].lossRate.numerator.caseIds).toEqual([
    `NR-${quarterKey(q0.year, q0.quarter)}-1`,
    `NR-${quarterKey(q0.year, q0.quarter)}-2`,
  ]);
  expect((await nr.get(`/api/reports/indicators?${qs}&agencyId=hrss`)).status).toBe(404);
  const leader = await as('dev-leader-vice-head-li').get(`/api/reports/indicators?${qs}`);
  expect(Object.keys(leader.body.agencies).sort()).toEqual(['housing', 'natural-resources']);
  const doc = await request(app).get('/api/openapi.json');
  expect(Object.keys(doc.body.paths).filter((p) => p.startsWith('/api/reports/'))).toHaveLength(6);
  const bad = await bureau.get(`/api/reports/indicators?from=${shanghaiDateOf(to)}&to=${shanghaiDateOf(from)}`);
  expect(bad.status).toBe(400);
  expect(bad.body.error.issues.map((i: { path: string[] }) => i.path.join('.'))).toEqual(['to']);
});
