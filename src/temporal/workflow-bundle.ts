// How the workflow code is bundled, in one place: the worker, the tests and the benchmarks bundle the same way.
import type { BundleOptions } from '@temporalio/worker';
import { actorKeysWebpackHook } from './actor-signing';

/**
 * Pure modules evaluated once per worker and shared by every workflow (the SDK deep-freezes them), instead of once per
 * workflow: the case machine, its handlers and the duty lifecycle hold no state of their own between calls. Nothing
 * here may import `@temporalio/workflow` or keep module-level state.
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
