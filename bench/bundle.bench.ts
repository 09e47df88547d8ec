// What the workflow bundle costs per workflow, with zod in it and without (issue 12). The SDK's reusable V8 context
// runs the bundle's webpack runtime once, but every workflow imports the workflow modules into its own module cache
// (ReusableVMWorkflowCreator routes __webpack_module_cache__ to the workflow activator's moduleCache), so each
// workflow evaluates every module again and keeps them while cached; only bundlerOptions.preloadModules are shared.
// This measures exactly that step, in one V8 context as the worker does: N imports, each into a fresh module cache
// that is kept (like N cached workflows), for the bundle as the worker builds it (zod-free, the pure case modules
// preloaded: src/temporal/workflow-bundle.ts) and the same bundle with nothing preloaded.
// (Before the zod-free check, zod in the bundle cost 14–24 ms and ~1,220 KiB per workflow; preloading zod fails, since
// zod writes lazily into objects the SDK freezes.)
//   npm run bench -- bundle [-- --workflows 500]. Results: bench/results/bundle.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import vm from 'node:vm';
import { injectGlobals } from '@temporalio/worker/lib/workflow/vm-shared';
import { bundleWorkflows, zodModules } from '../test/support/workflow-bundles';

const { values } = parseArgs({ options: { workflows: { type: 'string', default: '500' } }, allowPositionals: true });
const N = Number(values.workflows);

/** The SDK's freeze of shared (preloaded) modules (reusable-vm.js), so a preloaded zod is tried as the worker runs it. */
function deepFreeze(object: unknown, visited = new WeakSet<object>()): unknown {
  if (object == null || (typeof object !== 'object' && typeof object !== 'function')) return object;
  if (visited.has(object) || Object.isFrozen(object)) return object;
  visited.add(object);
  if (typeof object === 'object') {
    for (const name of [...Object.getOwnPropertyNames(object), ...Object.getOwnPropertySymbols(object)]) {
      try {
        deepFreeze((object as Record<PropertyKey, unknown>)[name], visited);
      } catch {}
    }
  }
  return Object.freeze(object);
}

const gc = (): void => {
  for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
};
const mib = (b: number) => Math.round((b / 1024 / 1024) * 100) / 100;

async function measure(name: string, opts: Parameters<typeof bundleWorkflows>[0]) {
  const bundle = await bundleWorkflows(opts);
  const codeOnly = bundle.code.replace(/\/\/# sourceMappingURL=.*$/m, '');
  let cache = new Map<string, unknown>();
  const shared = new Map<string, unknown>();
  const context = vm.createContext({}, { microtaskMode: 'afterEvaluate' });
  let loading = true;
  Object.defineProperty(context, '__webpack_module_cache__', {
    value: new Proxy(
      {},
      {
        get: (_, p: string) => shared.get(p) ?? cache.get(p),
        set: (_, p: string, v) => ((loading ? shared : cache).set(p, v), true),
      },
    ),
  });
  injectGlobals(context);
  new vm.Script(bundle.code, { filename: 'workflow-bundle.js' }).runInContext(context);
  vm.runInContext('__TEMPORAL__.preloadModules?.()', context);
  loading = false;
  // The SDK's freeze of shared modules: a preloaded module that writes to itself fails here as in the worker.
  for (const m of shared.values()) deepFreeze(m);
  if (process.env.DEBUG_BUNDLE) process.stderr.write(`${name} shared: ${[...shared.keys()].join(' ')}\n`);
  const kept: Map<string, unknown>[] = [];
  const importWorkflows = new vm.Script('__TEMPORAL__.importWorkflows()');
  // Warm up once (compilation), then measure N workflows' imports.
  importWorkflows.runInContext(context);
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    cache = new Map();
    kept.push(cache);
    importWorkflows.runInContext(context);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  gc();
  const heap = process.memoryUsage().heapUsed - heap0;
  return {
    name,
    bundleBytes: bundle.code.length,
    bundleBytesWithoutSourceMap: codeOnly.length,
    zodModules: zodModules(codeOnly).length,
    modulesPerWorkflow: kept[0].size,
    msPerWorkflow: Math.round((ms / N) * 100) / 100,
    kibPerWorkflow: Math.round(heap / N / 1024),
    heapMiBFor: { workflows: N, mib: mib(heap) },
  };
}

async function main(): Promise<void> {
  if (!(globalThis as { gc?: unknown }).gc) process.stderr.write('run with --expose-gc for steadier heap figures\n');
  const results = [await measure('as shipped', {}), await measure('nothing preloaded', { preloadModules: [] })];
  // eslint-disable-next-line no-console
  console.table(results.map((r) => ({ ...r, heapMiBFor: undefined })));
  writeFileSync(join(__dirname, 'results', 'bundle.json'), JSON.stringify({ N, results }, null, 2));
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
