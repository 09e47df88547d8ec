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
import { deliverNoticeWorkflow } from './fixtures/workflows';

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

async function workerWith(contacts: Parameters<typeof directoryWith>[0]) {
  const taskQueue = `notices-${randomUUID()}`;
  const acts = createNotificationActivities({ directory: directoryWith(contacts), log, store, channels: createChannels({ log }) });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/workflows'),
    activities: acts,
  });
  return { worker, taskQueue, acts };
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


test('a delivery-failed notice that cannot be delivered is marked failed without alerting about itself', async () => {
  const dead = `/dead-${randomUUID()}`;
  receiver.behave(dead, 'refuse');
  const { worker, taskQueue, acts } = await workerWith({ leader: [hook(dead)], bureau: [hook(dead)] });
  const req = escalation(`c-${randomUUID()}`);
  await worker.runUntil(async () => {
    // Enqueued and started directly, as sendNotice does: a parent that is still running when its notice's
    // delivery completes stops the Java time-skipping server from skipping its timers (the real server is fine:
    // see send-notice.e2e.test.ts), so this scenario has no case-like parent.
    await acts.enqueueNotice(req);
    const policy = { initialInterval: '1 second', maximumInterval: '1 minute', totalTimeout: '2 hours' } as const;
    const result: DeliverNoticeResult = await env.client.workflow.execute(deliverNoticeWorkflow, {
      args: [{ key: req.key, policy }],
      taskQueue,
      workflowId: noticeWorkflowId(req.key),
    });
    expect(result.failed).toHaveLength(1);
    expect(result.alerts).toEqual([deliveryFailedKey(result.failed[0]!)]);
    const alert: DeliverNoticeResult = await env.client.workflow.getHandle(noticeWorkflowId(result.alerts[0]!)).result();
    expect(alert.failed).toHaveLength(1);
    expect(alert.alerts).toEqual([]);
  });
  const [alertRow] = await store.noticeRowsByKey(deliveryFailedKey((await store.noticeRowsByKey(req.key))[0]!.id));
  expect(alertRow).toMatchObject({ kind: 'delivery-failed', status: 'failed' });
  // No alert about the failed alert: no key below the delivery-failed one.
  expect(await store.noticeRowsByKey(deliveryFailedKey(alertRow!.id))).toEqual([]);
});
