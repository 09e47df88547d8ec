// What the worker evaluates for every workflow it runs: the workflow bundle must not carry zod (issue 12). Each
// workflow evaluates the bundle's modules afresh (the SDK keeps a module cache per workflow even in its reusable V8
// context), so zod there cost every case ~1 MiB and ~15–30 ms.
import { workflowBundle } from '../cases/case-env';
import { zodModules } from '../support/workflow-bundles';

jest.setTimeout(120_000);

test('the workflow bundle holds no zod module, and the case workflow checks events with the zod-free check', async () => {
  const { code } = await workflowBundle();
  expect(code).toContain('src/workflows/case/event-check.ts');
  expect(zodModules(code)).toEqual([]);
});
