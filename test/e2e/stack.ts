import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Express } from 'express';
import { CaseService } from '../../src/services/cases';
import { createDeadlineEngine } from '../../src/deadlines';
import { createAuthenticator } from '../../src/http/auth';
import { casesRouter } from '../../src/http/routes/cases';
import { dutiesRouter } from '../../src/http/routes/duties';
import { createNoticesRouter } from '../../src/http/routes/notices';
import { createReportsRouter } from '../../src/http/routes/reports';
import { NoticeService } from '../../src/services/notices';
import { logChannel } from '../../src/notifications/channels';
import { createDrainer } from '../../src/notifications/drainer';
import { RegistryStore } from '../../src/registry';
import { createApp } from '../../src/server';
import { createWorker } from '../../src/worker';
import type { CaseWorkflowOptions } from '../../src/workflows/case/messages';
import { directory, silentLog, workflowBundle } from '../cases/case-env';
import { testCodec, testDataConverter } from '../support/codec';

/**
 * The real thing on loopback: the suite's dev server, a worker with the real activities on a task queue of this
 * test file's own, an SQLite registry, and the HTTP API from createApp.
 */
export async function startStack(options: CaseWorkflowOptions = {}) {
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  if (!address)
    throw new Error('TEMPORAL_TEST_ADDRESS is not set: run through npm test (jest globalSetup starts the dev server)');
  const taskQueue = `e2e-${randomUUID()}`;
  const store = await RegistryStore.open('sqlite::memory:');
  const nativeConnection = await NativeConnection.connect({ address });
  // The worker process's delivery loop, as src/worker.ts runs it beside the Temporal worker.
  const channels = { log: logChannel(silentLog) };
  const drainer = createDrainer({ store, directory, channels, log: silentLog, pollMs: 200 });
  const worker: Worker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    deps: { directory, deadlines: createDeadlineEngine(), log: silentLog, store, channels, nudgeOutbox: drainer.nudge },
    workflowBundle: await workflowBundle(),
    // Encrypted like production: what reaches the dev server is sealed by the payload codec.
    dataConverter: testDataConverter,
  });
  const running = worker.run();
  drainer.start();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default', dataConverter: testDataConverter });
  const cases = new CaseService(client, directory, options, taskQueue);
  const auth = createAuthenticator({ directory, production: false });
  const app: Express = createApp({
    client,
    namespace: 'default',
    directory,
    auth,
    log: silentLog,
    routers: [
      casesRouter(cases),
      dutiesRouter(store),
      createNoticesRouter({
        store,
        directory,
        notices: new NoticeService(store, { directory, channels, log: silentLog }),
      }),
      createReportsRouter({ client, store, directory, taskQueue }),
    ],
    store,
    codec: {
      codec: testCodec,
      origin: process.env.TEMPORAL_TEST_UI_URL ? new URL(process.env.TEMPORAL_TEST_UI_URL).origin : 'http://127.0.0.1',
    },
  });
  return {
    app,
    client,
    store,
    cases,
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await drainer.stop();
      await connection.close();
      await nativeConnection.close();
      await store.close();
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Polls until `check` returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
