import { dirname } from 'node:path';
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';

// Workflow bundles for checking what goes into them: the real one, and one where schemas.ts is replaced by
// zod-free-case-schemas.ts (how the bundle looks once workflow.ts calls parseCaseEvent).

const workflowsPath = require.resolve('../../src/workflows');
const schemasPath = require.resolve('../../src/workflows/case/schemas');
const stubPath = require.resolve('./zod-free-case-schemas');

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];
interface ResolveData {
  createData: { resource?: string; context?: string };
}

/** A webpack plugin that resolves src/workflows/case/schemas.ts to the zod-free stand-in. */
interface Tappable<T> {
  tap(name: string, fn: (arg: T) => void): void;
}
const replaceSchemas = {
  apply(compiler: { hooks: { normalModuleFactory: Tappable<{ hooks: { afterResolve: Tappable<ResolveData> } }> } }) {
    compiler.hooks.normalModuleFactory.tap('zod-free-schemas', (nmf) =>
      nmf.hooks.afterResolve.tap('zod-free-schemas', (data) => {
        // Its own imports resolve from where it lives.
        if (data.createData.resource === schemasPath)
          Object.assign(data.createData, { resource: stubPath, context: dirname(stubPath) });
      }),
    );
  },
};

export function bundleWorkflows(opts: { zodFreeSchemas?: boolean; preloadModules?: string[] } = {}) {
  return bundleWorkflowCode({
    workflowsPath,
    logger: undefined,
    preloadModules: opts.preloadModules,
    webpackConfigHook: (config: WebpackConfig) => ({
      ...config,
      plugins: [...(config.plugins ?? []), ...(opts.zodFreeSchemas ? [replaceSchemas as never] : [])],
      // zod declares sideEffects: false, so webpack drops a preload that nothing reads: keep it.
      optimization: { ...config.optimization, ...(opts.preloadModules ? { sideEffects: false } : {}) },
    }),
  });
}

/** The zod modules a bundle carries, by path. */
export const zodModules = (code: string): string[] => [
  ...new Set(code.match(/node_modules\/zod\/[\w./-]+\.js/g) ?? []),
];
