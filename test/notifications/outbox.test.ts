import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { createNotificationActivities } from '../../src/activities/notifications';
import { createChannels } from '../../src/notifications/channels';
import { createDrainer } from '../../src/notifications/drainer';
import { reopenNotice } from '../../src/notifications/outbox';
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

test('the same key enqueued twice leaves one set of rows: a webhook row for the leader, an undeliverable row for the bureau', async () => {
  const acts = activities();
  const req = request(`c-${randomUUID()}`);
  const first = await acts.enqueueNotice(req);
  const second = await acts.enqueueNotice({ ...req, recipients: [...req.recipients, 'court'] });
  expect(first.created).toBe(true);
  expect(second.created).toBe(false);
  expect(second.rows).toEqual(first.rows);
  expect(first.rows.map((r) => [r.recipient, r.channel, r.status])).toEqual([
    ['bureau', 'none', 'undeliverable'],
    ['leader:vice-head-li', 'webhook', 'pending'],
  ]);
  expect(await store.noticeRowsByKey(req.key)).toHaveLength(2);
});

/** A drainer over this file's outbox, at the real clock, for the rows of one test. */
const drain = (directory: ReturnType<typeof directoryWith>) =>
  createDrainer({ store, directory, channels: createChannels({ log }), log }).drainDue();

test('draining twice sends a row once: the second pass finds it delivered and leaves it', async () => {
  const acts = activities();
  const req = request(`c-${randomUUID()}`);
  const { rows } = await acts.enqueueNotice(req);
  const hook = rows.find((r) => r.channel === 'webhook')!;
  const directory = directoryWith({ leader: [{ channel: 'webhook', url: `${receiver.url}/leader-hook` }] });
  await drain(directory);
  await drain(directory);
  // (Rows of earlier tests in this outbox go out too: counted by this row's key.)
  expect(receiver.keys.get(hook.id)).toBe(1);
  const row = await store.getNoticeRow(hook.id);
  expect(row).toMatchObject({ status: 'delivered', attempts: 1, target: `${receiver.url}/leader-hook` });
  expect(row?.channelAnswer).toMatch(/^HTTP 200/);
  expect(row?.deliveredAt).toEqual(expect.any(String));
});

test('a refused attempt keeps the row pending with the error and the answer, and counts the attempt', async () => {
  receiver.behave('/refusing', 'refuse');
  const directory = directoryWith({ agency: [{ channel: 'webhook', url: `${receiver.url}/refusing` }] });
  const acts = createNotificationActivities({ directory, log, store, channels: createChannels({ log }) });
  const req = request(`c-${randomUUID()}`, { recipients: ['agency:natural-resources'] });
  const { rows } = await acts.enqueueNotice(req);
  await drain(directory);
  expect(await store.getNoticeRow(rows[0]!.id)).toMatchObject({
    status: 'pending',
    attempts: 1,
    lastError: 'webhook answered HTTP 503',
    channelAnswer: 'HTTP 503 busy',
  });
});

test('a recipient missing from the directory gets an undeliverable row saying so, never a delivered one', async () => {
  const acts = activities();
  const { rows } = await acts.enqueueNotice(request(`c-${randomUUID()}`, { recipients: ['agency:no-such-agency'] }));
  expect(rows).toEqual([
    expect.objectContaining({
      recipient: 'agency:no-such-agency',
      channel: 'none',
      status: 'undeliverable',
      lastError: expect.stringContaining('not in the directory'),
    }),
  ]);
  expect(await store.getNoticeRow(rows[0]!.id)).toMatchObject({ status: 'undeliverable', attempts: 0 });
});

test('an email contact while SMTP is unset is no usable channel: the row is undeliverable, not logged as delivered', async () => {
  const directory = directoryWith({ agency: [{ channel: 'email', address: 'nr@wuping.example' }] });
  const acts = createNotificationActivities({ directory, log, store, channels: createChannels({ log }) });
  const { rows } = await acts.enqueueNotice(request(`c-${randomUUID()}`, { recipients: ['agency:natural-resources'] }));
  expect(rows).toEqual([
    expect.objectContaining({
      channel: 'none',
      status: 'undeliverable',
      lastError: expect.stringContaining('email is not configured'),
    }),
  ]);
});

test('a resend goes to the contact as the directory has it now: the row is retargeted and due at once', async () => {
  const before = directoryWith({ agency: [{ channel: 'webhook', url: `${receiver.url}/old-hook` }] });
  const after = directoryWith({ agency: [{ channel: 'webhook', url: `${receiver.url}/new-hook` }] });
  const req = request(`c-${randomUUID()}`, { recipients: ['agency:natural-resources'] });
  const { rows } = await createNotificationActivities({
    directory: before,
    log,
    store,
    channels: createChannels({ log }),
  }).enqueueNotice(req);
  const hits = receiver.hits.length;
  // The directory changed after the row was written: the drainer refuses to redirect it silently.
  await drain(after);
  expect(receiver.hits.length).toBe(hits);
  expect(await store.getNoticeRow(rows[0]!.id)).toMatchObject({ status: 'undeliverable', attempts: 0 });
  // The bureau's explicit resend goes to the address the directory has now.
  const deps = { store, directory: after, channels: createChannels({ log }), log };
  expect(await reopenNotice(deps, rows[0]!.id)).toEqual([
    expect.objectContaining({ id: rows[0]!.id, status: 'pending', target: `${receiver.url}/new-hook` }),
  ]);
  await drain(after);
  expect(await store.getNoticeRow(rows[0]!.id)).toMatchObject({ status: 'delivered' });
  expect(receiver.hits.at(-1)!.path).toBe('/new-hook');
});

test('a resend of a recipient that had no usable contact writes rows for the contacts it has gained', async () => {
  const none = directoryWith({ agency: [{ channel: 'email', address: 'nr@wuping.example' }] });
  const gained = directoryWith({ agency: [{ channel: 'webhook', url: `${receiver.url}/gained` }] });
  const req = request(`c-${randomUUID()}`, { recipients: ['agency:natural-resources'] });
  const { rows } = await createNotificationActivities({
    directory: none,
    log,
    store,
    channels: createChannels({ log }),
  }).enqueueNotice(req);
  expect(rows[0]).toMatchObject({ channel: 'none', status: 'undeliverable' });
  const deps = { store, directory: gained, channels: createChannels({ log }), log };
  const added = await reopenNotice(deps, rows[0]!.id);
  expect(added).toEqual([expect.objectContaining({ channel: 'webhook', status: 'pending' })]);
  await drain(gained);
  expect(await store.getNoticeRow(added[0]!.id)).toMatchObject({ status: 'delivered' });
});

test('the copies of one notice to two recipients through one gateway carry distinct idempotency keys', async () => {
  const gateway = { channel: 'webhook' as const, url: `${receiver.url}/gateway` };
  const directory = directoryWith({ agency: [gateway], leader: [gateway], bureau: [gateway] });
  const acts = createNotificationActivities({ directory, log, store, channels: createChannels({ log }) });
  const req = request(`c-${randomUUID()}`, {
    recipients: ['agency:natural-resources', 'leader:vice-head-li', 'bureau'],
  });
  await acts.enqueueNotice(req);
  const before = receiver.hits.length;
  await drain(directory);
  const keys = receiver.hits.slice(before).map((h) => h.headers['idempotency-key']);
  expect(keys).toHaveLength(3);
  expect(new Set(keys).size).toBe(3);
});
