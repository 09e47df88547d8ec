import { Client, Connection } from '@temporalio/client';
import { loadConfig } from './config';
import { loadDirectory } from './directory';
import { createAuthenticator } from './http/auth';
import { CaseService } from './services/cases';
import { NoticeService } from './services/notices';
import { casesRouter } from './http/routes/cases';
import { dutiesRouter } from './http/routes/duties';
import { createNoticesRouter } from './http/routes/notices';
import { createReportsRouter } from './http/routes/reports';
import { logger } from './log';
import { checkDeliveryReadiness, enabledChannels } from './notifications/readiness';
import { RegistryStore } from './registry';
import { createApp } from './server';
import { signerFromConfig } from './temporal/actor-signing';
import { codecFromConfig, dataConverterFor } from './temporal/codec';
import { temporalTlsFrom } from './temporal/connection';

/** Entry point of the HTTP API: listens on PORT and stops cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const directory = loadDirectory(config.YINGSU_DIRECTORY_FILE);
  checkDeliveryReadiness({
    production: config.YINGSU_ENV === 'production',
    directoryFile: config.YINGSU_DIRECTORY_FILE,
    directory,
    enabled: enabledChannels(config),
  });
  const auth = createAuthenticator({
    directory,
    tokensFile: config.YINGSU_TOKENS_FILE,
    production: config.YINGSU_ENV === 'production',
    // A changed tokens file (a new colleague, a revoked token) is picked up without a restart; SIGHUP forces it.
    watch: true,
    log: logger,
  });
  process.on('SIGHUP', () => auth.reload());
  // Lazy: the API starts even while Temporal is down, and /readyz says so (503) until it is back.
  const tls = temporalTlsFrom(config);
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS, ...(tls ? { tls } : {}) });
  const codec = codecFromConfig(config, logger);
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: dataConverterFor(codec),
  });
  // The registry's migrations run here too: the API may start before the worker.
  const store = await RegistryStore.open(config.DATABASE_URL);
  const signer = signerFromConfig(config);
  if (!signer && config.YINGSU_ENV === 'production')
    throw new Error('YINGSU_ACTOR_KEY_FILE is required in production: the API signs the actor of every command');
  const cases = new CaseService(client, directory, {}, config.YINGSU_TASK_QUEUE, signer);
  const routers = [
    casesRouter(cases),
    dutiesRouter(store),
    createNoticesRouter({ store, directory, notices: new NoticeService(client, store, config.YINGSU_TASK_QUEUE) }),
    createReportsRouter({ client, store, directory, taskQueue: config.YINGSU_TASK_QUEUE }),
  ];
  const app = createApp({
    client,
    namespace: config.TEMPORAL_NAMESPACE,
    directory,
    auth,
    log: logger,
    routers,
    store,
    ...(codec ? { codec: { codec, origin: config.YINGSU_CODEC_CORS_ORIGIN } } : {}),
  });
  const server = app.listen(config.PORT, config.YINGSU_BIND, () => {
    logger.info(
      { port: config.PORT, bind: config.YINGSU_BIND, tokens: auth.mode },
      `API listening on http://${config.YINGSU_BIND}:${config.PORT}`,
    );
  });
  const shutdown = () => {
    logger.info('API stopping');
    server.close(() => {
      void Promise.allSettled([connection.close(), store.close()]).finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: Error) => {
  logger.fatal({ err: { name: err.name, message: err.message } }, err.message);
  process.exit(1);
});
