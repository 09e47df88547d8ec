import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createDeadlineEngine } from '../../src/deadlines';
import { loadDirectory } from '../../src/directory';
import type { RegistryStore } from '../../src/registry';
import { previousQuarter, quarterOf, shanghaiDateOf } from '../../src/reports/period';
import { ReportStore } from '../../src/reports/store';
import { ensureQuarterlySchedule } from '../../src/schedules';
import { createWorker } from '../../src/worker';
import {
  quarterlyReportWorkflowId,
  type QuarterlyReportResult,
  type ScheduleTriggerResult,
} from '../../src/workflows/oversight/messages';
import { workflowBundle } from '../cases/case-env';
import { openTestRegistry, silentLog } from './fixtures';

// The real dev server: the time-skipping test server has no schedules.
let connection: Connection;
let client: Client;
let store: RegistryStore;
const scheduleId = `quarterly-report-test-${randomUUID().slice(0, 8)}`;
const taskQueue = `oversight-test-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
  client = new Client({ connection });
  store = await openTestRegistry();
});
afterAll(async () => {
  await client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await connection?.close();
  await store?.close();
});

test('the quarterly schedule is created once, at 00:05 Shanghai on the first day of each quarter, with a catch-up window', async () => {
  expect(await ensureQuarterlySchedule(client, { scheduleId, taskQueue })).toBe('created');
  expect(await ensureQuarterlySchedule(client, { scheduleId, taskQueue })).toBe('unchanged');

  const d = await client.schedule.getHandle(scheduleId).describe();
  expect(d.spec.timezone).toBe('Asia/Shanghai');
  expect(d.spec.calendars).toHaveLength(1);
  expect(d.spec.calendars![0]).toMatchObject({
    month: [
      { start: 'JANUARY', end: 'JANUARY', step: 1 },
      { start: 'APRIL', end: 'APRIL', step: 1 },
      { start: 'JULY', end: 'JULY', step: 1 },
      { start: 'OCTOBER', end: 'OCTOBER', step: 1 },
    ],
    dayOfMonth: [{ start: 1, end: 1, step: 1 }],
    hour: [{ start: 0, end: 0, step: 1 }],
    minute: [{ start: 5, end: 5, step: 1 }],
  });
  expect(d.action).toMatchObject({
    type: 'startWorkflow',
    workflowType: 'quarterlyReportScheduleWorkflow',
    workflowId: 'quarterly-report-schedule',
    taskQueue,
  });
  expect(d.policies.catchupWindow).toBe(30 * 86_400_000);
  for (const at of d.info.nextActionTimes) {
    const local = new Date(at.getTime() + 8 * 3600_000).toISOString();
    expect([1, 4, 7, 10]).toContain(Number(local.slice(5, 7)));
    expect(local.slice(8, 16)).toBe('01T00:05');
  }
});

test('a deployment that changes the schedule updates it in place, keeping an operator’s pause', async () => {
  const handle = client.schedule.getHandle(scheduleId);
  await handle.pause('维护中');
  expect(await ensureQuarterlySchedule(client, { scheduleId, taskQueue, catchupWindow: '20 days' })).toBe('updated');
  const d = await handle.describe();
  expect(d.policies.catchupWindow).toBe(20 * 86_400_000);
  expect(d.state.paused).toBe(true);
  expect(await ensureQuarterlySchedule(client, { scheduleId, taskQueue, catchupWindow: '20 days' })).toBe('unchanged');
  await handle.unpause();
});

test('a firing starts the report of the quarter that just ended, under its derived id, once', async () => {
  const native = await NativeConnection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
  const worker: Worker = await createWorker({
    connection: native,
    namespace: 'default',
    taskQueue,
    deps: { directory: loadDirectory(), deadlines: createDeadlineEngine(), log: silentLog, store },
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  try {
    const q = quarterOf(new Date().toISOString());
    const ended = previousQuarter(q.year, q.quarter);
    const reportId = quarterlyReportWorkflowId(ended.year, ended.quarter);
    await client.schedule.getHandle(scheduleId).trigger();
    let result: QuarterlyReportResult | undefined;
    for (let i = 0; i < 200 && !result; i++) {
      try {
        result = await client.workflow.getHandle(reportId).result();
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(result).toMatchObject({ reportId, year: ended.year, quarter: ended.quarter, generation: 1 });
    const stored = await new ReportStore(store).getReport(ended.year, ended.quarter);
    expect(stored?.markdown).toContain(`${ended.year}年第`);
    expect(shanghaiDateOf(stored!.generatedAt)).toBe(shanghaiDateOf(new Date().toISOString()));
    // A second firing finds the report and leaves it alone.
    await client.schedule.getHandle(scheduleId).trigger();
    let second: ScheduleTriggerResult | undefined;
    for (let i = 0; i < 100 && !second; i++) {
      const actions = (await client.schedule.getHandle(scheduleId).describe()).info.recentActions;
      if (actions.length >= 2)
        second = await client.workflow.getHandle(actions[actions.length - 1]!.action.workflow.workflowId).result();
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(second).toEqual({ year: ended.year, quarter: ended.quarter, workflowId: reportId, started: false });
  } finally {
    worker.shutdown();
    await running;
    await native.close();
  }
});
