import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createDeadlineEngine } from '../../src/deadlines';
import { loadDirectory } from '../../src/directory';
import { createAuthenticator } from '../../src/http/auth';
import { createReportsRouter } from '../../src/http/routes/reports';
import type { RegistryStore } from '../../src/registry';
import { previousQuarter, quarterKey, quarterOf, quarterPeriod, type Quarter } from '../../src/reports/period';
import { ReportStore } from '../../src/reports/store';
import type { Breach } from '../../src/reports/thresholds';
import { createApp } from '../../src/server';
import { createWorker } from '../../src/worker';
import {
  letterStateQuery,
  OVERSIGHT_TASK_QUEUE,
  quarterlyReportWorkflowId,
  reminderLetterWorkflowId,
  type ReminderLetterInput,
} from '../../src/workflows/oversight/messages';
import { reminderLetterWorkflow } from '../../src/workflows/oversight/letter';
import { quarterlyReportWorkflow } from '../../src/workflows/oversight/quarterly';
import { workflowBundle } from '../cases/case-env';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { openTestRegistry, record, seed, silentLog, type CaseSpec } from './fixtures';

// The report here is for the quarter that just ended (it runs at once), and the letters are those of the quarter before
// it, started as its report would start them. The one step that skips time (past the letters' answer period) comes
// before any workflow with children closes: the test server stops skipping after that (see
// quarterly.time-skipping.test.ts).

const directory = loadDirectory();
const engine = createDeadlineEngine();
const DAY = 86_400_000;

let env: TestWorkflowEnvironment;
let store: RegistryStore;
let worker: Worker;
let running: Promise<void>;
let app: ReturnType<typeof createApp>;
/** The quarter the report is for (ended before the test server's clock), and the one whose letters it follows up. */
let now: { year: number; quarter: Quarter };
let prev: { year: number; quarter: Quarter };

const as = (token: string) => ({
  get: (path: string) => request(app).get(path).set('authorization', `Bearer ${token}`),
  post: (path: string, body: object = {}) => request(app).post(path).set('authorization', `Bearer ${token}`).send(body),
});
const prevLetter = (agencyId: string) => `${quarterKey(prev.year, prev.quarter)}-${agencyId}`;

function losses(prefix: string, agencyId: string, q: { year: number; quarter: Quarter }): CaseSpec[] {
  const from = Date.parse(quarterPeriod(q.year, q.quarter).from);
  return [1, 2].map((n) => ({
    id: `${prefix}-${n}`,
    agencyId,
    field: 'work-injury' as const,
    entered: 'in-suit' as const,
    registeredAt: new Date(from + n * DAY).toISOString(),
    judgment: {
      receivedAt: new Date(from + (10 + n) * DAY).toISOString(),
      outcome: n === 1 ? ('lost' as const) : ('partly-lost' as const),
    },
  }));
}

const lossBreach = {
  kind: 'loss-rate' as const,
  value: 1,
  threshold: 0.3,
  caseIds: ['OLD-1'],
  text: '败诉率100.0%（审结2件、败诉或部分败诉2件），高于30.0%',
};
const appearanceBreach = {
  kind: 'appearance-rate' as const,
  value: 0,
  threshold: 1,
  caseIds: ['OLD-2'],
  text: '负责人出庭应诉率0.0%（应出庭1次、出庭并发言0次），低于100.0%',
};

async function issueLetter(agencyId: string, issuedAt: string, breach: Breach = lossBreach): Promise<void> {
  const agency = directory.agencies.find((a) => a.id === agencyId)!;
  const input: ReminderLetterInput = {
    letterId: prevLetter(agencyId),
    year: prev.year,
    quarter: prev.quarter,
    agencyId,
    agencyName: agency.name,
    leaderId: agency.leaderId,
    issuedAt,
    breaches: [breach],
    letter: `# 工作提醒函\n\n${agency.name}：……`,
    deadline: engine.compute({ rule: 'reminder-letter-answer', from: issuedAt }),
    escalationEveryWorkingDays: 3,
  };
  await env.client.workflow.start(reminderLetterWorkflow, {
    workflowId: reminderLetterWorkflowId(input.letterId),
    taskQueue: OVERSIGHT_TASK_QUEUE,
    args: [input],
  });
  // The API reads the registry first: wait until the workflow has filed the letter.
  const reports = new ReportStore(store);
  for (let i = 0; i < 100 && !(await reports.getLetter(input.letterId)); i++)
    await new Promise((r) => setTimeout(r, 50));
}

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  store = await openTestRegistry();
  worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    deps: { directory, deadlines: engine, log: silentLog, store },
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
    routers: [createReportsRouter({ client: env.client, store, directory })],
  });
  const t = new Date(await env.currentTimeMs()).toISOString();
  const current = quarterOf(t);
  now = previousQuarter(current.year, current.quarter);
  prev = previousQuarter(now.year, now.quarter);
  // Both agencies keep losing this quarter: their rates stay over the threshold. Market regulation's head stays away
  // from court again: a letter again, but an appearance rate alone never leads to an interview.
  const from = Date.parse(quarterPeriod(now.year, now.quarter).from);
  await seed(store, [
    ...losses('NR', 'natural-resources', now),
    ...losses('HR', 'hrss', now),
    {
      id: 'MR-1',
      agencyId: 'market-regulation',
      field: 'market-regulation',
      entered: 'in-suit',
      registeredAt: new Date(from + DAY).toISOString(),
      hearings: [{ scheduledAt: new Date(from + 20 * DAY).toISOString(), record: record({ appeared: false }) }],
    },
  ]);
  await issueLetter('natural-resources', t);
  await issueLetter('hrss', t);
  await issueLetter('market-regulation', t, appearanceBreach);
}, 180_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await store?.close();
  await env?.teardown();
});

