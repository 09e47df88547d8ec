import { ApplicationFailure } from '@temporalio/activity';
import type { DeadlineEngine } from '../deadlines';
import type { Directory } from '../directory';
import type { Logger } from '../log';
import { logChannel, type Channels } from '../notifications/channels';
import type { RegistryStore } from '../registry';
import { createDeadlineActivities } from './deadlines';
import { createNotificationActivities } from './notifications';
import { createRegistryActivities } from './registry';

/** What activities need from the outside world; tests hand in their own. */
export interface ActivityDeps {
  directory: Directory;
  /** China's working calendar and the notice's periods (src/deadlines). */
  deadlines: DeadlineEngine;
  log: Logger;
  /** The registry and notice outbox; createRuntimeDeps always provides it. Without it, its activities fail. */
  store?: RegistryStore;
  /** Delivery channels; the log channel alone when omitted. */
  channels?: Channels;
}

/** A stand-in that fails every registry call without retrying: a test that needs the registry must hand one in. */
function missingStore(): RegistryStore {
  return new Proxy({} as RegistryStore, {
    get: () => () => {
      throw ApplicationFailure.nonRetryable('the registry is not configured (ActivityDeps.store)', 'RegistryNotConfigured');
    },
  });
}

/** Every activity of the worker, built from its dependencies (workflows import the type only). */
export function createActivities(deps: ActivityDeps) {
  const store = deps.store ?? missingStore();
  const channels = deps.channels ?? { log: logChannel(deps.log) };
  return {
    async describeDirectory(): Promise<{ agencies: number; leaders: number }> {
      return { agencies: deps.directory.agencies.length, leaders: deps.directory.leaders.length };
    },
    ...createNotificationActivities({ directory: deps.directory, log: deps.log, store, channels }),
    ...createRegistryActivities(store),
    ...createDeadlineActivities(deps.deadlines),
  };
}

export type Activities = ReturnType<typeof createActivities>;
