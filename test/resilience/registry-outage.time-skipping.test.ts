// The registry (PostgreSQL) goes down across a due instant: the case's timer fires on time regardless, its pool's
// 'error' is survived (no listener would crash this very process), and the escalation is written and delivered once
// the database is back.
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { CaseService } from '../../src/services/cases';
import { createDeadlineEngine } from '../../src/deadlines';
import type { Principal } from '../../src/access';
import { createChannels } from '../../src/notifications/channels';
import { createDrainer, type Drainer } from '../../src/notifications/drainer';
import { RegistryStore } from '../../src/registry';
import { createWorker } from '../../src/worker';
import { registrationSchema } from '../../src/workflows/case/schemas';
import { silentLog, workflowBundle } from '../cases/case-env';
import { advance } from '../replay/scenarios';
import { tempDir } from '../support/dev-server';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { startReceiver, type Receiver } from '../notifications/fixtures/receiver';
import { writeWebhookDirectory } from './support';

jest.setTimeout(240_000);
const HOUR = 3600_000;
const bureau: Principal = { role: 'bureau' };

let env: TestWorkflowEnvironment;
let pg: TestPostgres;
let receiver: Receiver;
let store: RegistryStore;
let dir: ReturnType<typeof tempDir>;
let worker: Worker;
let running: Promise<void>;
let drainer: Drainer | undefined;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  pg = await startTestPostgres();
  receiver = await startReceiver();
  dir = tempDir('registry-outage');
  store = await RegistryStore.open(pg.url);
}, 120_000);
afterAll(async () => {
  worker?.shutdown();
  await running;
  await drainer?.stop();
  await env?.teardown();
  await store?.close();
  await receiver?.close();
  await pg?.stop();
  dir?.remove();
});

test('with the registry down across a due instant, the duty lapses on time and escalates once the registry is back', async () => {
  const directory = writeWebhookDirectory(join(dir.path, 'directory.json'), receiver.url);
  const channels = createChannels({ log: silentLog });
  // The worker process's delivery loop, on the real clock: it keeps looking while the registry is down.
  drainer = createDrainer({ store, directory, channels, log: silentLog, pollMs: 100 });
  worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    deps: {
      directory,
      deadlines: createDeadlineEngine(),
      log: silentLog,
      store,
      channels,
      nudgeOutbox: drainer.nudge,
    },
    workflowBundle: await workflowBundle(),
  });
  running = worker.run();
  drainer.start();
  const cases = new CaseService(env.client, directory);
  const caseId = `RO-${randomUUID().slice(0, 8)}`;
  const now = async (ms = 0) => new Date((await env.currentTimeMs()) + ms).toISOString();
  await cases.register(
    registrationSchema.parse({
      caseId,
      title: '登记簿中断测试案',
      agencyId: 'natural-resources',
      field: 'land-taking',
      plaintiff: '某辛',
      trigger: { type: 'response-notice', receivedAt: await now() },
    }),
    bureau,
  );
  const duty = (await cases.get(caseId, bureau)).duties.find((d) => d.id === 'insuit-report')!;
  const dueMs = Date.parse(duty.dueAt);
  await advance(env, dueMs - 2 * HOUR - (await env.currentTimeMs()));
  expect((await store.listNotices({ caseId })).filter((r) => r.kind === 'escalation')).toEqual([]);

  pg.down();
  await env.sleep(6 * HOUR);
  // The lapse happened at its due instant in the workflow, database or not.
  const lapsed = (await cases.get(caseId, bureau)).duties.find((d) => d.id === 'insuit-report')!;
  expect(lapsed).toMatchObject({ status: 'overdue', overdueSince: duty.dueAt });
  // A lapse at 24:00 escalates on the next working morning; the registry is still down then.
  const escalateAt = Date.parse(lapsed.nextEscalationAt!);
  await env.sleep(Math.max(escalateAt - (await env.currentTimeMs()), 0) + HOUR);
  const escalationHits = () =>
    receiver.hits.filter((h) => (h.json as { kind?: string } | undefined)?.kind === 'escalation').length;
  expect(escalationHits()).toBe(0);

  pg.up();
  // Once the registry is back, the escalation is written and delivered to its three recipients, once each.
  await env.sleep(HOUR);
  const deadline = Date.now() + 60_000;
  let rows = await store.listNotices({ caseId }).catch(() => []);
  while (
    Date.now() < deadline &&
    !(rows.filter((r) => r.kind === 'escalation').length === 3 && rows.every((r) => r.status === 'delivered'))
  ) {
    await env.sleep('10 minutes');
    rows = await store.listNotices({ caseId }).catch(() => []);
  }
  const escalations = rows.filter((r) => r.kind === 'escalation');
  expect(escalations.map((r) => r.recipient).sort()).toEqual([
    'agency:natural-resources',
    'bureau',
    'leader:vice-head-li',
  ]);
  expect(escalations.every((r) => r.status === 'delivered')).toBe(true);
  for (const r of escalations) expect(receiver.keys.get(r.id)).toBe(1);
  expect(escalationHits()).toBe(3);
  // The registry's copy of the case caught up too.
  const record = await store.getCaseRecord(caseId);
  expect(record?.duties.find((d) => d.id === 'insuit-report')).toMatchObject({ status: 'overdue' });
});
