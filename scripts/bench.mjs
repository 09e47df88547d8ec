// `npm run bench`: every benchmark under bench/, one after the other (never in parallel: the machine is shared and
// each figure is read against its own baseline measured in the same run). Arguments select benchmarks by name:
// `npm run bench -- deadlines`; arguments from the first `--option` on go to the benchmarks themselves
// (`npm run bench -- cases --cases 2000`). Results go to stdout and to bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeModules, ensureTemporalCli, ensureTestServer, repoRoot } from './toolchain.mjs';

ensureNodeModules();
const env = { ...process.env, TEMPORAL_CLI: await ensureTemporalCli(), TEMPORAL_TEST_SERVER: await ensureTestServer() };
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('--'));
const only = firstOption < 0 ? args : args.slice(0, firstOption);
const passed = firstOption < 0 ? [] : args.slice(firstOption);
const benches = readdirSync(join(repoRoot, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((o) => f.startsWith(o)));
mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
let failed = 0;
for (const file of benches) {
  process.stderr.write(`\n[yingsu bench] ${file}\n`);
  const r = spawnSync(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join('bench', file), ...passed], {
    cwd: repoRoot,
    stdio: 'inherit',
    env,
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
