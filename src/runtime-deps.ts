import type { ActivityDeps } from './activities';
import type { Config } from './config';
import { loadDirectory } from './directory';
import type { Logger } from './log';

/** Builds the activities' dependencies from configuration (the worker's, and the API's where it shares them). */
export async function createRuntimeDeps(config: Config, log: Logger): Promise<ActivityDeps & { close(): Promise<void> }> {
  const directory = loadDirectory(config.YINGSU_DIRECTORY_FILE);
  return {
    directory,
    log,
    async close() {},
  };
}
