import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { pino } from 'pino';
import request from 'supertest';
import { createNotificationActivities } from '../../src/activities/notifications';
import { createAuthenticator } from '../../src/http/auth';
import { createNoticesRouter } from '../../src/http/routes/notices';
import { createChannels } from '../../src/notifications/channels';
import { noticeKey } from '../../src/notifications/keys';
import { RegistryStore } from '../../src/registry';
import { createApp } from '../../src/server';
import { NoticeService } from '../../src/services/notices';
import { noticeWorkflowId, type DeliverNoticeResult } from '../../src/workflows/notifications/messages';
import { tempDir } from '../support/dev-server';
import { directoryWith } from './fixtures/directory';
import { startReceiver, type Receiver } from './fixtures/receiver';
import { deliverNoticeWorkflow } from './fixtures/workflows';

// POST /api/notices/:id/resend on the real dev server: a notice failed for good is delivered again on the bureau's word.
const log = pino({ level: 'silent' });
let receiver: Receiver;
let dir: ReturnType<typeof tempDir>;
let store: RegistryStore;
let nativeConnection: NativeConnection;
let connection: Connection;

beforeAll(async () => {
  receiver = await startReceiver();
  dir = tempDir('resend');
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

test('the bureau resends a failed notice and it is delivered; others are refused, a delivered one answers 409', async () => {
  const path = `/resend-${randomUUID()}`;
  receiver.behave(path, 'refuse');
  const taskQueue = `resend-${randomUUID()}`;
  const directory = directoryWith({
    leader: [{ channel: 'webhook', url: `${receiver.url}${path}` }],
    bureauAlerts: [{ channel: 'webhook', url: `${receiver.url}/alerts-${randomUUID()}` }],
  });
  const acts = createNotificationActivities({ directory, log, store, channels: createChannels({ log }) });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/workflows'),
    activities: acts,
  });
  const client = new Client({ connection });
  const app = createApp({
    client,
    namespace: 'default',
    directory,
    auth: createAuthenticator({ directory, production: false }),
    log,
    routers: [createNoticesRouter({ store, directory, notices: new NoticeService(client, store, taskQueue) })],
  });
  const caseId = `c-${randomUUID()}`;
  const req = {
    key: noticeKey(caseId, 'd1', 'escalation', 1),
    caseId,
    dutyId: 'd1',
    kind: 'escalation' as const,
    recipients: ['leader:vice-head-li' as const],
    facts: { caseTitle: '某案', agencyId: 'natural-resources' },
    requestedAt: '2026-03-10T00:00:00.000Z',
  };
  await worker.runUntil(async () => {
    const { rows } = await acts.enqueueNotice(req);
    const first: DeliverNoticeResult = await client.workflow.execute(deliverNoticeWorkflow, {
      taskQueue,
      workflowId: noticeWorkflowId(req.key),
      args: [{ key: req.key, policy: { maximumAttempts: 2, initialInterval: '100 milliseconds' } }],
    });
    expect(first.failed).toEqual([rows[0]!.id]);
    const id = encodeURIComponent(rows[0]!.id);
    const post = (token: string, rowId = id) =>
      request(app).post(`/api/notices/${rowId}/resend`).set('authorization', `Bearer ${token}`);

    await post('dev-agency-natural-resources').expect(403);
    await post('dev-operator').expect(403);
    await post('dev-bureau', encodeURIComponent(`${req.key}#nobody#webhook#0`)).expect(404);
    expect(await store.getNoticeRow(rows[0]!.id)).toMatchObject({ status: 'failed' });

    receiver.behave(path, 'accept');
    const res = await post('dev-bureau').expect(202);
    expect(res.body).toMatchObject({ id: rows[0]!.id, status: 'resending' });
    const again: DeliverNoticeResult = await client.workflow.getHandle(res.body.workflowId).result();
    expect(again.delivered).toEqual([rows[0]!.id]);
    expect(await store.getNoticeRow(rows[0]!.id)).toMatchObject({ status: 'delivered', failedAt: null });

    const conflict = await post('dev-bureau').expect(409);
    expect(conflict.body.error.message).toBe('该通知已送达，无需重发');
  });
});
