import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { consoleApp } from './app';

// OIDC sign-in against a real provider (oidc-provider) on a loopback port: discovery, authorization code with PKCE,
// state and nonce, token and userinfo requests all go over HTTP. The provider's login screen is replaced by a handler
// that signs in the account the test chose, so the protocol itself is untouched.

const accounts: Record<string, { name?: string; yingsu_role?: string }> = {
  wang: { name: '王法制科长', yingsu_role: 'agency:hrss' },
  nobody: { name: '未授权人员' },
  stranger: { name: '外县人员', yingsu_role: 'agency:no-such-agency' },
};
let signInAs = 'wang';

let idp: Server;
let appServer: Server;
let issuer: string;
let appUrl: string;
let s: Awaited<ReturnType<typeof consoleApp>>;

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

beforeAll(async () => {
  // oidc-provider's development-mode notices (in-memory adapter, generated keys) are expected here.
  for (const level of ['warn', 'info'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
  let appHandler: (req: IncomingMessage, res: ServerResponse) => void = (_q, r) => r.end();
  appServer = createServer((req, res) => appHandler(req, res));
  appUrl = `http://127.0.0.1:${await listen(appServer)}`;
  let idpHandler: (req: IncomingMessage, res: ServerResponse) => void = (_q, r) => r.end();
  idp = createServer((req, res) => idpHandler(req, res));
  issuer = `http://127.0.0.1:${await listen(idp)}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'yingsu',
        client_secret: 'yingsu-test-secret',
        redirect_uris: [`${appUrl}/auth/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], profile: ['name', 'yingsu_role'] },
    async findAccount(_ctx, sub) {
      if (!accounts[sub]) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...accounts[sub] }) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['yingsu-test-cookie-key'] },
  });
  const callback = provider.callback();
  idpHandler = (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({ accountId: signInAs, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: signInAs }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    })().catch((err: Error) => {
      res.statusCode = 500;
      res.end(err.message);
    });
  };
  s = await consoleApp({
    oidc: {
      issuer,
      clientId: 'yingsu',
      clientSecret: 'yingsu-test-secret',
      roleClaim: 'yingsu_role',
      publicUrl: appUrl,
    },
  });
  appHandler = s.app as unknown as typeof appHandler;
});
afterAll(async () => {
  await new Promise((r) => idp?.close(r));
  await new Promise((r) => appServer?.close(r));
  await s?.close();
});

/** A browser's cookie jar for 127.0.0.1 (cookies do not separate ports) and a redirect-following fetch. */
class Browser {
  cookies = new Map<string, { value: string; path: string }>();
  hops: URL[] = [];

  private header(url: URL): string {
    return [...this.cookies]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([n, c]) => `${n}=${c.value}`)
      .join('; ');
  }

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((x) => x.trim());
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const expired =
        attrs.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()) ||
        attrs.some((a) => /^max-age=0$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
  }

  /** Follows redirects until one leaves for `stopAt`-prefixed URLs or an answer is not a redirect. */
  async go(
    start: string,
    opts: { stopBefore?: (u: URL) => boolean; rewrite?: (u: URL) => URL } = {},
  ): Promise<{ res: Response; url: URL }> {
    let url = new URL(start);
    for (let i = 0; i < 20; i++) {
      this.hops.push(url);
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: this.header(url) } });
      this.store(res);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url };
      let next = new URL(location, url);
      if (opts.rewrite) next = opts.rewrite(next);
      if (opts.stopBefore?.(next)) return { res, url: next };
      url = next;
    }
    throw new Error('too many redirects');
  }
}

const atConsole = (u: URL) => u.origin === appUrl && u.pathname === '/';

test('OIDC sign-in: code flow with PKCE, state and nonce ends with a session cookie and a redirect to the console', async () => {
  signInAs = 'wang';
  const providers = (await fetch(`${appUrl}/api/session/providers`).then((r) => r.json())) as { oidc: unknown };
  expect(providers.oidc).toEqual({ enabled: true, loginUrl: '/auth/oidc/login', name: '统一身份认证' });
  const browser = new Browser();
  const { res, url } = await browser.go(`${appUrl}/auth/oidc/login`, { stopBefore: atConsole });
  expect(res.status).toBe(302);
  expect(url.pathname).toBe('/');
  const authorize = browser.hops.find((u) => u.origin === issuer && u.pathname === '/auth')!;
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(authorize.searchParams.get('state')).toBeTruthy();
  expect(authorize.searchParams.get('nonce')).toBeTruthy();
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${appUrl}/auth/oidc/callback`);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('yingsu_session='))!;
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Strict/);
  // No token or code ever reaches the console's own URL.
  expect(url.search).toBe('');
  const me = await fetch(`${appUrl}/api/session`, {
    headers: { cookie: `yingsu_session=${browser.cookies.get('yingsu_session')!.value}` },
  });
  expect(me.status).toBe(200);
  expect(((await me.json()) as { person: unknown }).person).toMatchObject({
    name: '王法制科长',
    role: 'agency:hrss',
    roleName: '县人力资源和社会保障局',
  });
});

test('a person whose provider grants no known role is refused in Chinese and gets no session', async () => {
  for (const [who, message] of [
    ['nobody', '统一身份认证未授予本平台角色（yingsu_role），请联系县司法局开通'],
    ['stranger', '统一身份认证未授予本平台角色（yingsu_role），请联系县司法局开通'],
  ] as const) {
    signInAs = who;
    const browser = new Browser();
    const { res, url } = await browser.go(`${appUrl}/auth/oidc/login`, { stopBefore: atConsole });
    expect(url.pathname).toBe('/auth/oidc/callback');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error).toEqual({ code: 'no_role', message });
    expect(browser.cookies.has('yingsu_session')).toBe(false);
  }
});

test('a callback with a forged state, or without the browser’s login transaction, is refused', async () => {
  signInAs = 'wang';
  const forged = new Browser();
  const { res } = await forged.go(`${appUrl}/auth/oidc/login`, {
    stopBefore: atConsole,
    rewrite: (u) => {
      if (u.pathname === '/auth/oidc/callback') u.searchParams.set('state', 'forged-state');
      return u;
    },
  });
  expect(res.status).toBe(401);
  expect(((await res.json()) as { error: { message: string } }).error.message).toBe('统一身份认证登录失败，请重新登录');
  expect(forged.cookies.has('yingsu_session')).toBe(false);

  // Another browser replaying the callback URL has no transaction cookie (login CSRF).
  const victim = new Browser();
  const first = new Browser();
  const { url } = await first.go(`${appUrl}/auth/oidc/login`, {
    stopBefore: (u) => u.pathname === '/auth/oidc/callback',
  });
  const replay = await victim.go(url.href, { stopBefore: atConsole });
  expect(replay.res.status).toBe(401);
  expect(((await replay.res.json()) as { error: { message: string } }).error.message).toBe(
    '登录请求已失效，请从工作台重新发起统一身份认证登录',
  );
  expect(victim.cookies.has('yingsu_session')).toBe(false);
});
