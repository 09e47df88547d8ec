// The HTTP skeleton every feature router is mounted into: health, readiness, metrics, errors and authentication.
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import request from 'supertest';
import { loadDirectory } from '../../src/directory';
import { createAuthenticator } from '../../src/http/auth';
import { createApp } from '../../src/server';
import { freePort } from '../support/dev-server';

const directory = loadDirectory();
const auth = createAuthenticator({ directory, production: false });
const log = pino({ level: 'silent' });
const connections: Connection[] = [];

function appWith(connection: Connection) {
  connections.push(connection);
  return createApp({ client: new Client({ connection }), namespace: 'default', directory, auth, log, routers: [] });
}

let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  app = appWith(await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! }));
});

afterAll(async () => {
  await Promise.allSettled(connections.map((c) => c.close()));
});

test('GET /healthz answers 200 while the process is up', async () => {
  const res = await request(app).get('/healthz');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: 'ok' });
});

test('GET /readyz answers 200 when Temporal answers', async () => {
  const res = await request(app).get('/readyz');
  expect(res.status).toBe(200);
  expect(res.body.status).toBe('ready');
});

test('GET /readyz answers 503 and says why when Temporal is unreachable', async () => {
  const closed = await freePort();
  const down = appWith(Connection.lazy({ address: `127.0.0.1:${closed}` }));
  const t0 = Date.now();
  const res = await request(down).get('/readyz');
  expect(res.status).toBe(503);
  expect(res.body).toEqual({ status: 'unavailable', reason: 'Temporal is not reachable' });
  // A probe must answer within its own timeout, not hang on a retrying connection.
  expect(Date.now() - t0).toBeLessThan(5_000);
  // The process itself is still healthy: only readiness depends on Temporal.
  expect((await request(down).get('/healthz')).status).toBe(200);
});

test('GET /metrics is Prometheus text that counts HTTP requests by route and status', async () => {
  await request(app).get('/healthz');
  const res = await request(app).get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  expect(res.text).toContain('# TYPE yingsu_http_requests_total counter');
  expect(res.text).toMatch(/yingsu_http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/);
  expect(res.text).toContain('yingsu_http_request_duration_seconds_bucket');
});

test('an unknown route answers 404 with the JSON error body', async () => {
  const res = await request(app).get('/no/such/route');
  expect(res.status).toBe(404);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
});

test('a malformed JSON body to an /api route answers 400 without a stack trace', async () => {
  const res = await request(app)
    .post('/api/cases')
    .set('authorization', 'Bearer dev-bureau')
    .set('content-type', 'application/json')
    .send('{"caseId": "2026-001", ');
  expect(res.status).toBe(400);
  expect(res.body).toEqual({ error: { code: 'malformed_json', message: '请求正文不是有效的 JSON' } });
  expect(res.text).not.toMatch(/SyntaxError|\bat .+\.(js|ts):\d+|node_modules/);
});

test('an /api route without a token answers 401, and so does one with an unknown token', async () => {
  const none = await request(app).get('/api/cases');
  expect(none.status).toBe(401);
  expect(none.body.error.code).toBe('unauthorized');
  const unknown = await request(app).get('/api/cases').set('authorization', 'Bearer not-a-token');
  expect(unknown.status).toBe(401);
});

test('the OpenAPI document is public', async () => {
  const res = await request(app).get('/api/openapi.json');
  expect(res.status).toBe(200);
  expect(res.body.openapi).toBe('3.1.0');
});
