import { TestWorkflowEnvironment } from '@temporalio/testing';
import { testServerPath } from './toolchain';

/**
 * The Java time-skipping test server, built from Maven Central by the toolchain (the SDK's own download needs the
 * internet). One environment per test file.
 */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerPath() } },
  });
}
