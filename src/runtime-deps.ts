import type { ActivityDeps } from './activities';
import type { Config } from './config';
import { loadDeadlineEngine } from './deadlines';
import { loadDirectory } from './directory';
import type { Logger } from './log';
import { createChannels, smtpSettingsFrom } from './notifications/channels';
import { createDrainer, type Drainer } from './notifications/drainer';
import { checkDeliveryReadiness, enabledChannels } from './notifications/readiness';
import { RegistryStore } from './registry';
import type { Duration } from '@temporalio/common';
import type { DeliveryPolicy } from './notifications/policy';

export type RuntimeDeps = ActivityDeps & {
  store: RegistryStore;
  channels: ReturnType<typeof createChannels>;
  deliveryPolicy: Partial<DeliveryPolicy>;
  close(): Promise<void>;
};

/** Builds the activities' dependencies from configuration (the worker's, and the API's where it shares them). */
export async function createRuntimeDeps(config: Config, log: Logger): Promise<RuntimeDeps> {
  const directory = loadDirectory(config.YINGSU_DIRECTORY_FILE);
  // A malformed calendar or rules file stops the start here, with the reason, rather than producing a wrong date later.
  const deadlines = loadDeadlineEngine({ rulesFile: config.YINGSU_RULES_FILE });
  // Migrations run here, at start-up of the worker and of the API; the lock table keeps concurrent starts safe.
  const store = await RegistryStore.open(config.DATABASE_URL);
  const smtp = smtpSettingsFrom(config);
  const channels = createChannels({ smtp, log, linkBase: config.YINGSU_PUBLIC_URL });
  // Production refuses to start when a notice could go nowhere; development says what would go undelivered.
  const problems = checkDeliveryReadiness({
    production: config.YINGSU_ENV === 'production',
    directoryFile: config.YINGSU_DIRECTORY_FILE,
    directory,
    enabled: enabledChannels(config),
  });
  if (problems.length > 0) log.warn({ problems }, 'some notices will be undeliverable (the bureau is alerted)');
  log.info(
    { registry: store.dialect, email: smtp ? `${smtp.host}:${smtp.port}` : 'disabled' },
    'registry and notification channels ready',
  );
  return {
    directory,
    deadlines,
    log,
    store,
    channels,
    deliveryPolicy: {
      totalTimeout: config.YINGSU_DELIVERY_HORIZON as Duration,
      alertAfter: config.YINGSU_DELIVERY_ALERT_AFTER as Duration,
    },
    async close() {
      channels.close();
      await store.close();
    },
  };
}

/** The outbox drainer as configured: the worker's own (YINGSU_DELIVERY=worker) or the delivery service's. */
export function outboxDrainer(
  config: Config,
  deps: Pick<RuntimeDeps, 'store' | 'directory' | 'channels' | 'deliveryPolicy' | 'log'>,
): Drainer {
  return createDrainer({
    store: deps.store,
    directory: deps.directory,
    channels: deps.channels,
    log: deps.log,
    policy: deps.deliveryPolicy,
    pollMs: config.YINGSU_OUTBOX_POLL_MS,
  });
}
