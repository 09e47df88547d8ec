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
import { requireAuth, type Authenticator } from './http/auth';
import { createHttpMetrics } from './http/metrics';
import { buildOpenApiDocument, openApiPage } from './http/openapi';
import { isTemporalReady } from './temporal/connection';
import type { Logger } from './log';

export interface AppDeps {
  client: Client;
  namespace: string;
  directory: Directory;
  auth: Authenticator;
  log: Logger;
  /** Feature routers mounted under /api, behind authentication. */
  routers?: Router[];
  /** The registry, for Idempotency-Key answers (src/http/idempotency.ts); retries are not safe without it. */
  store?: RegistryStore;
  /** The deadline of every call to Temporal made while answering one request (default 15 s). */
  temporalDeadlineMs?: number;
  /** The codec server for Temporal UI (src/http/codec.ts), mounted at /codec when given. */
  codec?: { codec: PayloadCodec; origin: string };
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
  app.get('/api/docs', (_req, res) => {
    res.type('html').send(openApiPage(openApi));
  });

  if (deps.codec) app.use('/codec', createCodecRouter({ ...deps.codec, auth: deps.auth }));

  const api = express.Router();
  // The token is checked before the body is read: an unauthenticated caller cannot make the API parse anything.
  api.use(requireAuth(deps.auth));
  api.use(express.json({ limit: '256kb' }));
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

  app.use((_req, _res, next) => next(new NotFoundError('no such endpoint')));
  app.use(errorMiddleware(deps.log));
  return app;
}
