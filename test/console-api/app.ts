import { Client, Connection } from '@temporalio/client';
import type { Router } from 'express';
import type request from 'supertest';
import { CalendarFeeds } from '../../src/calendar/feeds';
import type { CaseService } from '../../src/services/cases';
import { createAuthenticator } from '../../src/http/auth';
import { OidcSignIn, type OidcSettings } from '../../src/http/oidc';
import { calendarPublicRouter, calendarRouter } from '../../src/http/routes/calendar';
import { documentsRouter } from '../../src/http/routes/documents';
import { dutiesRouter } from '../../src/http/routes/duties';
import { ledgerImportRouter } from '../../src/http/routes/ledger-import';
import { sessionRouter } from '../../src/http/routes/session';
import { People, requireAuthOrSession, SessionStore } from '../../src/http/session';
import { RegistryStore } from '../../src/registry';
import { createApp } from '../../src/server';
import { directory, silentLog } from '../cases/case-env';

export const PUBLIC_URL = 'http://console.test';
export const ORIGIN = { Origin: PUBLIC_URL };

/**
 * The API as api.ts wires the console's parts (sessions, documents, calendar feeds, import), on an in-memory
 * registry. Without `client` a lazy connection that is never dialled stands in: these routes read the registry only.
 */
export async function consoleApp(
  opts: {
    client?: Client;
    cases?: CaseService;
    store?: RegistryStore;
    now?: () => Date;
    idleMs?: number;
    extraRoutes?: Router[];
    oidc?: OidcSettings;
  } = {},
) {
  const store = opts.store ?? (await RegistryStore.open('sqlite::memory:'));
  const connection = opts.client ? undefined : Connection.lazy({ address: '127.0.0.1:1' });
  const client = opts.client ?? new Client({ connection: connection! });
  const auth = createAuthenticator({ directory, production: false });
  const people = new People(auth, directory);
  const sessions = new SessionStore(store, people, { now: opts.now, idleMs: opts.idleMs });
  const feeds = new CalendarFeeds(store, people, directory, PUBLIC_URL, opts.now);
  const allowedOrigins = [PUBLIC_URL];
  const authenticate = requireAuthOrSession(auth, sessions, allowedOrigins);
  const oidc = opts.oidc ? new OidcSignIn(opts.oidc, sessions, people, silentLog) : undefined;
  const app = createApp({
    client,
    namespace: 'default',
    directory,
    auth,
    log: silentLog,
    sessions,
    allowedOrigins,
    consoleDir: '/nonexistent',
    rootRouters: oidc ? [oidc.router()] : [],
    publicRouters: [
      sessionRouter({
        sessions,
        people,
        authenticate,
        oidcEnabled: !!oidc,
        development: auth.mode === 'development',
        allowedOrigins,
      }),
      calendarPublicRouter(feeds),
    ],
    routers: [
      dutiesRouter(store),
      documentsRouter({ client, store, directory, now: opts.now }),
      calendarRouter(feeds, people),
      ...(opts.cases ? [ledgerImportRouter({ cases: opts.cases, store, directory, now: opts.now })] : []),
      ...(opts.extraRoutes ?? []),
    ],
  });
  return {
    app,
    store,
    sessions,
    people,
    feeds,
    async close() {
      if (!opts.store) await store.close();
      await connection?.close();
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Supertest's binary parser: the body as a Buffer. */
type Parser = Extract<Parameters<request.Test['parse']>[0], (res: never, cb: never) => void>;
export const binary: Parser = (res, cb) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};
