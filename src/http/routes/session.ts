import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { UnauthenticatedError } from '../../errors';
import { parseOr400 } from '../errors';
import { registerRoute } from '../openapi';
import {
  clearSessionCookie,
  CrossSiteRequestError,
  isSameOrigin,
  personOf,
  readCookie,
  SESSION_COOKIE,
  setSessionCookie,
  type People,
  type Person,
  type SessionStore,
} from '../session';

export const signInSchema = z.strictObject({
  token: z.string().trim().min(1, '请输入访问令牌').max(512, '访问令牌过长'),
});

export const personSchema = z
  .object({
    name: z.string().describe('the person, e.g. 县司法局（开发）'),
    role: z.string().describe('bureau, operator, agency:<id> or leader:<id>'),
    roleName: z.string().describe('the role in Chinese'),
    principal: z.object({ role: z.enum(['bureau', 'operator', 'agency', 'leader']) }).passthrough(),
  })
  .openapi('Person');
const sessionBodySchema = z.object({ person: personSchema }).openapi('Session');
export const providersSchema = z
  .object({
    token: z.boolean().describe('sign-in with an access token'),
    development: z.boolean().describe('the documented development tokens are accepted (never in production)'),
    oidc: z.object({ enabled: z.boolean(), loginUrl: z.string().optional(), name: z.string().optional() }),
  })
  .openapi('SignInProviders');

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

registerRoute({
  method: 'post',
  path: '/api/session',
  public: true,
  summary: '登录 Sign in with an access token',
  description:
    'Validates the token as the API does for `Authorization: Bearer`, creates a server-side session and sets the httpOnly, SameSite=Strict cookie `yingsu_session`. The token is never put in a URL.',
  request: { body: { content: { 'application/json': { schema: signInSchema } } } },
  responses: {
    201: json(sessionBodySchema, 'signed in; Set-Cookie yingsu_session'),
    400: json(z.object({}), 'no token'),
    401: json(z.object({}), 'the token is not valid'),
  },
});
registerRoute({
  method: 'get',
  path: '/api/session',
  summary: '当前登录人 The signed-in person',
  responses: { 200: json(sessionBodySchema, 'the person of the session cookie (or the bearer token)') },
});
registerRoute({
  method: 'delete',
  path: '/api/session',
  summary: '退出登录 Sign out',
  description: 'Ends the session and clears the cookie. Idempotent.',
  responses: { 204: { description: 'signed out' }, 403: json(z.object({}), 'cross-site request') },
});
registerRoute({
  method: 'get',
  path: '/api/session/providers',
  public: true,
  summary: '登录方式 How people may sign in (token; OIDC single sign-on when configured)',
  responses: { 200: json(providersSchema, 'sign-in providers') },
});

export interface SessionRouterDeps {
  sessions: SessionStore;
  people: People;
  /** The API's authentication (session cookie or bearer) for the routes that need a signed-in caller. */
  authenticate: RequestHandler;
  oidcEnabled: boolean;
  /** The development tokens are accepted: the sign-in page may list them as hints. */
  development: boolean;
  allowedOrigins?: string[];
}

/** Mounted before authentication: signing in is how one becomes authenticated. */
export function sessionRouter(deps: SessionRouterDeps): Router {
  const router = Router();
  router.post('/session', async (req, res) => {
    // A cross-site page must not sign a browser in as someone else (login CSRF).
    if ((req.get('origin') || req.get('sec-fetch-site')) && !isSameOrigin(req, deps.allowedOrigins))
      throw new CrossSiteRequestError();
    const { token } = parseOr400(signInSchema, req.body ?? {}, 'body');
    const person = deps.people.fromToken(token);
    if (!person) throw new UnauthenticatedError('访问令牌无效，请检查后重试');
    const value = await deps.sessions.create(person, 'token');
    setSessionCookie(req, res, value);
    res.status(201).json({ person: view(person) });
  });
  router.get('/session/providers', (_req, res) => {
    res.json({
      token: true,
      development: deps.development,
      oidc: deps.oidcEnabled
        ? { enabled: true, loginUrl: '/auth/oidc/login', name: '统一身份认证' }
        : { enabled: false },
    });
  });
  router.get('/session', deps.authenticate, (req, res) => {
    res.json({ person: view(personOf(req, deps.people)) });
  });
  router.delete('/session', deps.authenticate, async (req, res) => {
    const value = readCookie(req, SESSION_COOKIE);
    if (value) await deps.sessions.destroy(value);
    clearSessionCookie(req, res);
    res.status(204).end();
  });
  return router;
}

const view = (p: Person) => ({ name: p.name, role: p.role, roleName: p.roleName, principal: p.principal });
