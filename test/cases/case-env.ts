import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CaseService } from '../../src/services/cases';
import { createDeadlineEngine } from '../../src/deadlines';
import { loadDirectory } from '../../src/directory';
import { RegistryStore } from '../../src/registry';
import { workflowBundleOptions } from '../../src/temporal/workflow-bundle';
import { createWorker } from '../../src/worker';
import { CASE_TASK_QUEUE } from '../../src/workflows/case/messages';
import type { CaseWorkflowOptions } from '../../src/workflows/case/messages';
import { createTimeSkippingEnv } from '../support/time-skipping';

export const silentLog = pino({ level: 'silent' });
export const directory = loadDirectory();

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Workflow code bundled once per test file. */
export const workflowBundle = () => (bundle ??= bundleWorkflowCode({ ...workflowBundleOptions(), logger: undefined }));

/**
 * A time-skipping Temporal, a real worker with the real activities (deadline engine, an in-memory SQLite registry,
 * the log channel), and the case service the HTTP API uses.
 */
export async function startCaseEnv(options: CaseWorkflowOptions = {}) {
  const env: TestWorkflowEnvironment = await createTimeSkippingEnv();
  const store = await RegistryStore.open('sqlite::memory:');
  const worker: Worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    deps: { directory, deadlines: createDeadlineEngine(), log: silentLog, store },
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  const cases = new CaseService(env.client, directory, options);
  return {
    env,
    store,
    cases,
    taskQueue: CASE_TASK_QUEUE,
    newCaseId: () => `T-${randomUUID().slice(0, 8)}`,
    /** Shanghai-offset ISO of the test server's current time plus `ms`. */
    async nowPlus(ms = 0): Promise<string> {
      return new Date((await env.currentTimeMs()) + ms).toISOString();
    },
    async teardown() {
      worker.shutdown();
      await running;
      await store.close();
      await env.teardown();
    },
  };
}
