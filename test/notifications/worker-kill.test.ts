import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import { createNotificationActivities } from '../../src/activities/notifications';
import { createChannels } from '../../src/notifications/channels';
import { noticeKey } from '../../src/notifications/keys';
import { RegistryStore } from '../../src/registry';
import { noticeWorkflowId, type DeliverNoticeResult } from '../../src/workflows/notifications/messages';
import { tempDir } from '../support/dev-server';
import { directoryWith } from './fixtures/directory';
import { startReceiver, type Receiver } from './fixtures/receiver';
import { deliverNoticeWorkflow } from './fixtures/workflows';

jest.setTimeout(180_000);
const log = pino({ level: 'silent' });
let receiver: Receiver;
let dir: ReturnType<typeof tempDir>;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  receiver = await startReceiver();
  dir = tempDir('kill');
  connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
  client = new Client({ connection });
});
afterAll(async () => {
  await connection?.close();
  await receiver?.close();
  dir?.remove();
});

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  // `node --import tsx`, not the tsx launcher: the launcher runs the script in a child process that would survive
  // a SIGKILL sent to the launcher, and keep delivering.
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures/worker-process.ts')], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c) => {
      if (String(c).includes('worker-ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a worker SIGKILLed after the receiver got the notice but before the outbox update resends it with the same key, and the receiver keeps it once', async () => {
  const path = `/kill-${randomUUID()}`;
  const hookUrl = `${receiver.url}${path}`;
  const db = `sqlite:${dir.path}/yingsu.db`;
  const store = await RegistryStore.open(db);
  const taskQueue = `kill-${randomUUID()}`;
  const env = { KILL_TEST_DB: db, KILL_TEST_QUEUE: taskQueue, KILL_TEST_HOOK: hookUrl };
  try {
    const acts = createNotificationActivities({
      directory: directoryWith({ leader: [{ channel: 'webhook', url: hookUrl }] }),
      log,
      store,
      channels: createChannels({ log }),
    });
    const caseId = `c-${randomUUID()}`;
    const keys = [1, 2, 3].map((n) => noticeKey(caseId, `d${n}`, 'escalation', 1));
    for (const key of keys) {
      await acts.enqueueNotice({
        key,
        caseId,
        kind: 'escalation',
        recipients: ['leader:vice-head-li'],
        facts: { caseTitle: '孙某诉县公安局治安处罚案' },
        requestedAt: '2026-03-10T00:00:00.000Z',
      });
    }
    // The receiver takes each notice in but never answers: the worker is killed while waiting for the answer.
    receiver.behave(path, 'hold');
    let worker = await startWorker(env);
    const handles = await Promise.all(
      keys.map((key) =>
        client.workflow.start(deliverNoticeWorkflow, {
          taskQueue,
          workflowId: noticeWorkflowId(key),
          args: [{ key, policy: { attemptTimeout: '5 seconds', initialInterval: '1 second' } }],
        }),
      ),
    );
    await until(() => receiver.hits.filter((h) => h.path === path).length >= keys.length, 60_000);
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGKILL');
    await exited;
    for (const key of keys)
      expect((await store.noticeRowsByKey(key))[0]).toMatchObject({ status: 'sending', attempts: 1 });

    receiver.behave(path, 'accept');
    worker = await startWorker(env);
    try {
      const results: DeliverNoticeResult[] = await Promise.all(handles.map((h) => h.result()));
      expect(results.every((r) => r.delivered.length === 1 && r.failed.length === 0)).toBe(true);
    } finally {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.kill('SIGKILL');
      await exited;
    }
    const raw = receiver.hits.filter((h) => h.path === path).length;
    const unique = keys.filter((k) => receiver.keys.has(k)).length;
    // eslint-disable-next-line no-console
    console.log(`worker-kill: ${raw} raw hits at the receiver, ${unique} unique notices by Idempotency-Key`);
    expect(unique).toBe(keys.length);
    expect(raw).toBe(2 * keys.length); // one send before the kill, one retry after: the crash window, deduped by key
    for (const key of keys) {
      expect(receiver.keys.get(key)).toBe(2);
      expect((await store.noticeRowsByKey(key))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    }
  } finally {
    await store.close();
  }
});
