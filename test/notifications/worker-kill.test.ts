import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pino } from 'pino';
import { createNotificationActivities } from '../../src/activities/notifications';
import { createChannels } from '../../src/notifications/channels';
import { noticeKey } from '../../src/notifications/keys';
import { RegistryStore } from '../../src/registry';
import { tempDir } from '../support/dev-server';
import { directoryWith } from './fixtures/directory';
import { startReceiver, type Receiver } from './fixtures/receiver';

jest.setTimeout(180_000);
const log = pino({ level: 'silent' });
const CONCURRENCY = 32; // the drainer's default: at most this many sends in flight at the kill
let receiver: Receiver;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  receiver = await startReceiver();
  dir = tempDir('kill');
});
afterAll(async () => {
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

async function kill(worker: ChildProcess): Promise<void> {
  const exited = new Promise((r) => worker.once('exit', r));
  worker.kill('SIGKILL');
  await exited;
}

async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a worker SIGKILLed while it drains leaves nothing lost: every row delivered, each key processed once after dedupe, raw repeats only for the sends in flight', async () => {
  const path = `/kill-${randomUUID()}`;
  const hookUrl = `${receiver.url}${path}`;
  const db = `sqlite:${dir.path}/yingsu.db`;
  const store = await RegistryStore.open(db);
  const env = { KILL_TEST_DB: db, KILL_TEST_HOOK: hookUrl, KILL_TEST_LEASE_MS: '2000' };
  try {
    const acts = createNotificationActivities({
      directory: directoryWith({ leader: [{ channel: 'webhook', url: hookUrl }] }),
      log,
      store,
      channels: createChannels({ log }),
    });
    const caseId = `c-${randomUUID()}`;
    const count = 400;
    for (let n = 0; n < count; n++)
      await acts.enqueueNotice({
        key: noticeKey(caseId, `d${n}`, 'escalation', 1),
        caseId,
        kind: 'escalation',
        recipients: ['leader:vice-head-li'],
        facts: { caseTitle: '孙某诉县公安局治安处罚案' },
        requestedAt: '2026-03-10T00:00:00.000Z',
      });
    // The receiver answers after 20 ms: the kill lands with sends in flight.
    receiver.behave(path, 'slow');
    const hitsAt = () => receiver.hits.filter((h) => h.path === path);
    let worker = await startWorker(env);
    await until(() => hitsAt().length >= 100, 60_000);
    await kill(worker);
    const rows = await store.listNotices({ caseId, limit: 1000 });
    const deliveredBefore = rows.filter((r) => r.status === 'delivered').length;
    expect(deliveredBefore).toBeLessThan(count);
    // Sends the receiver saw without their proof reaching the outbox: the kill's crash window.
    const unproven = rows.filter((r) => r.status !== 'delivered' && receiver.keys.has(r.id)).length;

    // A new worker: the killed one's leases run out after 2 s, and its rows are taken over.
    worker = await startWorker(env);
    try {
      await until(
        async () => (await store.listNotices({ caseId, status: 'delivered', limit: 1000 })).length === count,
        60_000,
      );
    } finally {
      await kill(worker);
    }
    const rowIds = (await store.listNotices({ caseId, limit: 1000 })).map((r) => r.id);
    // The crash window resends under the same idempotency key: the receiver, deduping by it, processes every
    // recipient's copy exactly once — no key it does not know of (a key per attempt would be a duplicate), none missing.
    const processed = new Set(hitsAt().map((h) => h.headers['idempotency-key']));
    expect([...processed].sort()).toEqual([...rowIds].sort());
    const duplicates = hitsAt().length - count;
    expect(duplicates).toBeGreaterThanOrEqual(unproven);
    expect(duplicates).toBeLessThanOrEqual(CONCURRENCY);
    for (const [key, n] of receiver.keys) if (n > 1) expect(rowIds).toContain(key);
    // eslint-disable-next-line no-console
    console.log(`worker-kill: ${count} rows, ${deliveredBefore} proven before the kill, ${duplicates} resent after it`);
  } finally {
    await store.close();
  }
});