test('a letter left unanswered is reminded, then escalated to the leader and the bureau like any duty', async () => {
  const handle = env.client.workflow.getHandle(reminderLetterWorkflowId(prevLetter('natural-resources')));
  const before = await handle.query(letterStateQuery);
  expect(before).toMatchObject({ status: 'issued', duty: { status: 'open', ruleId: 'reminder-letter-answer' } });
  // Past the answer period (15 days, rolled forward off rest days) and one working day more.
  await env.sleep(Date.parse(before.duty.dueAt) - (await env.currentTimeMs()) + DAY);
  const after = await handle.query(letterStateQuery);
  expect(after.duty).toMatchObject({ status: 'overdue', escalations: 1 });
  const kinds = (await store.listNotices({ caseId: reminderLetterWorkflowId(prevLetter('natural-resources')) })).map(
    (n) => `${n.kind}:${n.recipient}`,
  );
  expect(kinds).toEqual(
    expect.arrayContaining([
      'work-reminder-letter:agency:natural-resources',
      'reminder:agency:natural-resources',
      'escalation:leader:vice-head-li',
      'escalation:bureau',
    ]),
  );
  expect(await new ReportStore(store).getLetter(prevLetter('natural-resources'))).toMatchObject({
    status: 'issued',
    escalations: 1,
    overdueSince: before.duty.dueAt,
  });

  // The other agency answers, late: it still counts as answered.
  const hr = await as('dev-agency-hrss').post(`/api/reports/letters/${prevLetter('hrss')}/answer`, {
    measures: '逐案剖析败诉原因，开展执法人员专题培训。',
  });
  expect(hr.status).toBe(200);
  expect(hr.body.duty).toMatchObject({ status: 'done', doneBy: 'agency:hrss' });
  expect(hr.body.duty.lateDays).toBeGreaterThanOrEqual(1);
  const answered = (await store.listNotices({ caseId: reminderLetterWorkflowId(prevLetter('hrss')) })).filter(
    (n) => n.kind === 'report',
  );
  expect(answered.map((n) => n.recipient).sort()).toEqual(['bureau', 'leader:vice-head-zhang']);
  expect(answered[0]!.body).toContain('逐案剖析败诉原因');
});

test('the next report proposes 约谈 for every agency whose loss rate stays high after its letter, answered or not, and never for an appearance rate alone', async () => {
  const handle = await env.client.workflow.start(quarterlyReportWorkflow, {
    workflowId: quarterlyReportWorkflowId(now.year, now.quarter),
    taskQueue: OVERSIGHT_TASK_QUEUE,
    args: [now],
  });
  const result = await handle.result();
  expect([...result.interviews].sort()).toEqual(['hrss', 'natural-resources']);
  expect([...result.letters].sort()).toEqual(
    ['hrss', 'market-regulation', 'natural-resources'].map((a) => `${quarterKey(now.year, now.quarter)}-${a}`),
  );

  const interview = (
    await store.listNotices({ caseId: reminderLetterWorkflowId(prevLetter('natural-resources')) })
  ).filter((n) => n.kind === 'interview');
  expect(interview.map((n) => n.recipient).sort()).toEqual([
    'agency:natural-resources',
    'bureau',
    'leader:vice-head-li',
    'principal-leader',
  ]);
  expect(interview[0]!.body).toContain('提请县政府主要领导约谈');
  expect(interview[0]!.body).not.toMatch(/natural-resources|agency:/);
  // HR answered its letter, but its loss rate stayed high: an answer that changed nothing is not rectification.
  expect(
    (await store.listNotices({ caseId: reminderLetterWorkflowId(prevLetter('hrss')) })).filter(
      (n) => n.kind === 'interview',
    ),
  ).toHaveLength(4);
  expect(
    (await store.listNotices({ caseId: reminderLetterWorkflowId(prevLetter('market-regulation')) })).filter(
      (n) => n.kind === 'interview',
    ),
  ).toEqual([]);

  const letters = new ReportStore(store);
  const key = quarterKey(now.year, now.quarter);
  expect(await letters.getLetter(prevLetter('natural-resources'))).toMatchObject({ interviewReport: key });
  expect(await letters.getLetter(prevLetter('hrss'))).toMatchObject({ status: 'answered', interviewReport: key });
  expect(await letters.getLetter(prevLetter('market-regulation'))).toMatchObject({ interviewReport: null });

  const md = await as('dev-bureau').get(`/api/reports/quarterly/${now.year}/${now.quarter}?format=markdown`);
  expect(md.text).toMatch(
    /县自然资源局收到\d{4}年第.季度《工作提醒函》（未签收、未反馈）后未有效落实.*提请县政府主要领导约谈/,
  );
  expect(md.text).toMatch(/县人力资源和社会保障局收到\d{4}年第.季度《工作提醒函》（已反馈整改措施）后未有效落实/);
  expect(md.text).not.toContain('县市场监督管理局收到《工作提醒函》');
});
