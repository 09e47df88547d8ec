import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { waitDays } from './fixtures/workflows';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
});

afterAll(async () => {
  await env?.teardown();
});

test('a workflow waiting 30 days completes in seconds of wall time on the time-skipping server', async () => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'platform-time-skipping',
    workflowsPath: require.resolve('./fixtures/workflows'),
  });
  const wallStart = Date.now();
  const result = await worker.runUntil(
    env.client.workflow.execute(waitDays, {
      args: [30],
      taskQueue: 'platform-time-skipping',
      workflowId: `wait-${randomUUID()}`,
    }),
  );
  const wallSeconds = (Date.now() - wallStart) / 1000;
  expect(result.finishedAt - result.startedAt).toBeGreaterThanOrEqual(30 * 24 * 3600 * 1000);
  // Generous bound: the claim is "seconds, not a month"; bundling dominates the figure on a busy machine.
  expect(wallSeconds).toBeLessThan(120);
});
