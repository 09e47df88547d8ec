// Drains N queued notices to a local webhook receiver through the real delivery path (deliverNoticeWorkflow →
// deliverNotice → outbox → HTTP) on a Temporal dev server, and prints notices/s and the worker's memory.
//   npx tsx bench/notices.bench.ts [--count 10000] [--address 127.0.0.1:7233]
// Without --address (or TEMPORAL_ADDRESS) it starts its own dev server from the toolchain cache.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { createNotificationActivities } from '../src/activities/notifications';
import { createChannels } from '../src/notifications/channels';
import { RegistryStore } from '../src/registry';
import { noticeWorkflowId } from '../src/workflows/notifications/messages';
import { startDevServer, tempDir } from '../test/support/dev-server';
import { directoryWith } from '../test/notifications/fixtures/directory';
import { deliverNoticeWorkflow } from '../test/notifications/fixtures/workflows';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { count: { type: 'string', default: '10000' }, address: { type: 'string' }, db: { type: 'string' } },
  });
  const count = Number(values.count);
  const address = values.address ?? process.env.TEMPORAL_ADDRESS;
  const server = address ? undefined : await startDevServer({ headless: true });
  const dir = tempDir('bench');
  const log = pino({ level: 'silent' });
  let received = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(200).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const store = await RegistryStore.open(values.db ?? `sqlite:${dir.path}/bench.db`);
  const acts = createNotificationActivities({
    directory: directoryWith({ leader: [{ channel: 'webhook', url: hook }] }),
    log,
    store,
    channels: createChannels({ log }),
  });
  const taskQueue = `bench-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address: address ?? server!.address });
  const connection = await Connection.connect({ address: address ?? server!.address });
  const client = new Client({ connection });
  const caseId = `bench-${randomUUID()}`;
  console.log(`enqueueing ${count} notices…`);
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = `${caseId}/d${i}/reminder/1`;
    keys.push(key);
    await acts.enqueueNotice({
      key,
      caseId,
      kind: 'reminder',
      recipients: ['leader:vice-head-li'],
      facts: { caseTitle: '基准测试案' },
      requestedAt: new Date().toISOString(),
    });
  }
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../test/notifications/fixtures/workflows'),
    activities: acts,
    maxConcurrentActivityTaskExecutions: 200,
    maxConcurrentWorkflowTaskExecutions: 100,
    maxCachedWorkflows: 2000,
  });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const run = worker.run();
  const started = Date.now();
  for (let i = 0; i < keys.length; i += 200) {
    await Promise.all(
      keys.slice(i, i + 200).map((key) =>
        client.workflow.start(deliverNoticeWorkflow, {
          taskQueue,
          workflowId: noticeWorkflowId(key),
          args: [{ key }],
        }),
      ),
    );
  }
  const startedAll = Date.now();
  let lastReport = Date.now();
  for (;;) {
    const delivered = await store.db
      .selectFrom('notices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('case_id', '=', caseId)
      .where('status', '=', 'delivered')
      .executeTakeFirstOrThrow();
    if (Number(delivered.n) >= count) break;
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      console.log(`${delivered.n}/${count} delivered after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  console.log(
    JSON.stringify({
      notices: count,
      seconds: Number(seconds.toFixed(1)),
      noticesPerSecond: Number((count / seconds).toFixed(1)),
      startWorkflowsSeconds: Number(((startedAll - started) / 1000).toFixed(1)),
      receiverHits: received,
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      rssNowMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      note: 'worker, client and receiver share this process; SQLite registry',
    }),
  );
  worker.shutdown();
  await run;
  await store.close();
  await connection.close();
  await nativeConnection.close();
  receiver.close();
  await server?.stop();
  dir.remove();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
