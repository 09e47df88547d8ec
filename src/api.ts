import { Client, Connection } from '@temporalio/client';
import { loadConfig } from './config';
import { loadDeadlineEngine } from './deadlines';
import { loadDirectory } from './directory';
import { createAuthenticator } from './http/auth';
import { CalendarFeeds } from './calendar/feeds';
import { resolveSecret } from './notifications/channels/secrets';
import { OidcSignIn } from './http/oidc';
import { calendarPublicRouter, calendarRouter } from './http/routes/calendar';
import { documentsRouter } from './http/routes/documents';
import { ledgerImportRouter } from './http/routes/ledger-import';
import { sessionRouter } from './http/routes/session';
import { People, requireAuthOrSession, SessionStore } from './http/session';
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
  // The deadline engine checks a registration's dates before its workflow starts (a refusal never burns the id).
  const deadlines = loadDeadlineEngine({ rulesFile: config.YINGSU_RULES_FILE });
  const cases = new CaseService(client, directory, {}, config.YINGSU_TASK_QUEUE, deadlines, signer);
  // The console (issue 14): sessions, OIDC sign-in, calendar feeds.
  const people = new People(auth, directory, config.YINGSU_TOKENS_FILE);
  const sessions = new SessionStore(store, people, { idleMs: config.YINGSU_SESSION_IDLE_HOURS * 3_600_000 });
  const allowedOrigins = [new URL(config.YINGSU_PUBLIC_URL).origin];
  const oidc =
    config.YINGSU_OIDC_ISSUER && config.YINGSU_OIDC_CLIENT_ID
      ? new OidcSignIn(
          {
            issuer: config.YINGSU_OIDC_ISSUER,
            clientId: config.YINGSU_OIDC_CLIENT_ID,
            clientSecret: config.YINGSU_OIDC_CLIENT_SECRET
              ? resolveSecret(config.YINGSU_OIDC_CLIENT_SECRET)
              : undefined,
            roleClaim: config.YINGSU_OIDC_ROLE_CLAIM,
            publicUrl: config.YINGSU_PUBLIC_URL,
          },
          sessions,
          people,
          logger,
        )
      : undefined;
  const feeds = new CalendarFeeds(store, people, directory, config.YINGSU_PUBLIC_URL);
  const authenticate = requireAuthOrSession(auth, sessions, allowedOrigins);
  const publicRouters = [
    sessionRouter({
      sessions,
      people,
      authenticate,
      oidcEnabled: !!oidc,
      development: auth.mode === 'development',
      allowedOrigins,
    }),
    calendarPublicRouter(feeds),
  ];
  const routers = [
    casesRouter(cases),
    dutiesRouter(store),
    createNoticesRouter({
      store,
      directory,
      notices: new NoticeService(store, { directory, channels: enabledChannels(config), log: logger }),
    }),
    createReportsRouter({ client, store, directory, taskQueue: config.YINGSU_TASK_QUEUE }),
    documentsRouter({ client, store, directory }),
    ledgerImportRouter({ cases, store, directory }),
    calendarRouter(feeds, people),
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
    sessions,
    allowedOrigins,
    publicRouters,
    rootRouters: oidc ? [oidc.router()] : [],
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
