import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Principal } from '../access';
import { agenciesInCharge, findAgency, findLeader, type Directory } from '../directory';
import { UnauthenticatedError } from '../errors';

// Authentication only: a bearer token becomes a Principal. What a principal may see or do is src/access.
export type { Principal } from '../access';

const unauthenticated = () => new UnauthenticatedError('需要有效的访问令牌（Bearer token）');

export const roleSchema = z.string().regex(/^(bureau|operator|agency:[a-z0-9-]+|leader:[a-z0-9-]+)$/);

const tokensFileSchema = z.object({
  tokens: z
    .array(
      z.object({
        /** sha256 of the token, hex: tokens are never stored in clear. */
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        role: roleSchema,
        label: z.string().optional(),
        /** The person's name shown in the console (the label when absent). */
        name: z.string().optional(),
      }),
    )
    .min(1),
});

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

/** Tokens from a file of hashes (production), or the documented development tokens (embedded default only). */
export function createAuthenticator(opts: {
  directory: Directory;
  tokensFile?: string;
  production: boolean;
}): Authenticator {
  if (opts.tokensFile) {
    const parsed = readTokensFile(opts.tokensFile);
    const entries = parsed.tokens.map((t) => ({ hash: Buffer.from(t.sha256, 'hex'), role: t.role }));
    return {
      mode: 'configured',
      authenticate(token) {
        const h = Buffer.from(hashToken(token), 'hex');
        const hit = entries.find((e) => timingSafeEqual(e.hash, h));
        return hit ? principalFor(hit.role, opts.directory) : undefined;
      },
    };
  }
  if (opts.production) throw new Error('production requires a tokens file; development tokens are refused');
  return {
    mode: 'development',
    authenticate(token) {
      if (token === 'dev-bureau') return { role: 'bureau' };
      if (token === 'dev-operator') return { role: 'operator' };
      let m = /^dev-agency-([a-z0-9-]+)$/.exec(token);
      if (m) return principalFor(`agency:${m[1]}`, opts.directory);
      m = /^dev-leader-([a-z0-9-]+)$/.exec(token);
      if (m) return principalFor(`leader:${m[1]}`, opts.directory);
      return undefined;
    },
  };
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export function requireAuth(auth: Authenticator): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S{1,512})$/i.exec(header);
    const principal = m ? auth.authenticate(m[1]!) : undefined;
    if (!principal) return next(unauthenticated());
    req.principal = principal;
    next();
  };
}

export function principalOf(req: { principal?: Principal }): Principal {
  if (!req.principal) throw unauthenticated();
  return req.principal;
}
