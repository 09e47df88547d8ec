import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import request from 'supertest';
import { createAuthenticator } from '../../src/http/auth';
import { createNoticesRouter } from '../../src/http/routes/notices';
import { createChannels } from '../../src/notifications/channels';
import { noticeKey } from '../../src/notifications/keys';
import { createApp } from '../../src/server';
import { NoticeService } from '../../src/services/notices';
import { escalation, useDrainerEnv } from './fixtures/drainer-env';

// POST /api/notices/:id/resend: a notice failed for good is reopened in the outbox on the bureau's word, and the
// worker's drainer delivers it. No Temporal call: the answer is the reopened row.
const log = pino({ level: 'silent' });
const env = useDrainerEnv();
let connection: Connection;

beforeAll(() => {
  connection = Connection.lazy({ address: process.env.TEMPORAL_TEST_ADDRESS ?? '127.0.0.1:7233' });
});
afterAll(async () => {
  await connection?.close();
});

test('the bureau resends a failed notice and the drainer delivers it; others are refused, a delivered one answers 409', async () => {
  const path = `/resend-${randomUUID()}`;
  env.receiver.behave(path, 'refuse');
  const w = await env.world(
    { leader: [env.hook(path)], bureauAlerts: [env.hook(`/alerts-${randomUUID()}`)] },
    { maximumAttempts: 2, initialInterval: '100 milliseconds' },
  );
  const app = createApp({
    client: new Client({ connection }),
    namespace: 'default',
    directory: w.directory,
    auth: createAuthenticator({ directory: w.directory, production: false }),
    log,
    routers: [
      createNoticesRouter({
        store: w.store,
        directory: w.directory,
        notices: new NoticeService(w.store, {
          directory: w.directory,
          channels: createChannels({ log }),
          log,
          now: () => w.clock.t,
        }),
      }),
    ],
  });
  const caseId = `c-${randomUUID()}`;
  const { rows } = await w.enqueue(escalation(caseId, { key: noticeKey(caseId, 'd1', 'escalation', 1) }));
  const drainer = w.drainer();
  await w.advance(drainer, 10_000);
  const id = rows[0]!.id;
  expect(await w.store.getNoticeRow(id)).toMatchObject({ status: 'failed', attempts: 2 });
  const post = (token: string, rowId = encodeURIComponent(id)) =>
    request(app).post(`/api/notices/${rowId}/resend`).set('authorization', `Bearer ${token}`);

  await post('dev-agency-natural-resources').expect(403);
  await post('dev-operator').expect(403);
  await post('dev-bureau', encodeURIComponent(`${rows[0]!.key}#nobody#webhook#0`)).expect(404);
  expect(await w.store.getNoticeRow(id)).toMatchObject({ status: 'failed' });

  env.receiver.behave(path, 'accept');
  const res = await post('dev-bureau').expect(202);
  expect(res.body).toEqual({ id, status: 'resending' });
  // Reopened and due now: the drainer's next look sends it.
  expect(await w.store.getNoticeRow(id)).toMatchObject({ status: 'pending', failedAt: null });
  expect(await drainer.drainDue()).toBe(1);
  expect(await w.store.getNoticeRow(id)).toMatchObject({ status: 'delivered', failedAt: null, attempts: 3 });

  const conflict = await post('dev-bureau').expect(409);
  expect(conflict.body.error.message).toBe('该通知已送达，无需重发');
});
