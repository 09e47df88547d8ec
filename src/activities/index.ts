import type { Directory } from '../directory';
import type { Logger } from '../log';

/** What activities need from the outside world; tests hand in their own. */
export interface ActivityDeps {
  directory: Directory;
  log: Logger;
}

/** Every activity of the worker, built from its dependencies (workflows import the type only). */
export function createActivities(deps: ActivityDeps) {
  return {
    async describeDirectory(): Promise<{ agencies: number; leaders: number }> {
      return { agencies: deps.directory.agencies.length, leaders: deps.directory.leaders.length };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
