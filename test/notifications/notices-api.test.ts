import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import request from 'supertest';
import { loadDirectory } from '../../src/directory';
import { createAuthenticator } from '../../src/http/auth';
import { createNoticesRouter } from '../../src/http/routes/notices';
import { RegistryStore } from '../../src/registry';
import { createApp } from '../../src/server';
import { caseState } from '../registry/fixtures';
import { tempDir } from '../support/dev-server';

const log = pino({ level: 'silent' });
const directory = loadDirectory();
let store: RegistryStore;
let dir: ReturnType<typeof tempDir>;
let connection: Connection;
let app: ReturnType<typeof createApp>;
const nrCase = `c-${randomUUID()}`;
const hrssCase = `c-${randomUUID()}`;

const row = (caseId: string, agencyId: string, recipient: string, kind = 'escalation') => ({
  key: `${caseId}/d1/${kind}/1`,
  caseId,
  dutyId: 'd1',
  kind,
  agencyId,
  recipient,
  channel: 'log',
  contactNo: -1,
  target: 'log',
  subject: '【逾期督办】',
  body: '正文',
  facts: { caseTitle: '某案', agencyId },
  requestedAt: '2026-03-10T00:00:00.000Z',
});

beforeAll(async () => {
  dir = tempDir('notices-api');
  store = await RegistryStore.open(`sqlite:${dir.path}/yingsu.db`);
  await store.recordCase({ state: caseState(nrCase) });
  await store.recordCase({ state: caseState(hrssCase, { agencyId: 'hrss', leaderId: 'vice-head-zhang' }) });
  await store.enqueueNoticeRows(`${nrCase}/d1/escalation/1`, [
    row(nrCase, 'natural-resources', 'leader:vice-head-li'),
    row(nrCase, 'natural-resources', 'bureau'),
  ]);
  await store.enqueueNoticeRows(`${hrssCase}/d1/escalation/1`, [row(hrssCase, 'hrss', 'agency:hrss')]);
  connection = Connection.lazy({ address: process.env.TEMPORAL_TEST_ADDRESS ?? '127.0.0.1:7233' });
  const client = new Client({ connection });
  const auth = createAuthenticator({ directory, production: false });
  app = createApp({
    client,
    namespace: 'default',
    directory,
    auth,
    log,
    routers: [createNoticesRouter({ store, directory })],
  });
});
afterAll(async () => {
  await connection.close();
  await store.close();
  dir.remove();
});

const get = (path: string, token: string) => request(app).get(path).set('authorization', `Bearer ${token}`);
const keysOf = (body: { notices: { caseId: string; recipient: string }[] }) =>
  body.notices.map((n) => `${n.caseId === nrCase ? 'nr' : 'hrss'}:${n.recipient}`).sort();

test('the bureau and the operator see every notice', async () => {
  for (const token of ['dev-bureau', 'dev-operator']) {
    const res = await get('/api/notices', token).expect(200);
    expect(keysOf(res.body)).toEqual(['hrss:agency:hrss', 'nr:bureau', 'nr:leader:vice-head-li']);
  }
});

test('an agency sees only the notices of its own cases', async () => {
  const res = await get('/api/notices', 'dev-agency-hrss').expect(200);
  expect(keysOf(res.body)).toEqual(['hrss:agency:hrss']);
  const other = await get(`/api/notices?caseId=${nrCase}`, 'dev-agency-hrss').expect(200);
  expect(other.body.notices).toEqual([]);
});

test('a leader sees the notices of the agencies in charge', async () => {
  const res = await get('/api/notices', 'dev-leader-vice-head-li').expect(200);
  expect(keysOf(res.body)).toEqual(['nr:bureau', 'nr:leader:vice-head-li']);
});

test('filters by case, recipient and status', async () => {
  const res = await get(`/api/notices?caseId=${nrCase}&recipient=bureau&status=pending`, 'dev-bureau').expect(200);
  expect(res.body.notices).toEqual([
    expect.objectContaining({ caseId: nrCase, recipient: 'bureau', status: 'pending', attempts: 0 }),
  ]);
  const none = await get('/api/notices?status=delivered', 'dev-bureau').expect(200);
  expect(none.body.notices).toEqual([]);
});

test('a bad query answers 400 with every issue', async () => {
  const res = await get('/api/notices?status=lost&recipient=nobody&extra=1', 'dev-bureau').expect(400);
  expect(res.body.error.code).toBe('invalid_request');
  const paths = res.body.error.issues.map((i: { path: string[] }) => i.path.join('.')).sort();
  expect(paths).toEqual(expect.arrayContaining(['recipient', 'status']));
  expect(res.body.error.issues.length).toBeGreaterThanOrEqual(3);
});

test("the case record is the registry copy, and someone else's case answers 404 like a missing one", async () => {
  const own = await get(`/api/cases/${nrCase}/record`, 'dev-agency-natural-resources').expect(200);
  expect(own.body.case).toMatchObject({ id: nrCase, plaintiff: '张某', stage: 'in-suit' });
  expect(own.body.notices).toHaveLength(2);
  const hidden = await get(`/api/cases/${nrCase}/record`, 'dev-agency-hrss').expect(404);
  const missing = await get(`/api/cases/c-missing/record`, 'dev-agency-hrss').expect(404);
  expect(hidden.body.error.code).toBe(missing.body.error.code);
  await request(app).get(`/api/cases/${nrCase}/record`).expect(401);
});

test('both routes are in the OpenAPI document', async () => {
  const res = await request(app).get('/api/openapi.json').expect(200);
  expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/notices', '/api/cases/{caseId}/record']));
});
