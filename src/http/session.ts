import { createHash, randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Kysely } from 'kysely';
import { actorOf, type Principal } from '../access';
import { findAgency, findLeader, type Directory } from '../directory';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { RegistryStore } from '../registry';
import type { ConsoleDatabase } from '../registry/console-migrations';
import { hashToken, principalFor, readTokensFile, requireAuth, type Authenticator } from './auth';

// Sign-in sessions for the console: a random value in an httpOnly cookie names a row of the registry's `sessions`
// table (stored as its sha256), which holds the person's role and name. The API accepts the cookie wherever it accepts
// a bearer token; a token never travels in a URL.

export const SESSION_COOKIE = 'yingsu_session';
export const DEFAULT_SESSION_IDLE_MS = 8 * 3_600_000;

/** A signed-in person: a name for people, a stable role code (`agency:hrss`) and the principal access rules read. */
export interface Person {
  name: string;
  role: string;
  roleName: string;
  principal: Principal;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set when the caller is known by a session cookie or a bearer token whose person we can name. */
    person?: Person;
    /** `session` when the session cookie authenticated the request. */
    authenticatedBy?: 'session' | 'bearer';
  }
}

/** The role in Chinese, for the console's header. */
export function roleName(p: Principal, directory: Directory): string {
  switch (p.role) {
    case 'bureau':
      return '县司法局';
    case 'operator':
      return '运维人员（只读）';
    case 'agency':
      return findAgency(directory, p.agencyId)?.name ?? `涉诉行政机关 ${p.agencyId}`;
    case 'leader':
      return findLeader(directory, p.leaderId)?.name ?? `分管县领导 ${p.leaderId}`;
  }
}

/** Names people: token-file entries by their `name` (or `label`); development tokens by their role, marked 开发. */
export class People {
  private readonly names = new Map<string, string>();

  constructor(
    private readonly auth: Authenticator,
    private readonly directory: Directory,
    tokensFile?: string,
  ) {
    if (tokensFile)
      for (const t of readTokensFile(tokensFile).tokens) this.names.set(t.sha256, t.name ?? t.label ?? t.role);
  }

  fromToken(token: string): Person | undefined {
    const principal = this.auth.authenticate(token);
    if (!principal) return undefined;
    const configured = this.names.get(hashToken(token));
    return this.person(principal, configured ?? `${roleName(principal, this.directory)}（开发）`);
  }

  /** A person from a stored role (a session, a calendar feed): undefined when the directory no longer has it. */
  fromRole(role: string, name: string): Person | undefined {
    const principal = principalFor(role, this.directory);
    return principal ? this.person(principal, name) : undefined;
  }

  person(principal: Principal, name: string): Person {
    return { name, role: actorOf(principal), roleName: roleName(principal, this.directory), principal };
  }
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

export interface SessionOptions {
  idleMs?: number;
  now?: () => Date;
}

/** Sessions in the registry, so the API's restarts and replicas keep people signed in. */
export class SessionStore {
  private readonly db: Kysely<ConsoleDatabase>;
  private readonly idleMs: number;
  private readonly now: () => Date;

  constructor(
    store: RegistryStore,
    readonly people: People,
    opts: SessionOptions = {},
  ) {
    this.db = store.db as unknown as Kysely<ConsoleDatabase>;
    this.idleMs = opts.idleMs ?? DEFAULT_SESSION_IDLE_MS;
    this.now = opts.now ?? (() => new Date());
  }

  /** Creates a session and answers the cookie's value (never stored in clear). */
  async create(person: Person, via: 'token' | 'oidc', subject?: string): Promise<string> {
    const value = randomBytes(32).toString('base64url');
    const now = this.now();
    await this.db
      .insertInto('sessions')
      .values({
        id_hash: sha256(value),
        role: person.role,
        name: person.name,
        via,
        subject: subject ?? null,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + this.idleMs).toISOString(),
      })
      .execute();
    // Expired sessions are swept on sign-in: no timer, and the table stays small.
    await this.db.deleteFrom('sessions').where('expires_at', '<', now.toISOString()).execute();
    return value;
  }

  /** The person of a live session; each use extends it by the idle period. */
  async resolve(value: string): Promise<Person | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(value)) return undefined;
    const id = sha256(value);
    const row = await this.db.selectFrom('sessions').selectAll().where('id_hash', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const now = this.now();
    if (Date.parse(row.expires_at) <= now.getTime()) {
      await this.db.deleteFrom('sessions').where('id_hash', '=', id).execute();
      return undefined;
    }
    const person = this.people.fromRole(row.role, row.name);
    if (!person) return undefined;
    // Touch at most once a minute: a page's burst of requests writes once.
    if (now.getTime() - Date.parse(row.last_seen_at) > 60_000) {
      await this.db
        .updateTable('sessions')
        .set({ last_seen_at: now.toISOString(), expires_at: new Date(now.getTime() + this.idleMs).toISOString() })
        .where('id_hash', '=', id)
        .execute();
    }
    return person;
  }

  async destroy(value: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', sha256(value)).execute();
  }
}

/** The value of one cookie from the Cookie header (no cookie-parser for one name). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

const isHttps = (req: Request) => req.secure || req.get('x-forwarded-proto') === 'https';

export function setSessionCookie(req: Request, res: Response, value: string): void {
  res.cookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'strict', path: '/', secure: isHttps(req) });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: isHttps(req) });
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether an unsafe request comes from this origin: `Sec-Fetch-Site: same-origin`, or an `Origin` equal to the
 * request's own origin (or one of `allowedOrigins`, e.g. YINGSU_PUBLIC_URL behind a proxy).
 */
export function isSameOrigin(req: Request, allowedOrigins: string[] = []): boolean {
  const site = req.get('sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = req.get('origin');
  if (!origin) return false;
  const own = `${isHttps(req) ? 'https' : 'http'}://${req.get('host')}`;
  return origin === own || allowedOrigins.includes(origin);
}

/** The CSRF refusal, in Chinese for people. */
export class CrossSiteRequestError extends ForbiddenError {
  constructor() {
    super('跨站请求被拒绝：使用登录会话提交的操作必须来自工作台本身（同源 Origin）', 'cross_site_request');
  }
}

/**
 * Authenticates by the session cookie when no Authorization header is sent, then hands over to `requireAuth` for
 * bearer tokens. Unsafe methods authenticated by the cookie must come from the same origin (CSRF).
 */
export function requireAuthOrSession(
  auth: Authenticator,
  sessions: SessionStore | undefined,
  allowedOrigins: string[] = [],
): RequestHandler {
  const bearer = requireAuth(auth);
  return (req, res, next) => {
    if (!sessions || req.get('authorization')) {
      req.authenticatedBy = 'bearer';
      return bearer(req, res, next);
    }
    const value = readCookie(req, SESSION_COOKIE);
    if (!value) return bearer(req, res, next);
    sessions.resolve(value).then(
      (person) => {
        if (!person) return next(new UnauthenticatedError('登录已过期或已退出，请重新登录'));
        if (!SAFE.has(req.method) && !isSameOrigin(req, allowedOrigins)) return next(new CrossSiteRequestError());
        req.principal = person.principal;
        req.person = person;
        req.authenticatedBy = 'session';
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

/** The calling person: from the session, or named from the bearer token (its file entry, or its role in development). */
export function personOf(req: Request, people: People): Person {
  if (req.person) return req.person;
  const m = /^Bearer\s+(\S{1,512})$/i.exec(req.get('authorization') ?? '');
  const person = m ? people.fromToken(m[1]!) : undefined;
  if (!person) throw new UnauthenticatedError();
  return person;
}
