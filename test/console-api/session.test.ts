import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import request from 'supertest';
import { createAuthenticator, hashToken } from '../../src/http/auth';
import { People } from '../../src/http/session';
import type { ConsoleDatabase } from '../../src/registry/console-migrations';
import { directory } from '../cases/case-env';
import { bearer, consoleApp, ORIGIN } from './app';

let clock = new Date('2026-03-02T01:00:00Z');
let s: Awaited<ReturnType<typeof consoleApp>>;
beforeAll(async () => {
  s = await consoleApp({ now: () => clock });
});
afterAll(async () => {
  await s.close();
});

const cookieOf = (res: request.Response): string => {
  const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const c = set.find((x) => x.startsWith('yingsu_session='));
  if (!c) throw new Error('no session cookie set');
  return c;
};
const sessionRows = () =>
  (s.store.db as unknown as Kysely<ConsoleDatabase>).selectFrom('sessions').selectAll().execute();

test('signing in with a token sets an httpOnly, SameSite=Strict cookie and answers the person in Chinese', async () => {
  const res = await request(s.app).post('/api/session').send({ token: 'dev-agency-natural-resources' });
  expect(res.status).toBe(201);
  expect(res.body.person).toEqual({
    name: '县自然资源局（开发）',
    role: 'agency:natural-resources',
    roleName: '县自然资源局',
    principal: {
      role: 'agency',
      agencyId: 'natural-resources',
      person: { id: 'dev-agency-natural-resources', name: '县自然资源局（开发）' },
    },
  });
  const cookie = cookieOf(res);
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  expect(cookie).toMatch(/Path=\//);
  expect(cookie).not.toMatch(/Secure/);
  // The cookie's value is not the token, and the registry keeps only its hash.
  const value = cookie.split(';')[0]!.split('=')[1]!;
  expect(value).not.toContain('dev-agency');
  const rows = await sessionRows();
  expect(rows.map((r) => r.id_hash)).not.toContain(value);

  const me = await request(s.app).get('/api/session').set('Cookie', cookie.split(';')[0]!);
  expect(me.status).toBe(200);
  expect(me.body.person.name).toBe('县自然资源局（开发）');
  // The cookie authenticates the API as a bearer token would.
  await request(s.app).get('/api/duties').set('Cookie', cookie.split(';')[0]!).expect(200);
});

test('over https the cookie is Secure', async () => {
  const res = await request(s.app).post('/api/session').set('X-Forwarded-Proto', 'https').send({ token: 'dev-bureau' });
  expect(cookieOf(res)).toMatch(/Secure/);
});

test('development tokens name people after their role; a token file names them by name or label', async () => {
  const bureau = await request(s.app).post('/api/session').send({ token: 'dev-bureau' });
  expect(bureau.body.person.name).toBe('县司法局（开发）');
  const leader = await request(s.app).post('/api/session').send({ token: 'dev-leader-vice-head-li' });
  expect(leader.body.person).toMatchObject({ name: '李副县长（开发）', role: 'leader:vice-head-li' });

  const dir = mkdtempSync(join(tmpdir(), 'yingsu-tokens-'));
  const file = join(dir, 'tokens.json');
  writeFileSync(
    file,
    JSON.stringify({
      tokens: [
        { sha256: hashToken('token-of-wang'), role: 'agency:hrss', label: 'hrss officer', name: '王法制科长' },
        { sha256: hashToken('token-of-label'), role: 'bureau', label: '县司法局行政应诉科' },
      ],
    }),
  );
  const auth = createAuthenticator({ directory, tokensFile: file, production: true });
  const people = new People(auth, directory, file);
  expect(people.fromToken('token-of-wang')).toMatchObject({
    name: '王法制科长',
    role: 'agency:hrss',
    roleName: '县人力资源和社会保障局',
  });
  expect(people.fromToken('token-of-label')?.name).toBe('县司法局行政应诉科');
  expect(people.fromToken('dev-bureau')).toBeUndefined();
});

test('a wrong token is refused in Chinese and creates no session; a missing token answers 400 with its path', async () => {
  const before = (await sessionRows()).length;
  const wrong = await request(s.app).post('/api/session').send({ token: 'not-a-token' });
  expect(wrong.status).toBe(401);
  expect(wrong.body.error.message).toBe('访问令牌无效，请检查后重试');
  expect(wrong.headers['set-cookie']).toBeUndefined();
  const missing = await request(s.app).post('/api/session').send({});
  expect(missing.status).toBe(400);
  expect(missing.body.error.issues.map((i: { path: string[] }) => i.path.join('.'))).toEqual(['token']);
  expect((await sessionRows()).length).toBe(before);
});

test('a token is never accepted in a URL', async () => {
  await request(s.app).get('/api/session?token=dev-bureau').expect(401);
  await request(s.app).get('/api/duties?access_token=dev-bureau').expect(401);
});

test('commands sent with the cookie must come from the same origin (CSRF); bearer callers are unaffected', async () => {
  const cookie = cookieOf(await request(s.app).post('/api/session').send({ token: 'dev-agency-hrss' })).split(';')[0]!;
  const list = () => request(s.app).get('/api/calendar/feeds').set('Cookie', cookie);
  const noOrigin = await request(s.app).post('/api/calendar/feeds').set('Cookie', cookie).send({});
  expect(noOrigin.status).toBe(403);
  expect(noOrigin.body.error.code).toBe('cross_site_request');
  expect(noOrigin.body.error.message).toMatch(/跨站请求被拒绝/);
  await request(s.app)
    .post('/api/calendar/feeds')
    .set('Cookie', cookie)
    .set('Origin', 'https://evil.example')
    .send({})
    .expect(403);
  await request(s.app)
    .post('/api/calendar/feeds')
    .set('Cookie', cookie)
    .set('Sec-Fetch-Site', 'cross-site')
    .send({})
    .expect(403);
  expect((await list()).body.feeds).toEqual([]);
  await request(s.app).post('/api/calendar/feeds').set('Cookie', cookie).set(ORIGIN).send({}).expect(201);
  await request(s.app)
    .post('/api/calendar/feeds')
    .set('Cookie', cookie)
    .set('Sec-Fetch-Site', 'same-origin')
    .send({})
    .expect(201);
  expect((await list()).body.feeds).toHaveLength(2);
  await request(s.app).post('/api/calendar/feeds').set(bearer('dev-agency-hrss')).send({}).expect(201);
  // Signing in from another site is refused too (login CSRF).
  await request(s.app)
    .post('/api/session')
    .set('Origin', 'https://evil.example')
    .send({ token: 'dev-bureau' })
    .expect(403);
});

test('signing out ends the session: the cookie no longer authenticates', async () => {
  const cookie = cookieOf(await request(s.app).post('/api/session').send({ token: 'dev-operator' })).split(';')[0]!;
  await request(s.app).delete('/api/session').set('Cookie', cookie).expect(403);
  const out = await request(s.app).delete('/api/session').set('Cookie', cookie).set(ORIGIN);
  expect(out.status).toBe(204);
  expect(String(out.headers['set-cookie'])).toMatch(/yingsu_session=;/);
  const after = await request(s.app).get('/api/session').set('Cookie', cookie);
  expect(after.status).toBe(401);
  expect(after.body.error.message).toBe('登录已过期或已退出，请重新登录');
});

test('a session expires after the idle period, and each use extends it', async () => {
  const cookie = cookieOf(await request(s.app).post('/api/session').send({ token: 'dev-bureau' })).split(';')[0]!;
  clock = new Date(clock.getTime() + 7 * 3_600_000);
  await request(s.app).get('/api/session').set('Cookie', cookie).expect(200);
  clock = new Date(clock.getTime() + 7 * 3_600_000);
  await request(s.app).get('/api/session').set('Cookie', cookie).expect(200);
  clock = new Date(clock.getTime() + 8 * 3_600_000 + 1000);
  await request(s.app).get('/api/session').set('Cookie', cookie).expect(401);
});

test('the console learns which sign-in methods exist, and the OpenAPI document lists the session routes', async () => {
  const p = await request(s.app).get('/api/session/providers');
  expect(p.body).toEqual({ token: true, development: true, oidc: { enabled: false } });
  const doc = (await request(s.app).get('/api/openapi.json')).body;
  expect(doc.paths['/api/session']).toHaveProperty('post');
  expect(doc.paths['/api/session']).toHaveProperty('delete');
  expect(doc.components.securitySchemes.session).toEqual({ type: 'apiKey', in: 'cookie', name: 'yingsu_session' });
});
