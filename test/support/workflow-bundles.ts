import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../../src/temporal/workflow-bundle';

/** The workflow bundle as the worker builds it, or with another list of preloaded modules (to compare). */
export function bundleWorkflows(opts: { preloadModules?: string[] } = {}) {
  return bundleWorkflowCode({
    ...workflowBundleOptions(),
    ...(opts.preloadModules ? { preloadModules: opts.preloadModules } : {}),
    logger: undefined,
  });
}

/** The zod modules a bundle carries, by path. */
export const zodModules = (code: string): string[] => [
  ...new Set(code.match(/node_modules\/zod\/[\w./-]+\.js/g) ?? []),
];
