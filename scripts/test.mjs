// `npm test`: installs what is missing (npm packages, the Temporal toolchain), type-checks, lints, then runs the whole Jest
// suite: unit tests, time-skipping workflow tests and end-to-end tests against a real dev server. Extra arguments go
// to Jest (`npm test -- test/deadlines`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  ensureNodeModules,
  ensureSystemPackages,
  ensureTemporalCli,
  ensureTestServer,
  repoRoot,
} from './toolchain.mjs';

const say = (msg) => process.stderr.write(`[yingsu test] ${msg}\n`);

try {
  ensureNodeModules();
  ensureSystemPackages();
  const env = {
    ...process.env,
    TEMPORAL_CLI: await ensureTemporalCli(),
    TEMPORAL_TEST_SERVER: await ensureTestServer(),
  };
  const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
  say('type-checking (tsc --noEmit)');
  const tsc = spawnSync(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: repoRoot, stdio: 'inherit', env });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  // CI's lint (eslint, then prettier --check): a finding fails the run before any test starts.
  say('linting (npm run lint)');
  const lint = spawnSync('npm', ['run', '--silent', 'lint'], { cwd: repoRoot, stdio: 'inherit', env });
  if (lint.status !== 0) process.exit(lint.status ?? 1);
  const jest = spawnSync(bin('jest'), process.argv.slice(2), { cwd: repoRoot, stdio: 'inherit', env });
  process.exit(jest.status ?? 1);
} catch (err) {
  say(`failed: ${err.message}`);
  process.exit(1);
}
