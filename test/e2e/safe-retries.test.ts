import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { createAuthenticator, failedAuthLimiter } from '../../src/http/auth';
import { casesRouter } from '../../src/http/routes/cases';
import { CaseService } from '../../src/services/cases';
import { createApp } from '../../src/server';
import { directory, silentLog } from '../cases/case-env';
import { freePort } from '../support/dev-server';
import { bearer, startStack } from './stack';

// Retries that are safe, and failures that say what they are.
let s: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  s = await startStack();
}, 120_000);
afterAll(async () => {
  await s?.stop();
});

const registration = (caseId: string) => ({
  caseId,
  title: '某丙诉县自然资源局行政处罚案',
  agencyId: 'natural-resources',
  field: 'land-taking',
  plaintiff: '某丙',
  trigger: { type: 'oral-notice', receivedAt: new Date().toISOString() },
});
const feedback = { type: 'presuit-feedback', summary: '已与当事人沟通' };

test('a registration retried with its Idempotency-Key answers what the first call answered', async () => {
  const caseId = `IK-${randomUUID().slice(0, 8)}`;
  const key = randomUUID();
  const body = registration(caseId);
  const post = () => request(s.app).post('/api/cases').set(bearer('dev-bureau')).set('Idempotency-Key', key).send(body);
  const first = await post().expect(201);
  const again = await post().expect(201);
  expect(again.headers['idempotent-replayed']).toBe('true');
  expect(again.body).toEqual(first.body);
  // Without the key, the same registration is the duplicate it is.
  await request(s.app).post('/api/cases').set(bearer('dev-bureau')).send(body).expect(409);
});

test('an event retried with its key runs once: one timeline entry, the same answer', async () => {
  const caseId = `IK-${randomUUID().slice(0, 8)}`;
  await request(s.app).post('/api/cases').set(bearer('dev-bureau')).send(registration(caseId)).expect(201);
  const key = randomUUID();
  const send = () =>
    request(s.app)
      .post(`/api/cases/${caseId}/events`)
      .set(bearer('dev-agency-natural-resources'))
      .set('Idempotency-Key', key)
      .send(feedback);
  const first = await send().expect(200);
  const again = await send().expect(200);
  expect(again.body).toEqual(first.body);
  const state = await s.cases.get(caseId, { role: 'bureau' });
  expect(state.timeline.filter((t) => t.type === 'presuit-feedback')).toHaveLength(1);
});

test('the same key with another body is refused with 422 and a Chinese reason, and changes nothing', async () => {
  const caseId = `IK-${randomUUID().slice(0, 8)}`;
  await request(s.app).post('/api/cases').set(bearer('dev-bureau')).send(registration(caseId)).expect(201);
  const key = randomUUID();
  const url = `/api/cases/${caseId}/events`;
  const as = bearer('dev-agency-natural-resources');
  await request(s.app).post(url).set(as).set('Idempotency-Key', key).send(feedback).expect(200);
  const other = await request(s.app)
    .post(url)
    .set(as)
    .set('Idempotency-Key', key)
    .send({ ...feedback, summary: '另一份反馈' })
    .expect(422);
  expect(other.body.error).toMatchObject({
    code: 'idempotency_key_reused',
    message: expect.stringMatching(/Idempotency-Key/),
  });
  const state = await s.cases.get(caseId, { role: 'bureau' });
  expect(state.timeline.filter((t) => t.type === 'presuit-feedback')).toHaveLength(1);
});

test('a command whose answer was lost runs once when retried: the update id comes from the key', async () => {
  const caseId = `IK-${randomUUID().slice(0, 8)}`;
  await request(s.app).post('/api/cases').set(bearer('dev-bureau')).send(registration(caseId)).expect(201);
  const agency = { role: 'agency' as const, agencyId: 'natural-resources' };
  // As after an API crash between Temporal's answer and ours: the service is called again with the same update id.
  const a = await s.cases.applyEvent(caseId, feedback as never, agency, { key: 'idem-lost-answer' });
  const b = await s.cases.applyEvent(caseId, feedback as never, agency, { key: 'idem-lost-answer' });
  expect(b.timeline).toEqual(a.timeline);
  expect(a.timeline.filter((t) => t.type === 'presuit-feedback')).toHaveLength(1);
});

describe('Temporal unreachable or silent', () => {
  const connections: Connection[] = [];
  const silent: net.Server[] = [];
  afterAll(async () => {
    await Promise.allSettled(connections.map((c) => c.close()));
    for (const srv of silent) srv.close();
  });
  const appAt = (address: string, deadlineMs?: number) => {
    const connection = Connection.lazy({ address });
    connections.push(connection);
    const client = new Client({ connection });
    return createApp({
      client,
      namespace: 'default',
      directory,
      auth: createAuthenticator({ directory, production: false }),
      log: silentLog,
      routers: [casesRouter(new CaseService(client, directory))],
      ...(deadlineMs ? { temporalDeadlineMs: deadlineMs } : {}),
    });
  };

  test('a closed port answers 503 with Retry-After, never 500', async () => {
    const app = appAt(`127.0.0.1:${await freePort()}`, 3000);
    const res = await request(app).post('/api/cases').set(bearer('dev-bureau')).send(registration('IK-down'));
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.error.code).toBe('temporal_unavailable');
    const get = await request(app).get('/api/cases/IK-down').set(bearer('dev-bureau'));
    expect(get.status).toBe(503);
  }, 60_000);

  test('a frontend that accepts but never answers hits the deadline and answers 503', async () => {
    const srv = net.createServer(() => undefined);
    silent.push(srv);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const app = appAt(`127.0.0.1:${(srv.address() as net.AddressInfo).port}`, 1500);
    const t0 = Date.now();
    const res = await request(app).get('/api/cases/IK-silent').set(bearer('dev-bureau'));
    expect(res.status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(10_000);
  }, 60_000);
});

test('security headers are set (helmet)', async () => {
  const res = await request(s.app).get('/healthz').expect(200);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
  expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(res.headers['content-security-policy']).toContain("default-src 'self'");
});

test('the token is checked before the body is parsed', async () => {
  const res = await request(s.app).post('/api/cases').set('content-type', 'application/json').send('{ not json');
  expect(res.status).toBe(401);
});

test('failed authentications are rate-limited per address with Retry-After', async () => {
  const limiter = failedAuthLimiter({ max: 3, windowMs: 60_000 });
  const { requireAuth } = await import('../../src/http/auth');
  const express = (await import('express')).default;
  const app = express();
  app.use(requireAuth(createAuthenticator({ directory, production: false }), limiter));
  app.get('/x', (_req, res) => void res.json({ ok: true }));
  app.use(((
    err: { status?: number; statusCode?: number },
    _req: unknown,
    res: { status(n: number): { end(): void } },
    _next: unknown,
  ) => res.status(err.status ?? 401).end()) as never);
  for (let i = 0; i < 3; i++) await request(app).get('/x').set(bearer('wrong')).expect(401);
  const limited = await request(app).get('/x').set(bearer('wrong'));
  expect(limited.status).toBe(429);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  // Even a good token from that address waits out the window: guessing gains nothing by mixing in a real one.
  await request(app).get('/x').set(bearer('dev-bureau')).expect(429);
});
