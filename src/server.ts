import express, { type Router } from 'express';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import helmet from 'helmet';
import { createCodecRouter } from './http/codec';
import { idempotency } from './http/idempotency';
import type { RegistryStore } from './registry';
import type { Directory } from './directory';
import { NotFoundError } from './errors';
import { errorMiddleware } from './http/errors';
import type { Authenticator } from './http/auth';
import { apiDocs } from './http/docs';
import { requireAuthOrSession, type SessionStore } from './http/session';
import { createHttpMetrics } from './http/metrics';
import { buildOpenApiDocument } from './http/openapi';
import { consoleStatic, directoryRouter } from './http/console-static';
import { isTemporalReady } from './temporal/connection';
import type { Logger } from './log';

export interface AppDeps {
  client: Client;
  namespace: string;
  directory: Directory;
  auth: Authenticator;
  log: Logger;
  /** The built console to serve at `/` (default web/dist). */
  consoleDir?: string;
  /** Feature routers mounted under /api, behind authentication. */
  routers?: Router[];
  /** The registry, for Idempotency-Key answers (src/http/idempotency.ts); retries are not safe without it. */
  store?: RegistryStore;
  /** The deadline of every call to Temporal made while answering one request (default 15 s). */
  temporalDeadlineMs?: number;
  /** The codec server for Temporal UI (src/http/codec.ts), mounted at /codec when given. */
  codec?: { codec: PayloadCodec; origin: string };
  /** Sign-in sessions: the API then accepts the `yingsu_session` cookie as well as bearer tokens. */
  sessions?: SessionStore;
  /** Origins besides the request's own that may send cookie-authenticated commands (YINGSU_PUBLIC_URL's). */
  allowedOrigins?: string[];
  /** Routers under /api that authenticate on their own terms (signing in, calendar feeds by their secret). */
  publicRouters?: Router[];
  /** Routers at the root, outside /api (the OIDC sign-in redirects under /auth). */
  rootRouters?: Router[];
}

/** The HTTP API, built from its dependencies so tests can hand in a client from their own test environment. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Security headers; the API serves JSON and the one OpenAPI page, which loads nothing from elsewhere.
  app.use(helmet({ strictTransportSecurity: { maxAge: 31_536_000 } }));
  app.set('query parser', 'simple');
  // Behind the TLS proxy (compose: Caddy on the private network) the client's address is X-Forwarded-For's.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  const metrics = createHttpMetrics();
  app.use(metrics.middleware);
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const caseId = typeof req.params?.caseId === 'string' ? req.params.caseId : undefined;
      deps.log.info(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          ...(caseId ? { caseId } : {}),
          // Who, in person: the token's holder, on the record of every call.
          ...(req.principal?.person ? { person: req.principal.person.name, personId: req.principal.person.id } : {}),
        },
        'http',
      );
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await isTemporalReady(deps.client);
    res
      .status(ready ? 200 : 503)
      .json(ready ? { status: 'ready' } : { status: 'unavailable', reason: 'Temporal is not reachable' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  const openApi = buildOpenApiDocument();
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/api/docs', apiDocs());
  for (const router of deps.rootRouters ?? []) app.use(router);

  if (deps.codec) app.use('/codec', createCodecRouter({ ...deps.codec, auth: deps.auth }));

  const api = express.Router();
  // Signing in reads its small body before anyone is authenticated; nothing else is parsed before the token is.
  api.use('/session', express.json({ limit: '16kb' }));
  for (const router of deps.publicRouters ?? []) api.use(router);
  // The token (or session) is checked before the body is read: an unauthenticated caller cannot make the API parse.
  api.use(requireAuthOrSession(deps.auth, deps.sessions, deps.allowedOrigins));
  api.use(express.json({ limit: '256kb' }));
  api.use(directoryRouter(deps.directory));
  if (deps.store) api.use(idempotency(deps.store));
  // Every call to Temporal made while answering has a deadline: past it the caller gets 503 and Retry-After.
  const deadlineMs = deps.temporalDeadlineMs ?? 15_000;
  api.use((_req, res, next) => {
    void deps.client.connection.withDeadline(
      Date.now() + deadlineMs,
      () =>
        new Promise<void>((resolve) => {
          res.once('finish', resolve);
          res.once('close', resolve);
          next();
        }),
    );
  });
  for (const router of deps.routers ?? []) api.use(router);
  app.use('/api', api);
  // The 工作台 console (web/dist) at `/`; anything under /api that no router answered stays a JSON 404.
  app.use(consoleStatic(deps.consoleDir));

  app.use((_req, _res, next) => next(new NotFoundError('没有该接口')));
  app.use(errorMiddleware(deps.log));
  return app;
}
