import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Person, Principal } from '../access';
import { agenciesInCharge, findAgency, findLeader, type Directory } from '../directory';
import { UnauthenticatedError } from '../errors';
import { HttpError } from './errors';

// Authentication only: a bearer token becomes a Principal with its person. What a principal may see or do is
// src/access.
export type { Person, Principal } from '../access';

const unauthenticated = () => new UnauthenticatedError('需要有效的访问令牌（Bearer token）');

export const roleSchema = z.string().regex(/^(bureau|operator|agency:[a-z0-9-]+|leader:[a-z0-9-]+)$/);

const tokenEntrySchema = z
  .object({
    /** sha256 of the token, hex: tokens are never stored in clear. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    role: roleSchema,
    /** The person holding the token, as the timeline and the logs name them (`label` is the older spelling). */
    name: z.string().min(1).max(100).optional(),
    label: z.string().optional(),
    /** A stable id for the person (staff number); the hash's first 12 digits when omitted. */
    id: z.string().min(1).max(64).optional(),
    /** After this instant the token is refused. */
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((t) => t.name ?? t.label, { message: 'each token names its person (name)', path: ['name'] });

const tokensFileSchema = z.object({ tokens: z.array(tokenEntrySchema).min(1) });

/** A missing, unreadable or malformed tokens file stops the start with a message naming the file and each problem. */
export function readTokensFile(file: string): z.infer<typeof tokensFileSchema> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read tokens file ${file}: ${(err as Error).message}`);
  }
  const parsed = tokensFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `tokens file ${file} is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export interface Authenticator {
  authenticate(token: string): Principal | undefined;
  readonly mode: 'development' | 'configured';
  /** Re-reads the tokens file (SIGHUP, or a change seen by the watcher); a broken file keeps the previous tokens. */
  reload(): void;
  /** Stops watching the tokens file. */
  close(): void;
}

export function principalFor(role: string, directory: Directory): Principal | undefined {
  if (role === 'bureau') return { role: 'bureau' };
  if (role === 'operator') return { role: 'operator' };
  const [kind, id] = role.split(':', 2) as [string, string];
  if (kind === 'agency' && findAgency(directory, id)) return { role: 'agency', agencyId: id };
  if (kind === 'leader' && findLeader(directory, id))
    return { role: 'leader', leaderId: id, agencyIds: agenciesInCharge(directory, id) };
  return undefined;
}

interface Entry {
  hash: Buffer;
  role: string;
  person: Person;
  expiresAt?: number;
}

const entriesOf = (file: string): Entry[] =>
  readTokensFile(file).tokens.map((t) => ({
    hash: Buffer.from(t.sha256, 'hex'),
    role: t.role,
    person: { id: t.id ?? t.sha256.slice(0, 12), name: (t.name ?? t.label)! },
    ...(t.expiresAt ? { expiresAt: Date.parse(t.expiresAt) } : {}),
  }));

/**
 * Tokens from a file of hashes (production), or the documented development tokens (embedded default only). With
 * `watch`, a changed tokens file is picked up without a restart (as is SIGHUP, wired by the API's entry point).
 */
export function createAuthenticator(opts: {
  directory: Directory;
  tokensFile?: string;
  production: boolean;
  watch?: boolean;
  now?: () => number;
  log?: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}): Authenticator {
  const now = opts.now ?? Date.now;
  if (opts.tokensFile) {
    const file = opts.tokensFile;
    let entries = entriesOf(file);
    const reload = () => {
      try {
        entries = entriesOf(file);
        opts.log?.info({ file, tokens: entries.length }, 'tokens file reloaded');
      } catch (err) {
        opts.log?.error(
          { file, error: (err as Error).message },
          'tokens file not reloaded: keeping the previous tokens',
        );
      }
    };
    if (opts.watch) watchFile(file, { interval: 1000 }, reload);
    return {
      mode: 'configured',
      authenticate(token) {
        const h = Buffer.from(hashToken(token), 'hex');
        const hit = entries.find((e) => timingSafeEqual(e.hash, h));
        if (!hit) return undefined;
        if (hit.expiresAt !== undefined && now() >= hit.expiresAt) return undefined;
        const p = principalFor(hit.role, opts.directory);
        return p && { ...p, person: hit.person };
      },
      reload,
      close() {
        if (opts.watch) unwatchFile(file, reload);
      },
    };
  }
  if (opts.production) throw new Error('production requires a tokens file; development tokens are refused');
  // A development token stands for a made-up person of its role, named in Chinese like everyone on the record.
  const devName = (p: Principal): string =>
    p.role === 'bureau'
      ? '县司法局'
      : p.role === 'operator'
        ? '运维值班员'
        : p.role === 'agency'
          ? (findAgency(opts.directory, p.agencyId)?.name ?? '涉诉行政机关')
          : (findLeader(opts.directory, p.leaderId)?.name ?? '分管县领导');
  const dev = (p: Principal | undefined, token: string): Principal | undefined =>
    p && { ...p, person: { id: token, name: `${devName(p)}（开发）` } };
  return {
    mode: 'development',
    authenticate(token) {
      if (token === 'dev-bureau') return dev({ role: 'bureau' }, token);
      if (token === 'dev-operator') return dev({ role: 'operator' }, token);
      let m = /^dev-agency-([a-z0-9-]+)$/.exec(token);
      if (m) return dev(principalFor(`agency:${m[1]}`, opts.directory), token);
      m = /^dev-leader-([a-z0-9-]+)$/.exec(token);
      if (m) return dev(principalFor(`leader:${m[1]}`, opts.directory), token);
      return undefined;
    },
    reload() {},
    close() {},
  };
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/**
 * Failed authentications per client address: past `max` within `windowMs` the address is answered 429 with
 * Retry-After until the window has passed, so tokens cannot be guessed at speed.
 */
export function failedAuthLimiter(opts: { max?: number; windowMs?: number; now?: () => number } = {}) {
  const max = opts.max ?? 20;
  const windowMs = opts.windowMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const failures = new Map<string, number[]>();
  const recent = (ip: string): number[] => {
    const t = now();
    const kept = (failures.get(ip) ?? []).filter((at) => t - at < windowMs);
    if (kept.length) failures.set(ip, kept);
    else failures.delete(ip);
    return kept;
  };
  return {
    /** Throws 429 when the address has failed too often; call before checking the token. */
    check(ip: string): void {
      const kept = recent(ip);
      if (kept.length >= max) {
        const retryAfter = Math.max(1, Math.ceil((kept[0]! + windowMs - now()) / 1000));
        throw Object.assign(new HttpError(429, 'too_many_failed_authentications', '认证失败次数过多，请稍后再试'), {
          retryAfter,
        });
      }
    },
    fail(ip: string): void {
      const kept = recent(ip);
      kept.push(now());
      failures.set(ip, kept);
      // A bound on memory: the oldest addresses go first.
      if (failures.size > 10_000) failures.delete(failures.keys().next().value!);
    },
  };
}

export type FailedAuthLimiter = ReturnType<typeof failedAuthLimiter>;

export function requireAuth(auth: Authenticator, limiter: FailedAuthLimiter = failedAuthLimiter()): RequestHandler {
  return (req, res, next) => {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    try {
      limiter.check(ip);
    } catch (err) {
      res.set('Retry-After', String((err as { retryAfter: number }).retryAfter));
      return next(err);
    }
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S{1,512})$/i.exec(header);
    const principal = m ? auth.authenticate(m[1]!) : undefined;
    if (!principal) {
      limiter.fail(ip);
      return next(unauthenticated());
    }
    req.principal = principal;
    next();
  };
}

export function principalOf(req: { principal?: Principal }): Principal {
  if (!req.principal) throw unauthenticated();
  return req.principal;
}
