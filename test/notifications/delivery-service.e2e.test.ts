import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Principal } from '../../src/access';
import { RegistryStore, type OutboxRow } from '../../src/registry';
import { CaseService } from '../../src/services/cases';
import { registrationSchema } from '../../src/workflows/case/schemas';
import { tempDir } from '../support/dev-server';
import {
  startDeliveryProcess,
  startWorkerProcess,
  until,
  webhookStack,
  type WorkerProcess,
} from '../resilience/support';
import { startReceiver, type Receiver } from './fixtures/receiver';

// Compose's topology: the worker only writes notices to the outbox (YINGSU_DELIVERY=separate) and the delivery
// service, src/delivery.ts in its own process, sends them (npm start keeps the worker's own drainer).
jest.setTimeout(180_000);

const bureau: Principal = { role: 'bureau' };
let receiver: Receiver;
let dir: ReturnType<typeof tempDir>;
let connection: Connection;
let store: RegistryStore | undefined;
let worker: WorkerProcess | undefined;
let delivery: WorkerProcess | undefined;

beforeAll(async () => {
  receiver = await startReceiver();
  dir = tempDir('delivery-service');
  connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
});
afterAll(async () => {
  await delivery?.kill();
  await worker?.kill();
  await store?.close();
  await connection?.close();
  await receiver?.close();
  dir?.remove();
});

test('with YINGSU_DELIVERY=separate the worker only writes notices, and the delivery service sends each once and stops cleanly', async () => {
  const stack = webhookStack(dir.path, receiver.url, 'delivery-service', process.env.TEMPORAL_TEST_ADDRESS!);
  const { directory, databaseUrl, taskQueue } = stack;
  const env = { ...stack.env, YINGSU_OUTBOX_POLL_MS: '200' };
  worker = await startWorkerProcess({ ...env, YINGSU_DELIVERY: 'separate' });
  store = await RegistryStore.open(databaseUrl);
  const cases = new CaseService(new Client({ connection, namespace: 'default' }), directory, {}, taskQueue);
  const caseId = `DS-${randomUUID().slice(0, 6)}`;
  await cases.register(
    registrationSchema.parse({
      caseId,
      title: '投递服务测试案',
      agencyId: 'natural-resources',
      field: 'other',
      plaintiff: '某丙',
      trigger: { type: 'entrustment-letter', receivedAt: new Date().toISOString() },
    }),
    bureau,
  );
  const rows = (): Promise<OutboxRow[]> => store!.listNotices({ caseId });
  const written = await rows();
  // The registration committed its notices (the agency's and the leaders') with the case.
  expect(written.length).toBeGreaterThanOrEqual(2);

  // The worker alone sends nothing, however long it is given (it polls nothing and nudges no one).
  await new Promise((r) => setTimeout(r, 2000));
  expect(receiver.hits).toHaveLength(0);
  expect((await rows()).map((r) => r.status)).toEqual(written.map(() => 'pending'));

  delivery = await startDeliveryProcess({ ...env, YINGSU_SERVICE: 'yingsu-delivery' });
  let output = '';
  delivery.child.stdout!.on('data', (c: Buffer) => (output += String(c)));
  const delivered = await until(
    async () => {
      const now = await rows();
      return now.every((r) => r.status === 'delivered') ? now : undefined;
    },
    30_000,
    'every notice of the case delivered',
  );
  // Each row reached its recipient's path once, with the row's own idempotency key.
  expect(receiver.hits).toHaveLength(delivered.length);
  expect([...receiver.keys.values()].every((n) => n === 1)).toBe(true);
  expect(receiver.keys.size).toBe(delivered.length);
  expect(output).toContain('"service":"yingsu-delivery"');
  expect(output).toContain('"msg":"notice delivered"');

  // SIGTERM: the service finishes what it holds, gives back the rest, and exits 0.
  await delivery.stop();
  expect(delivery.child.exitCode).toBe(0);
  expect(output).toContain('"msg":"delivery stopped"');
});
