import { DefaultLogger, Runtime } from '@temporalio/worker';

// The SDK logs every worker state change at INFO; tests keep warnings and errors only, so a failing test's own
// console output stands out. Jest gives each test file its own module registry, hence one install per file.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // A runtime already exists in this registry (a test file installed its own): keep it.
}
