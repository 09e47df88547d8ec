import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import * as oidc from 'openid-client';
import { roleSchema } from './auth';
import { ForbiddenError, UnauthenticatedError, UnavailableError } from '../errors';
import type { Logger } from '../log';
import { readCookie, setSessionCookie, type People, type SessionStore } from './session';

// OIDC sign-in (authorization code flow with PKCE, state and nonce) as the way to the county's single sign-on. The
// provider says who the person is (the `name` claim) and which role they hold (YINGSU_OIDC_ROLE_CLAIM, e.g.
// `agency:hrss`); a successful callback creates the same session a token sign-in does and redirects to the console.

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  roleClaim: string;
  /** The console's public base URL; the redirect URI is `<publicUrl>/auth/oidc/callback`. */
  publicUrl: string;
}

const TXN_COOKIE = 'yingsu_oidc';
const TXN_TTL_MS = 10 * 60_000;

interface LoginTransaction {
  state: string;
  nonce: string;
  codeVerifier: string;
  createdAt: number;
}

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/** The login and callback routes, mounted at the root. */
export class OidcSignIn {
  private config?: Promise<oidc.Configuration>;
  /** Transactions by the random value of the browser's `yingsu_oidc` cookie: a callback belongs to the browser that began it. */
  private readonly transactions = new Map<string, LoginTransaction>();

  constructor(
    private readonly settings: OidcSettings,
    private readonly sessions: SessionStore,
    private readonly people: People,
    private readonly log: Logger,
  ) {}

  get redirectUri(): string {
    return `${this.settings.publicUrl}/auth/oidc/callback`;
  }

  /** Discovery on first use, retried on the next sign-in if the provider was down. */
  private configuration(): Promise<oidc.Configuration> {
    this.config ??= (async () => {
      const issuer = new URL(this.settings.issuer);
      // Plain http only for a provider on this machine (development, tests); anything else must be https.
      const options =
        issuer.protocol === 'http:' && isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined;
      const auth = this.settings.clientSecret ? oidc.ClientSecretPost(this.settings.clientSecret) : oidc.None();
      return oidc.discovery(issuer, this.settings.clientId, this.settings.clientSecret, auth, options);
    })().catch((err: unknown) => {
      this.config = undefined;
      this.log.warn(
        { err: { message: (err as Error).message }, issuer: this.settings.issuer },
        'OIDC discovery failed',
      );
      throw new UnavailableError('统一身份认证服务暂时无法访问，请稍后重试或使用访问令牌登录');
    });
    return this.config;
  }

  router(): Router {
    const router = Router();
    router.get('/auth/oidc/login', async (req, res) => {
      const config = await this.configuration();
      this.sweep();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const txn: LoginTransaction = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier,
        createdAt: Date.now(),
      };
      const key = randomBytes(24).toString('base64url');
      this.transactions.set(key, txn);
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: this.redirectUri,
        scope: 'openid profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: txn.state,
        nonce: txn.nonce,
      });
      // Lax, not Strict: the provider's redirect back is a cross-site navigation, which must carry this cookie.
      res.cookie(TXN_COOKIE, key, {
        httpOnly: true,
        sameSite: 'lax',
        path: '/auth/oidc',
        maxAge: TXN_TTL_MS,
        secure: req.secure,
      });
      res.redirect(302, url.href);
    });

    router.get('/auth/oidc/callback', async (req, res) => {
      const key = readCookie(req, TXN_COOKIE);
      const txn = key ? this.transactions.get(key) : undefined;
      if (key) this.transactions.delete(key);
      res.clearCookie(TXN_COOKIE, { path: '/auth/oidc' });
      if (!txn || Date.now() - txn.createdAt > TXN_TTL_MS)
        throw new UnauthenticatedError('登录请求已失效，请从工作台重新发起统一身份认证登录');
      const config = await this.configuration();
      let claims: Record<string, unknown>;
      try {
        const tokens = await oidc.authorizationCodeGrant(config, this.callbackUrl(req), {
          pkceCodeVerifier: txn.codeVerifier,
          expectedState: txn.state,
          expectedNonce: txn.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims()!;
        claims = { ...idClaims };
        if (claims[this.settings.roleClaim] === undefined || claims.name === undefined) {
          // Providers conforming to OIDC put profile claims in userinfo, not in the ID token of a code flow.
          claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)), ...claims };
        }
      } catch (err) {
        this.log.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'OIDC callback refused');
        throw new UnauthenticatedError('统一身份认证登录失败，请重新登录');
      }
      const role = roleSchema.safeParse(claims[this.settings.roleClaim]);
      const sub = String(claims.sub);
      const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : sub;
      const person = role.success ? this.people.fromRole(role.data, name) : undefined;
      if (!person) {
        this.log.warn({ sub, claim: this.settings.roleClaim }, 'OIDC sign-in without a known role');
        throw new ForbiddenError(
          `统一身份认证未授予本平台角色（${this.settings.roleClaim}），请联系县司法局开通`,
          'no_role',
        );
      }
      const value = await this.sessions.create(person, 'oidc', sub);
      setSessionCookie(req, res, value);
      res.redirect(302, '/');
    });
    return router;
  }

  /** The URL the provider redirected to, as the client library checks it against the redirect URI. */
  private callbackUrl(req: Request): URL {
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    return new URL(`${this.redirectUri}${query}`);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, t] of this.transactions) if (now - t.createdAt > TXN_TTL_MS) this.transactions.delete(k);
  }
}
