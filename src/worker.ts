import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { loadConfig, workerSettings, type WorkerSettings } from './config';
import { logger } from './log';
import { connectClient, connectWorker, TASK_QUEUE, temporalTlsFrom } from './temporal/connection';
import { publicKeysFromConfig } from './temporal/actor-signing';
import { bundleWorkflowsInChild } from './temporal/workflow-bundle';
import { codecFromConfig, dataConverterFor } from './temporal/codec';
import { sdkLogger } from './temporal/logging';
import { ensureSearchAttributes } from './temporal/search-attributes';
import { ensureQuarterlySchedule } from './schedules';
import { createRuntimeDeps, outboxDrainer } from './runtime-deps';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  deps: ActivityDeps;
  taskQueue?: string;
  /** A pre-built bundle (tests bundle once per file); otherwise the workflows are bundled from source in a child. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Sticky cache size; YINGSU_WORKER_MAX_CACHED_WORKFLOWS (or its default) when unset. */
  maxCachedWorkflows?: number;
  /** Capacity settings; the YINGSU_WORKER_* environment variables (src/config.ts) fill what is not given. */
  settings?: Partial<WorkerSettings>;
  /** The payload codec every client of the deployment shares (src/temporal/codec.ts). */
  dataConverter?: DataConverter;
  /** Ed25519 public keys (hex) bundled into the workflow code: commands must carry a claim one of them verifies. */
  actorPublicKeys?: string[];
}

/** The worker that runs every case workflow and its activities on the `yingsu-cases` task queue. */
export async function createWorker(opts: CreateWorkerOptions): Promise<Worker> {
  const settings = { ...workerSettings(), ...opts.settings };
  // 👉 Bundled in a child process: webpack's memory leaves with it instead of staying in the worker's RSS.
  const workflowBundle =
    opts.workflowBundle ??
    (await bundleWorkflowsInChild(opts.actorPublicKeys ? { actorPublicKeys: opts.actorPublicKeys } : {}));
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowBundle,
    activities: createActivities(opts.deps),
    maxCachedWorkflows: opts.maxCachedWorkflows ?? settings.maxCachedWorkflows,
    stickyQueueScheduleToStartTimeout: settings.stickyQueueScheduleToStartTimeout,
    maxConcurrentWorkflowTaskExecutions: settings.maxConcurrentWorkflowTaskExecutions,
    maxConcurrentLocalActivityExecutions: settings.maxConcurrentLocalActivityExecutions,
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  // The SDK's own metrics (task latencies, slots, polls), scraped at http://<host>:WORKER_METRICS_PORT/metrics.
  Runtime.install({
    logger: sdkLogger(logger, config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'INFO'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `0.0.0.0:${config.WORKER_METRICS_PORT}` } } },
    // SIGINT/SIGTERM make the runtime shut the worker down gracefully: in-flight tasks finish, then run() resolves.
    shutdownSignals: ['SIGINT', 'SIGTERM'],
  });
  const dataConverter = dataConverterFor(codecFromConfig(config, logger));
  const actorPublicKeys = publicKeysFromConfig(config);
  if (!actorPublicKeys) {
    if (config.YINGSU_ENV === 'production')
      throw new Error('YINGSU_ACTOR_PUBLIC_KEYS is required in production: commands must carry the API-signed actor');
    logger.warn({}, 'no actor public keys: workflows take each command at its word (development only)');
  } else logger.info({ keys: actorPublicKeys.length }, 'actor claims: workflows accept API-signed commands only');
  const tls = temporalTlsFrom(config);
  const client = await connectClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_CONNECT_TIMEOUT_MS, tls);
  await ensureSearchAttributes(client, config.TEMPORAL_NAMESPACE);
  // The quarterly report's schedule: created, or left alone when unchanged; an operator's pause is kept.
  await ensureQuarterlySchedule(
    new Client({ connection: client, namespace: config.TEMPORAL_NAMESPACE, dataConverter }),
    {
      taskQueue: config.YINGSU_TASK_QUEUE,
    },
  );
  await client.close();
  const connection = await connectWorker(config.TEMPORAL_ADDRESS, config.TEMPORAL_CONNECT_TIMEOUT_MS, tls);
  const deps = await createRuntimeDeps(config, logger);
  // The outbox's notices are sent here unless the delivery service does it (YINGSU_DELIVERY=separate, src/delivery.ts).
  const drainer = config.YINGSU_DELIVERY === 'worker' ? outboxDrainer(config, deps) : undefined;
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    deps: { ...deps, ...(drainer ? { nudgeOutbox: drainer.nudge } : {}) },
    taskQueue: config.YINGSU_TASK_QUEUE,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    dataConverter,
    ...(actorPublicKeys ? { actorPublicKeys } : {}),
  });
  logger.info(
    {
      taskQueue: config.YINGSU_TASK_QUEUE,
      address: config.TEMPORAL_ADDRESS,
      metricsPort: config.WORKER_METRICS_PORT,
      delivery: config.YINGSU_DELIVERY,
    },
    'worker started',
  );
  drainer?.start();
  try {
    await worker.run();
  } finally {
    // Sends in flight finish and their proof is written; rows claimed but not started are given back.
    await drainer?.stop();
    await deps.close();
    await connection.close();
    logger.info('worker stopped');
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    logger.fatal({ err: { name: err.name, message: err.message } }, err.message);
    process.exit(1);
  });
}
