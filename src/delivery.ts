// The delivery service: sends the notices the case workflows commit to the registry's outbox, with proof, each once
// per recipient key (src/notifications/drainer.ts). It runs beside the worker (YINGSU_DELIVERY=separate) so that
// sends, their retries and the bureau's alerts take nothing from the process that answers commands; any number of
// them may run, since a row is sent only by the holder of its lease.
import { loadConfig } from './config';
import { logger } from './log';
import { createRuntimeDeps, outboxDrainer } from './runtime-deps';

async function main(): Promise<void> {
  const config = loadConfig();
  const deps = await createRuntimeDeps(config, logger);
  const drainer = outboxDrainer(config, deps);
  drainer.start();
  logger.info({ pollMs: config.YINGSU_OUTBOX_POLL_MS }, 'delivery started');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  // Sends in flight finish and their proof is written; rows claimed but not started are given back.
  await drainer.stop();
  await deps.close();
  logger.info('delivery stopped');
}

if (require.main === module) {
  main().catch((err: Error) => {
    logger.fatal({ err: { name: err.name, message: err.message } }, err.message);
    process.exit(1);
  });
}
