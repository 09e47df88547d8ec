// `npm start` keeps its dev server's state in SQLite (data/temporal.db): a case must survive a restart of the server.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { devServerSettings, startDevServer, tempDir, type DevServer } from '../support/dev-server';
import { waitDays } from './fixtures/workflows';

const dir = tempDir('persistence');
const servers: DevServer[] = [];
const connections: { close(): Promise<void> }[] = [];

afterAll(async () => {
  await Promise.allSettled(connections.map((c) => c.close()));
  await Promise.allSettled(servers.map((s) => s.stop()));
  dir.remove();
});

async function clientOf(server: DevServer): Promise<Client> {
  const connection = await Connection.connect({ address: server.address });
  connections.push(connection);
  return new Client({ connection });
}

test('a waiting workflow is still running after the dev server restarts on the same SQLite file', async () => {
  const dbFile = join(dir.path, 'temporal.db');
  const first = await startDevServer({ dbFile, headless: true });
  servers.push(first);
  // The tests' dev server is npm start's: the same settings (scripts/dev-server.json), on its command line.
  const args = readFileSync(`/proc/${first.child.pid}/cmdline`, 'utf8').split('\0');
  for (const setting of devServerSettings()) expect(args[args.indexOf(setting) - 1]).toBe('--dynamic-config-value');
  const taskQueue = `platform-persistence-${randomUUID()}`;
  const workflowId = `persist-${randomUUID()}`;

  const client = await clientOf(first);
  const nativeConnection = await NativeConnection.connect({ address: first.address });
  connections.push(nativeConnection);
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/workflows'),
  });
  const handle = await client.workflow.start(waitDays, { args: [365], taskQueue, workflowId });
  // Run the worker until the year-long timer is recorded: the state to survive is a workflow mid-wait.
  await worker.runUntil(async () => {
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      const history = await handle.fetchHistory();
      if (history.events?.some((e) => e.timerStartedEventAttributes)) return;
    }
    throw new Error('the workflow never started its timer');
  });
  await first.stop();

  // Same file, same port: what `npm start` does after Ctrl-C.
  const second = await startDevServer({ dbFile, port: first.port, headless: true });
  servers.push(second);
  const again = (await clientOf(second)).workflow.getHandle(workflowId);
  const description = await again.describe();
  expect(description.status.name).toBe('RUNNING');
  expect(description.taskQueue).toBe(taskQueue);
  const history = await again.fetchHistory();
  expect(history.events?.some((e) => e.timerStartedEventAttributes?.startToFireTimeout)).toBe(true);
  await again.terminate('test finished');
}, 120_000);
