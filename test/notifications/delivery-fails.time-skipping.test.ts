// One scenario per file: with test server 1.38.0 a second scenario in the same environment sometimes stopped
// skipping time, so each delivery scenario gets its own environment.
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { pino } from 'pino';
import { createNotificationActivities } from '../../src/activities/notifications';
import type { Contact } from '../../src/directory';
import { createChannels } from '../../src/notifications/channels';
import { noticeKey, type NoticeRequest } from '../../src/notifications/types';
import { RegistryStore } from '../../src/registry';
import { deliveryFailedKey, noticeWorkflowId, type DeliverNoticeResult } from '../../src/workflows/notifications/messages';
import { tempDir } from '../support/dev-server';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { directoryWith } from './fixtures/directory';
import { startReceiver, type Receiver } from './fixtures/receiver';
import { noticeThenDeadline } from './fixtures/workflows';

const log = pino({ level: 'silent' });
let env: TestWorkflowEnvironment;
let receiver: Receiver;
let store: RegistryStore;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  receiver = await startReceiver();
  dir = tempDir('delivery');
  store = await RegistryStore.open(`sqlite:${dir.path}/yingsu.db`);
}, 120_000);
afterAll(async () => {
  await env?.teardown();
  await store?.close();
  await receiver?.close();
  dir?.remove();
});

const hook = (path: string): Contact => ({ channel: 'webhook', url: `${receiver.url}${path}` });

async function workerWith(contacts: Parameters<typeof directoryWith>[0]): Promise<{ worker: Worker; taskQueue: string }> {
  const taskQueue = `notices-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/workflows'),
    activities: createNotificationActivities({ directory: directoryWith(contacts), log, store, channels: createChannels({ log }) }),
  });
  return { worker, taskQueue };
}

const escalation = (caseId: string): NoticeRequest => ({
  key: noticeKey(caseId, 'd1', 'escalation', 1),
  caseId,
  dutyId: 'd1',
  kind: 'escalation',
  recipients: ['leader:vice-head-li'],
  facts: { caseTitle: '赵某诉县市场监管局行政处罚案', agencyId: 'natural-resources', dutyTitle: '报告分管县领导', daysLate: 1 },
  requestedAt: '2026-03-10T00:00:00.000Z',
});


test('a channel that never recovers ends with the row failed and a delivery-failed notice to the bureau', async () => {
  const dead = `/dead-${randomUUID()}`;
  const bureau = `/bureau-${randomUUID()}`;
  receiver.behave(dead, 'refuse');
  const { worker, taskQueue } = await workerWith({ leader: [hook(dead)], bureau: [hook(bureau)] });
  const req = escalation(`c-${randomUUID()}`);
  await worker.runUntil(async () => {
    await env.client.workflow.execute(noticeThenDeadline, { args: [req], taskQueue, workflowId: `case-${randomUUID()}` });
    const result: DeliverNoticeResult = await env.client.workflow.getHandle(noticeWorkflowId(req.key)).result();
    expect(result.failed).toHaveLength(1);
    expect(result.alerts).toEqual([deliveryFailedKey(result.failed[0]!)]);
    const alert: DeliverNoticeResult = await env.client.workflow.getHandle(noticeWorkflowId(result.alerts[0]!)).result();
    expect(alert.delivered).toHaveLength(1);
  });
  const [row] = await store.noticeRowsByKey(req.key);
  expect(row).toMatchObject({ status: 'failed', failedAt: expect.any(String), lastError: expect.stringContaining('webhook answered HTTP 503') });
  expect(row!.attempts).toBeGreaterThan(20); // a day of backoff capped at one hour
  const [alertRow] = await store.noticeRowsByKey(deliveryFailedKey(row!.id));
  expect(alertRow).toMatchObject({ kind: 'delivery-failed', recipient: 'bureau', status: 'delivered' });
  const alertHit = receiver.hits.find((h) => h.path === bureau)!;
  expect(alertHit.json).toMatchObject({ kind: 'delivery-failed', subject: expect.stringContaining('【通知投递失败】') });
  expect((alertHit.json as { body: string }).body).toContain(req.key);
});
