// One test per file: the Java time-skipping server stopped skipping time for a second test in the same
// environment after the first one's worker shut down (seen with test server 1.38.0), so each scenario gets its own.
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { pino } from 'pino';
import { createNotificationActivities } from '../../src/activities/notifications';
import type { Contact } from '../../src/directory';
import { createChannels } from '../../src/notifications/channels';
import { noticeKey, type NoticeRequest } from '../../src/notifications/types';
import { RegistryStore } from '../../src/registry';
import { deliveryFailedKey } from '../../src/workflows/notifications/messages';
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


test('a delivery-failed notice that cannot be delivered is marked failed without alerting about itself', async () => {
  const dead = `/dead-${randomUUID()}`;
  receiver.behave(dead, 'refuse');
  const { worker, taskQueue } = await workerWith({ leader: [hook(dead)], bureau: [hook(dead)] });
  const req = escalation(`c-${randomUUID()}`);
  await worker.runUntil(async () => {
    await env.client.workflow.execute(noticeThenDeadline, { args: [req, { maximumAttempts: 2, initialInterval: '1 second' }], taskQueue, workflowId: `case-${randomUUID()}` });
    // Polls the outbox rather than awaiting the delivery workflows (their retries here are a second apart).
    const deadline = Date.now() + 45_000;
    for (;;) {
      const [original] = await store.noticeRowsByKey(req.key);
      const alertRows = original ? await store.noticeRowsByKey(deliveryFailedKey(original.id)) : [];
      if (alertRows[0]?.status === 'failed') break;
      if (Date.now() > deadline) throw new Error('the delivery-failed notice was not marked failed in time');
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 1000));
  });
  const [alertRow] = await store.noticeRowsByKey(deliveryFailedKey((await store.noticeRowsByKey(req.key))[0]!.id));
  expect(alertRow).toMatchObject({ kind: 'delivery-failed', status: 'failed' });
  // No alert about the failed alert: no key below the delivery-failed one.
  expect(await store.noticeRowsByKey(deliveryFailedKey(alertRow!.id))).toEqual([]);
});
