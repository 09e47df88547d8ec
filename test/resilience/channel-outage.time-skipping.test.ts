// The case-level variant of test/notifications/delivery-recovers: the real case workflow, every party's channel
// refusing for 20 (skipped) hours across a due instant. What it adds: the case's own lapse fires at its due instant
// although every notice it sends is stuck, and every notice of the case arrives once the channels recover.
// 👉 The outage stays shorter than the delivery policy's 24 h total: a delivery failing for good starts a bureau
// alert grandchild, and the Java test server then stops skipping time.
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { CaseService } from '../../src/services/cases';
import { createDeadlineEngine } from '../../src/deadlines';
import type { Principal } from '../../src/access';
import { createChannels } from '../../src/notifications/channels';
import { RegistryStore } from '../../src/registry';
import { createWorker } from '../../src/worker';
import { registrationSchema } from '../../src/workflows/case/schemas';
import { silentLog, workflowBundle } from '../cases/case-env';
import { advance } from '../replay/scenarios';
import { tempDir } from '../support/dev-server';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { startReceiver, type Receiver } from '../notifications/fixtures/receiver';
import { writeWebhookDirectory } from './support';

jest.setTimeout(180_000);
const HOUR = 3600_000;
const bureau: Principal = { role: 'bureau' };

let env: TestWorkflowEnvironment;
let receiver: Receiver;
let store: RegistryStore;
let dir: ReturnType<typeof tempDir>;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  receiver = await startReceiver();
  dir = tempDir('outage');
  store = await RegistryStore.open(`sqlite:${dir.path}/yingsu.db`);
}, 120_000);
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await store?.close();
  await receiver?.close();
  dir?.remove();
});

test('with every channel down for 20 hours across a due instant, the duty lapses on time and every notice arrives after recovery', async () => {
  const directory = writeWebhookDirectory(join(dir.path, 'directory.json'), receiver.url);
  worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    deps: {
      directory,
      deadlines: createDeadlineEngine(),
      log: silentLog,
      store,
      channels: createChannels({ log: silentLog }),
    },
    workflowBundle: await workflowBundle(),
  });
  running = worker.run();
  const cases = new CaseService(env.client, directory);
  const caseId = `CO-${randomUUID().slice(0, 8)}`;
  const now = async (ms = 0) => new Date((await env.currentTimeMs()) + ms).toISOString();
  await cases.register(
    registrationSchema.parse({
      caseId,
      title: '渠道中断测试案',
      agencyId: 'natural-resources',
      field: 'land-taking',
      plaintiff: '某庚',
      trigger: { type: 'response-notice', receivedAt: await now() },
    }),
    bureau,
  );
  const duty = (await cases.get(caseId, bureau)).duties.find((d) => d.id === 'insuit-report')!;
  const dueMs = Date.parse(duty.dueAt);

  await advance(env, dueMs - 10 * HOUR - (await env.currentTimeMs()));
  const paths = ['/bureau', '/agency/natural-resources', '/leader/vice-head-li'];
  for (const p of paths) receiver.behave(p, 'refuse');
  const hitsBefore = receiver.hits.length;
  await env.sleep(20 * HOUR);

  // The lapse happened at the due instant, channels down or not.
  const lapsed = await cases.get(caseId, bureau);
  const d = lapsed.duties.find((x) => x.id === 'insuit-report')!;
  expect(d).toMatchObject({ status: 'overdue', escalations: 1, overdueSince: duty.dueAt });
  const entry = lapsed.timeline.find((t) => t.type === 'overdue')!;
  expect(Date.parse(entry.at) - dueMs).toBeGreaterThanOrEqual(0);
  expect(Date.parse(entry.at) - dueMs).toBeLessThan(60_000);
  const stuck = (await store.listNotices({ caseId })).filter((r) => r.kind === 'escalation');
  expect(stuck.length).toBe(3);
  for (const r of stuck) expect(r).toMatchObject({ status: 'pending', lastError: 'webhook answered HTTP 503' });
  const refused = receiver.hits.length - hitsBefore;
  expect(refused).toBeGreaterThanOrEqual(stuck.length * 5);

  for (const p of paths) receiver.behave(p, 'accept');
  await env.sleep(2 * HOUR);
  const rows = await store.listNotices({ caseId });
  expect(rows.every((r) => r.status === 'delivered')).toBe(true);
  for (const r of rows) expect(receiver.keys.get(r.key)).toBeGreaterThanOrEqual(1);
  // eslint-disable-next-line no-console
  console.log(
    `channel-outage: 20 h outage across the due instant; lapse at +${Math.round((Date.parse(entry.at) - dueMs) / 1000)} s; ${refused} refused attempts; ` +
      `${rows.length} notices of the case, all delivered after recovery (each escalation refused ${stuck.map((r) => r.attempts).join('/')} times before)`,
  );
});
