import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { createNotificationActivities } from '../../src/activities/notifications';
import { createChannels } from '../../src/notifications/channels';
import { createDrainer } from '../../src/notifications/drainer';
import { noticeKey } from '../../src/notifications/keys';
import type { NoticeRequest } from '../../src/notifications/types';
import { RegistryStore } from '../../src/registry';
import { tempDir } from '../support/dev-server';
import { directoryWith } from './fixtures/directory';
import { startReceiver, type Receiver } from './fixtures/receiver';
import { noticeThenDeadline } from './fixtures/workflows';

// On the real dev server: sendNotice from a running workflow writes the outbox and returns; the worker process's
// drainer, nudged by the write, delivers while the caller waits on its timer.
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
  const directory = directoryWith({ leader: [{ channel: 'webhook', url: `${receiver.url}${path}` }] });
  const channels = createChannels({ log });
  const drainer = createDrainer({ store, directory, channels, log, pollMs: 60_000 });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/workflows'),
    activities: createNotificationActivities({ directory, log, store, channels, nudge: drainer.nudge }),
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
  drainer.start();
  try {
    await worker.runUntil(async () => {
      const timing = await client.workflow.execute(noticeThenDeadline, {
        args: [req, '3 seconds'],
        taskQueue,
        workflowId: `case-${randomUUID()}`,
      });
      expect(timing.deadlineFiredAt - timing.sendReturnedAt).toBeGreaterThanOrEqual(3000);
    });
  } finally {
    await drainer.stop();
  }
  // Delivered during the 3-second wait, on the nudge (the drainer's own poll is a minute away).
  const rows = await store.noticeRowsByKey(req.key);
  // The bureau has no contact in this directory: its copy is undeliverable, never "delivered" to a log line.
  expect(rows.map((r) => [r.recipient, r.channel, r.status, r.attempts])).toEqual([
    ['bureau', 'none', 'undeliverable', 0],
    ['leader:vice-head-li', 'webhook', 'delivered', 1],
  ]);
  expect(receiver.keys.get(rows[1]!.id)).toBe(1);
});

test('a failed delivery alerts the bureau on its alert route while the calling workflow keeps its deadline', async () => {
  const dead = `/dead-${randomUUID()}`;
  const alerts = `/alerts-${randomUUID()}`;
  receiver.behave(dead, 'refuse');
  const taskQueue = `send-notice-${randomUUID()}`;
  const directory = directoryWith({
    leader: [{ channel: 'webhook', url: `${receiver.url}${dead}` }],
    bureauAlerts: [{ channel: 'webhook', url: `${receiver.url}${alerts}` }],
  });
  const channels = createChannels({ log });
  const policy = { maximumAttempts: 2, initialInterval: '100 milliseconds' } as const;
  const drainer = createDrainer({ store, directory, channels, log, policy, pollMs: 50 });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/workflows'),
    activities: createNotificationActivities({ directory, log, store, channels, nudge: drainer.nudge }),
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
  drainer.start();
  try {
    await worker.runUntil(async () => {
      const timing = await client.workflow.execute(noticeThenDeadline, {
        args: [req, '4 seconds'],
        taskQueue,
        workflowId: `case-${randomUUID()}`,
      });
      expect(timing.deadlineFiredAt - timing.sendReturnedAt).toBeGreaterThanOrEqual(4000);
    });
  } finally {
    await drainer.stop();
  }
  expect((await store.noticeRowsByKey(req.key))[0]).toMatchObject({ status: 'failed', attempts: 2 });
  const [alertRow] = await store.noticeRowsByKey(`${req.key}/delivery-failed`);
  expect(alertRow).toMatchObject({ recipient: 'bureau', channel: 'webhook', status: 'delivered' });
  expect(receiver.hits.filter((h) => h.path === alerts)).toHaveLength(1);
});
