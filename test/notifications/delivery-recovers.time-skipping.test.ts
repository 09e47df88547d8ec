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
import { noticeWorkflowId, type DeliverNoticeResult } from '../../src/workflows/notifications/messages';
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

const hitsAt = (path: string) => receiver.hits.filter((h) => h.path === path).length;

test('a channel that refuses for an hour gets its notice delivered after it recovers, while the deadline fires on time', async () => {
  const path = `/flaky-${randomUUID()}`;
  receiver.behave(path, 'refuse');
  const { worker, taskQueue } = await workerWith({ leader: [hook(path)] });
  const req = escalation(`c-${randomUUID()}`);
  await worker.runUntil(async () => {
    const timing = await env.client.workflow.execute(noticeThenDeadline, { args: [req], taskQueue, workflowId: `case-${randomUUID()}` });
    // The send returned before the first delivery retry (30 s) could have happened — it never waited on the channel —
    // and the 10-minute deadline fired after 10 minutes, channel down or not. (Bounds in workflow time, not load-bound.)
    expect(timing.sendReturnedAt - timing.startedAt).toBeLessThan(30_000);
    expect(timing.deadlineFiredAt - timing.sendReturnedAt).toBeGreaterThanOrEqual(10 * 60_000);
    expect(timing.deadlineFiredAt - timing.sendReturnedAt).toBeLessThan(11 * 60_000);
    await env.sleep('1 hour');
    const refusedHits = hitsAt(path);
    expect(refusedHits).toBeGreaterThanOrEqual(5); // 30 s, 1, 2, 4, 8, 16 min… of backoff within the hour
    expect((await store.noticeRowsByKey(req.key))[0]).toMatchObject({ status: 'pending', lastError: 'webhook answered HTTP 503' });
    receiver.behave(path, 'accept');
    const result: DeliverNoticeResult = await env.client.workflow.getHandle(noticeWorkflowId(req.key)).result();
    expect(result.delivered).toHaveLength(1);
    expect(result.failed).toEqual([]);
    expect(hitsAt(path)).toBe(refusedHits + 1);
  });
  const [row] = await store.noticeRowsByKey(req.key);
  expect(row).toMatchObject({ status: 'delivered', attempts: hitsAt(path), channelAnswer: expect.stringMatching(/^HTTP 200/) });
  expect(receiver.keys.get(req.key)).toBe(hitsAt(path));
});
