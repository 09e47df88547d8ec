import { randomUUID } from 'node:crypto';
import { startStack, eventually } from '../e2e/stack';
import { listen, raw, type RawAnswer } from './http';

// Every role against every endpoint, on its own case, on a foreign case and on a missing one. A foreign case must
// answer exactly like a missing one (status and body, the id aside), and no list may carry a foreign case.
jest.setTimeout(180_000);

let s: Awaited<ReturnType<typeof startStack>>;
let http: Awaited<ReturnType<typeof listen>>;
const run = randomUUID().slice(0, 8);
// Case A: natural-resources (leader vice-head-li). Case B: hrss (leader vice-head-zhang).
const A = `AM-${run}-a`;
const B = `AM-${run}-b`;
const MISSING = `AM-${run}-m`;
const DAY = 86_400_000;

type Sees = 'all' | 'A' | 'B';
const roles: { name: string; token: string; sees: Sees }[] = [
  { name: 'bureau', token: 'dev-bureau', sees: 'all' },
  { name: 'operator', token: 'dev-operator', sees: 'all' },
  { name: 'agency (A own, B foreign)', token: 'dev-agency-natural-resources', sees: 'A' },
  { name: 'agency (B own, A foreign)', token: 'dev-agency-hrss', sees: 'B' },
  { name: 'leader in charge of A', token: 'dev-leader-vice-head-li', sees: 'A' },
  { name: 'leader in charge of B', token: 'dev-leader-vice-head-zhang', sees: 'B' },
];
let checks = 0;

