// The floor's worker process: the same SDK, server and worker kind as yingsu's, running only the no-op workflow.
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { RegistryStore } from '../../src/registry';
import { createFloorActivities } from './activities';

async function main(): Promise<void> {
  Runtime.install({
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never,
    // As src/worker.ts: SIGUSR2 (the SDK's default adds it) is left to the memory benchmark's heap probe.
    shutdownSignals: ['SIGINT', 'SIGTERM'],
  });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const store = await RegistryStore.open(process.env.DATABASE_URL!);
  const worker = await Worker.create({
    connection,
    taskQueue: process.env.FLOOR_TASK_QUEUE!,
    workflowsPath: require.resolve('./workflows'),
    activities: createFloorActivities(store),
    // The memory benchmark holds N no-op workflows cached, whatever the SDK would derive from a capped heap.
    ...(process.env.FLOOR_MAX_CACHED_WORKFLOWS
      ? { maxCachedWorkflows: Number(process.env.FLOOR_MAX_CACHED_WORKFLOWS) }
      : {}),
  });
  process.stdout.write('floor worker ready\n');
  await worker.run();
  await store.close();
}
main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
