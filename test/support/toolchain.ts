import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

// scripts/test.mjs builds the toolchain and passes its paths; running jest directly falls back to the default cache.
const cache = process.env.YINGSU_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'yingsu');

function pick(envName: string, fallback: string): string {
  const path = process.env[envName] ?? fallback;
  if (!existsSync(path))
    throw new Error(`${path} does not exist: run the suite with \`npm test\`, which builds the Temporal toolchain`);
  return path;
}

export const temporalCliPath = () => pick('TEMPORAL_CLI', join(cache, 'temporal-v1.5.1', 'temporal'));
export const testServerPath = () =>
  pick('TEMPORAL_TEST_SERVER', join(cache, 'temporal-test-server-1.38.0', 'temporal-test-server'));