let fivexx = 0;
const call = async (token: string | undefined, method: string, path: string, body?: unknown) => {
  const a = await raw(http.port, method, path, {
    token,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (a.status >= 500) fivexx += 1;
  return a;
};
/** The answer with a case's id replaced, so a foreign case's answer compares with a missing case's. */
const shape = (a: RawAnswer, id: string) => ({ status: a.status, body: a.text.split(id).join('<id>') });
const mentions = (a: RawAnswer, id: string) => a.text.includes(id);

beforeAll(async () => {
  s = await startStack();
  http = await listen(s.app);
  const reg = (caseId: string, agencyId: string) => ({
    caseId,
    title: '权限矩阵测试案',
    agencyId,
    field: 'other',
    plaintiff: '某己',
    // Lapsed at once: both cases have overdue duties and notices to (not) leak.
    trigger: { type: 'response-notice', receivedAt: new Date(Date.now() - 20 * DAY).toISOString() },
  });
  expect((await call('dev-bureau', 'POST', '/api/cases', reg(A, 'natural-resources'))).status).toBe(201);
  expect((await call('dev-bureau', 'POST', '/api/cases', reg(B, 'hrss'))).status).toBe(201);
  // Wait until the registry holds both records, notices and duties, and visibility lists both.
  await eventually(async () => {
    const n = await s.store.listNotices({});
    // Any notice will do: since issue 11 an escalation waits for working hours (none at night or on a rest day).
    const ok = [A, B].every((id) => n.some((r) => r.caseId === id));
    const listed = (await call('dev-bureau', 'GET', `/api/cases?limit=1000`)).json as { cases: { caseId: string }[] };
    return ok && [A, B].every((id) => listed.cases.some((c) => c.caseId === id)) ? true : undefined;
  }, 60_000);
}, 120_000);
afterAll(async () => {
  await http?.close();
  await s?.stop();
  // eslint-disable-next-line no-console
  console.log(
    `access-matrix: ${roles.length} roles × 7 endpoints × own/foreign/missing: ${checks} checks, 5xx seen = ${fivexx}`,
  );
  expect(fivexx).toBe(0);
});

describe.each(roles)('$name', (role) => {
  const visible = (id: string) => role.sees === 'all' || (role.sees === 'A' ? id === A : id === B);
  const foreign = role.sees === 'A' ? B : role.sees === 'B' ? A : undefined;

  test('reads a case, its record and sends events only where allowed; a foreign case answers like a missing one', async () => {
    for (const id of [A, B]) {
      const [get, rec] = [
        await call(role.token, 'GET', `/api/cases/${id}`),
        await call(role.token, 'GET', `/api/cases/${id}/record`),
      ];
      expect(get.status).toBe(visible(id) ? 200 : 404);
      expect(rec.status).toBe(visible(id) ? 200 : 404);
      checks += 2;
    }
    // Commands: one that repeats without limit on a case in suit, which the agency and the bureau may send.
    const event = { type: 'self-correction', description: '权限矩阵：补正送达程序' };
    const ownId = role.sees === 'B' ? B : A;
    const own = await call(role.token, 'POST', `/api/cases/${ownId}/events`, event);
    const kind = role.token.split('-')[1] as 'bureau' | 'operator' | 'agency' | 'leader';
    expect([role.name, own.status]).toEqual([
      role.name,
      { bureau: 200, operator: 403, agency: 200, leader: 409 }[kind],
    ]);
    checks += 1;
    if (foreign) {
      for (const [method, suffix, body] of [
        ['GET', '', undefined],
        ['GET', '/record', undefined],
        ['POST', '/events', event],
        ['POST', '/events', { type: 'no-such-event' }],
      ] as const) {
        const f = await call(role.token, method, `/api/cases/${foreign}${suffix}`, body);
        const m = await call(role.token, method, `/api/cases/${MISSING}${suffix}`, body);
        // 👉 Same status, same body: the caller cannot tell a foreign case from a missing one.
        expect(shape(f, foreign)).toEqual(shape(m, MISSING));
        expect(f.status).toBeLessThan(500);
        checks += 1;
      }
    } else {
      const m = await call(role.token, 'GET', `/api/cases/${MISSING}`);
      expect(m.status).toBe(404);
      checks += 1;
    }
  });

  test('lists (cases, duties, notices) carry only the cases the role may see, filters included', async () => {
    for (const path of [
      '/api/cases?limit=1000',
      '/api/duties?limit=1000',
      '/api/notices?limit=1000',
      `/api/notices?caseId=${A}`,
      `/api/notices?caseId=${B}`,
      '/api/cases?agencyId=hrss',
      '/api/cases?agencyId=natural-resources',
      '/api/duties?owner=agency:hrss',
      '/api/duties?owner=agency:natural-resources',
    ]) {
      const a = await call(role.token, 'GET', path);
      expect([path, a.status]).toEqual([path, 200]);
      for (const id of [A, B]) expect([path, id, mentions(a, id)]).toEqual([path, id, visible(id) && mentions(a, id)]);
      checks += 1;
    }
    // What may be seen is actually there: the lists are not empty by accident.
    const cases = await call(role.token, 'GET', '/api/cases?limit=1000');
    for (const id of [A, B]) if (visible(id)) expect(mentions(cases, id)).toBe(true);
  });

  test('the OpenAPI document is public and the same for every role', async () => {
    const mine = await call(role.token, 'GET', '/api/openapi.json');
    const anon = await call(undefined, 'GET', '/api/openapi.json');
    expect(mine.status).toBe(200);
    expect(mine.text).toBe(anon.text);
    expect(mentions(mine, A) || mentions(mine, B)).toBe(false);
    checks += 1;
  });
});

test('without a token every case endpoint answers 401, whether the case exists or not', async () => {
  for (const id of [A, MISSING]) {
    for (const [method, suffix] of [
      ['GET', ''],
      ['GET', '/record'],
      ['POST', '/events'],
    ] as const) {
      const a = await call(
        undefined,
        method,
        `/api/cases/${id}${suffix}`,
        method === 'POST' ? { type: 'self-correction', description: 'x' } : undefined,
      );
      expect(shape(a, id)).toEqual({
        status: 401,
        body: '{"error":{"code":"unauthorized","message":"需要有效的访问令牌（Bearer token）"}}',
      });
      checks += 1;
    }
  }
  for (const path of ['/api/cases', '/api/duties', '/api/notices'])
    expect((await call(undefined, 'GET', path)).status).toBe(401);
});
