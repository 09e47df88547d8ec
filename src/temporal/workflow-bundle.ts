// How the workflow code is bundled, in one place: the worker, the tests and the benchmarks bundle the same way.
import { fork } from 'node:child_process';
import type { BundleOptions } from '@temporalio/worker';
import { actorKeysWebpackHook } from './actor-signing';

/**
 * Pure modules evaluated once per worker and shared by every workflow (the SDK deep-freezes them), instead of once per
 * workflow: the case machine, its handlers and the duty lifecycle hold no state of their own between calls. Nothing
 * here may import `@temporalio/workflow` or keep module-level state, but for a pure cache whose answers do not depend
 * on which workflow filled it (actor-claims' decoded keys).
 */
export const PRELOADED_WORKFLOW_MODULES = [
  require.resolve('../workflows/case/machine'),
  require.resolve('../workflows/case/steps'),
  require.resolve('../workflows/case/calendar-tape'),
  require.resolve('../workflows/case/event-check'),
  require.resolve('../workflows/shared/actor-claims'),
];

/** Options for `bundleWorkflowCode` or `Worker.create`'s bundler. */
export function workflowBundleOptions(
  opts: { actorPublicKeys?: string[] } = {},
): Pick<BundleOptions, 'workflowsPath' | 'preloadModules' | 'webpackConfigHook'> {
  return {
    workflowsPath: require.resolve('../workflows'),
    preloadModules: PRELOADED_WORKFLOW_MODULES,
    ...(opts.actorPublicKeys ? { webpackConfigHook: actorKeysWebpackHook(opts.actorPublicKeys) } : {}),
  };
}

/**
 * The workflow code bundled in a child process (src/temporal/bundle-child.ts), as the worker runs it: what webpack
 * holds while it bundles is returned to the system with the child (the worker's resting RSS is ~120 MiB lower).
 */
export function bundleWorkflowsInChild(opts: { actorPublicKeys?: string[] } = {}): Promise<{ code: string }> {
  return new Promise((resolve, reject) => {
    // The same Node flags as this process (`--import tsx` when run from source), so the child loads TypeScript too.
    const child = fork(require.resolve('./bundle-child'), [], {
      execArgv: process.execArgv,
      env: { ...process.env, YINGSU_BUNDLE_ACTOR_KEYS: JSON.stringify(opts.actorPublicKeys ?? []) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let code: string | undefined;
    child.once('message', (m: { code?: string }) => {
      code = m.code;
    });
    child.once('error', reject);
    child.once('exit', (status) => {
      if (status === 0 && code) resolve({ code });
      else reject(new Error(`bundling the workflow code failed (child exited ${status})`));
    });
  });
}
