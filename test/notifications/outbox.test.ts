import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { createNotificationActivities } from '../../src/activities/notifications';
import { createChannels } from '../../src/notifications/channels';
import { noticeKey } from '../../src/notifications/keys';
import type { NoticeRequest } from '../../src/notifications/types';
import { RegistryStore } from '../../src/registry';
import { tempDir } from '../support/dev-server';
import { directoryWith } from './fixtures/directory';
import { startReceiver, type Receiver } from './fixtures/receiver';

const log = pino({ level: 'silent' });
let receiver: Receiver;
let store: RegistryStore;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  receiver = await startReceiver();
  dir = tempDir('outbox');
  store = await RegistryStore.open(`sqlite:${dir.path}/yingsu.db`);
});
afterAll(async () => {
  await store.close();
  await receiver.close();
  dir.remove();
});

const request = (caseId: string, over: Partial<NoticeRequest> = {}): NoticeRequest => ({
  key: noticeKey(caseId, 'd1', 'escalation', 1),
  caseId,
  dutyId: 'd1',
  kind: 'escalation',
  recipients: ['leader:vice-head-li', 'bureau'],
  facts: {
    caseTitle: '王某诉县自然资源局行政处罚案',
    agencyId: 'natural-resources',
    dutyTitle: '反馈协调化解情况',
    dueDate: '2026-03-09',
    daysLate: 1,
    escalationNumber: 1,
  },
  requestedAt: '2026-03-10T16:00:00.000Z',
  ...over,
});

function activities() {
  const directory = directoryWith({ leader: [{ channel: 'webhook', url: `${receiver.url}/leader-hook` }] });
  return createNotificationActivities({ directory, log, store, channels: createChannels({ log }) });
}

test('the same key enqueued twice leaves one set of rows: a webhook row for the leader and a log row for the bureau', async () => {
  const acts = activities();
  const req = request(`c-${randomUUID()}`);
  const first = await acts.enqueueNotice(req);
  const second = await acts.enqueueNotice({ ...req, recipients: [...req.recipients, 'court'] });
  expect(first.created).toBe(true);
  expect(second.created).toBe(false);
  expect(second.rows).toEqual(first.rows);
  expect(first.rows.map((r) => [r.recipient, r.channel, r.status])).toEqual([
    ['bureau', 'log', 'pending'],
    ['leader:vice-head-li', 'webhook', 'pending'],
  ]);
  expect(await store.noticeRowsByKey(req.key)).toHaveLength(2);
});

test('delivering a row twice sends it once: the second call finds it delivered and skips it', async () => {
  const acts = activities();
  const req = request(`c-${randomUUID()}`);
  const { rows } = await acts.enqueueNotice(req);
  const hook = rows.find((r) => r.channel === 'webhook')!;
  const before = receiver.hits.length;
  expect(await acts.deliverNotice(hook.id)).toMatchObject({ outcome: 'delivered' });
  expect(await acts.deliverNotice(hook.id)).toMatchObject({ outcome: 'already-delivered' });
  expect(receiver.hits.length - before).toBe(1);
  const row = await store.getNoticeRow(hook.id);
  expect(row).toMatchObject({ status: 'delivered', attempts: 1, target: `${receiver.url}/leader-hook` });
  expect(row?.channelAnswer).toMatch(/^HTTP 200/);
  expect(row?.deliveredAt).toEqual(expect.any(String));
  expect(await acts.pendingNoticeRows(req.key)).toEqual([
    expect.objectContaining({ recipient: 'bureau', channel: 'log' }),
  ]);
});

test('a refused attempt keeps the row pending with the error and the answer, and counts the attempt', async () => {
  receiver.behave('/refusing', 'refuse');
  const directory = directoryWith({ agency: [{ channel: 'webhook', url: `${receiver.url}/refusing` }] });
  const acts = createNotificationActivities({ directory, log, store, channels: createChannels({ log }) });
  const req = request(`c-${randomUUID()}`, { recipients: ['agency:natural-resources'] });
  const { rows } = await acts.enqueueNotice(req);
  await expect(acts.deliverNotice(rows[0]!.id)).rejects.toMatchObject({ type: 'ChannelError', nonRetryable: false });
  expect(await store.getNoticeRow(rows[0]!.id)).toMatchObject({
    status: 'pending',
    attempts: 1,
    lastError: 'webhook answered HTTP 503',
    channelAnswer: 'HTTP 503 busy',
  });
  expect(await acts.markNoticeFailed({ rowId: rows[0]!.id, error: 'gave up' })).toEqual({
    marked: true,
    reason: 'gave up；最后一次：webhook answered HTTP 503',
  });
  expect(await acts.deliverNotice(rows[0]!.id)).toMatchObject({ outcome: 'already-failed' });
});

test('a recipient missing from the directory gets a log row rather than nothing', async () => {
  const acts = activities();
  const { rows } = await acts.enqueueNotice(request(`c-${randomUUID()}`, { recipients: ['agency:no-such-agency'] }));
  expect(rows).toEqual([
    expect.objectContaining({
      recipient: 'agency:no-such-agency',
      channel: 'log',
      target: 'log (not in the directory)',
    }),
  ]);
});
