import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { createNotificationActivities } from '../../src/activities/notifications';
import { createChannels } from '../../src/notifications/channels';
import { noticeKey } from '../../src/notifications/keys';
import type { NoticeRequest } from '../../src/notifications/types';
import { RegistryStore } from '../../src/registry';
import { noticeWorkflowId, type DeliverNoticeResult } from '../../src/workflows/notifications/messages';
import { tempDir } from '../support/dev-server';
import { directoryWith } from './fixtures/directory';
import { startReceiver, type Receiver } from './fixtures/receiver';
import { noticeThenDeadline } from './fixtures/workflows';

// On the real dev server: sendNotice from a running workflow, the delivery child finishing while the caller waits.
const log = pino({ level: 'silent' });
let receiver: Receiver;
let dir: ReturnType<typeof tempDir>;
let store: RegistryStore;
let nativeConnection: NativeConnection;
let connection: Connection;

beforeAll(async () => {
  receiver = await startReceiver();
  dir = tempDir('send-notice');
  store = await RegistryStore.open(`sqlite:${dir.path}/yingsu.db`);
  nativeConnection = await NativeConnection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
  connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
});
afterAll(async () => {
  await connection?.close();
  await nativeConnection?.close();
  await store?.close();
  await receiver?.close();
  dir?.remove();
});

test('a workflow sends a notice through sendNotice, its deadline fires while the notice is delivered once, and a repeated send is a no-op', async () => {
  const path = `/e2e-${randomUUID()}`;
  const taskQueue = `send-notice-${randomUUID()}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/workflows'),
    activities: createNotificationActivities({
      directory: directoryWith({ leader: [{ channel: 'webhook', url: `${receiver.url}${path}` }] }),
      log,
      store,
      channels: createChannels({ log }),
    }),
  });
  const client = new Client({ connection });
  const caseId = `c-${randomUUID()}`;
  const req: NoticeRequest = {
    key: noticeKey(caseId, 'd1', 'reminder', 1),
    caseId,
    dutyId: 'd1',
    kind: 'reminder',
    recipients: ['leader:vice-head-li', 'bureau'],
    facts: {
      caseTitle: '钱某诉县住建局行政许可案',
      agencyId: 'housing',
      dutyTitle: '报告分管县领导',
      dueDate: '2026-03-12',
    },
    requestedAt: '2026-03-10T00:00:00.000Z',
  };
  await worker.runUntil(async () => {
    const timing = await client.workflow.execute(noticeThenDeadline, {
      args: [req, undefined, '3 seconds'],
      taskQueue,
      workflowId: `case-${randomUUID()}`,
    });
    expect(timing.deadlineFiredAt - timing.sendReturnedAt).toBeGreaterThanOrEqual(3000);
    const result: DeliverNoticeResult = await client.workflow.getHandle(noticeWorkflowId(req.key)).result();
    expect(result.delivered).toHaveLength(2);
  });
  expect(receiver.keys.get(req.key)).toBe(1);
  const rows = await store.noticeRowsByKey(req.key);
  expect(rows.map((r) => [r.recipient, r.channel, r.status, r.attempts])).toEqual([
    ['bureau', 'log', 'delivered', 1],
    ['leader:vice-head-li', 'webhook', 'delivered', 1],
  ]);
});

test('a failed delivery alerts the bureau through a grandchild while the calling workflow keeps its deadline', async () => {
  // The Java time-skipping server stops skipping the caller's timers in exactly this shape (an abandoned grandchild
  // started by a child that then completes); the real server must not.
  const dead = `/dead-${randomUUID()}`;
  receiver.behave(dead, 'refuse');
  const taskQueue = `send-notice-${randomUUID()}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/workflows'),
    activities: createNotificationActivities({
      directory: directoryWith({ leader: [{ channel: 'webhook', url: `${receiver.url}${dead}` }] }),
      log,
      store,
      channels: createChannels({ log }),
    }),
  });
  const client = new Client({ connection });
  const caseId = `c-${randomUUID()}`;
  const req: NoticeRequest = {
    key: noticeKey(caseId, 'd1', 'escalation', 1),
    caseId,
    dutyId: 'd1',
    kind: 'escalation',
    recipients: ['leader:vice-head-li'],
    facts: { caseTitle: '周某诉县公安局行政处罚案', agencyId: 'public-security' },
    requestedAt: '2026-03-10T00:00:00.000Z',
  };
  await worker.runUntil(async () => {
    const timing = await client.workflow.execute(noticeThenDeadline, {
      args: [req, { maximumAttempts: 2, initialInterval: '100 milliseconds' }, '4 seconds'],
      taskQueue,
      workflowId: `case-${randomUUID()}`,
    });
    expect(timing.deadlineFiredAt - timing.sendReturnedAt).toBeGreaterThanOrEqual(4000);
    const result: DeliverNoticeResult = await client.workflow.getHandle(noticeWorkflowId(req.key)).result();
    expect(result.failed).toHaveLength(1);
    const alert: DeliverNoticeResult = await client.workflow.getHandle(noticeWorkflowId(result.alerts[0]!)).result();
    expect(alert.delivered).toHaveLength(1);
  });
  const [alertRow] = await store.noticeRowsByKey(`${(await store.noticeRowsByKey(req.key))[0]!.id}/delivery-failed`);
  expect(alertRow).toMatchObject({ recipient: 'bureau', channel: 'log', status: 'delivered' });
});
