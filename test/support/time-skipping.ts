import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureSearchAttributes } from '../../src/temporal/search-attributes';
import { testServerPath } from './toolchain';

/**
 * The Java time-skipping test server, built from Maven Central by the toolchain (the SDK's own download needs the
 * internet). One environment per test file.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerPath() } },
  });
  // The same registration the worker does at start-up: case workflows set typed search attributes.
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}
