import { randomUUID } from 'node:crypto';
import { startStack, eventually } from '../e2e/stack';
import { listen, raw, type RawAnswer } from './http';

// Every role against every endpoint (cases, records, commands, notices, reports), on its own case, a foreign one, a
// missing one and a closed one, against a written table of expected statuses. A foreign case must answer exactly like
// a missing one (status and body, the id aside), and every list carries exactly the cases the role may see.
jest.setTimeout(180_000);

let s: Awaited<ReturnType<typeof startStack>>;
let http: Awaited<ReturnType<typeof listen>>;
const run = randomUUID().slice(0, 8);
// Case A: natural-resources (leader vice-head-li). Case B: hrss (leader vice-head-zhang).
const A = `AM-${run}-a`;
const B = `AM-${run}-b`;
const MISSING = `AM-${run}-m`;
const DAY = 86_400_000;
/** A command on a closed case: its workflow has completed, so it answers like a missing case. */
const CLOSED_COMMAND = 404;

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

const CLOSED = `AM-${run}-c`;

beforeAll(async () => {
  s = await startStack();
  http = await listen(s.app);
  const reg = (caseId: string, agencyId: string) => ({
    caseId,
    title: '权限矩阵测试案',
    agencyId,
    field: 'other',
    plaintiff: '某己',
    // Lapsed at once: the cases have overdue duties and notices to (not) leak.
    trigger: { type: 'response-notice', receivedAt: new Date(Date.now() - 20 * DAY).toISOString() },
  });
  expect((await call('dev-bureau', 'POST', '/api/cases', reg(A, 'natural-resources'))).status).toBe(201);
  expect((await call('dev-bureau', 'POST', '/api/cases', reg(B, 'hrss'))).status).toBe(201);
  expect((await call('dev-bureau', 'POST', '/api/cases', reg(CLOSED, 'natural-resources'))).status).toBe(201);
  // Wait until the registry holds the records, notices and duties, and visibility lists the cases.
  await eventually(async () => {
    const n = await s.store.listNotices({});
    // Any notice will do: an escalation waits for working hours (none at night or on a rest day).
    const ok = [A, B, CLOSED].every((id) => n.some((r) => r.caseId === id));
    const listed = (await call('dev-bureau', 'GET', `/api/cases?limit=1000`)).json as { cases: { caseId: string }[] };
    return ok && [A, B, CLOSED].every((id) => listed.cases.some((c) => c.caseId === id)) ? true : undefined;
  }, 60_000);
  // Withdrawn by the court's ruling, and the ruling filed: the case closes.
  const rulingOn = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const withdrawn = await call('dev-bureau', 'POST', `/api/cases/${CLOSED}/events`, {
    type: 'withdrawn',
    rulingOn,
    reason: '原告撤诉',
  });
  expect(withdrawn.status).toBe(200);
  const filed = await call('dev-bureau', 'POST', `/api/cases/${CLOSED}/events`, { type: 'filing' });
  expect(filed.status).toBe(200);
  expect((filed.json as { stage: string }).stage).toBe('closed');
}, 120_000);
afterAll(async () => {
  await http?.close();
  await s?.stop();
  // eslint-disable-next-line no-console
  console.log(`access-matrix: ${checks} checks of the expected-status table, 5xx seen = ${fivexx}`);
  expect(fivexx).toBe(0);
});

// The table: what each role must be answered, per endpoint, on its own case, a foreign one, a missing one and a
// closed one. Written out, never derived from the code under test.
type Kind = 'bureau' | 'operator' | 'agency' | 'leader';
type Target = 'own' | 'foreign' | 'missing' | 'closed';
const event = { type: 'self-correction', description: '权限矩阵：补正送达程序' };
const expected: Record<string, Record<Kind, Partial<Record<Target, number>>>> = {
  'GET /api/cases/:id': {
    bureau: { own: 200, missing: 404, closed: 200 },
    operator: { own: 200, missing: 404, closed: 200 },
    agency: { own: 200, foreign: 404, missing: 404, closed: 200 },
    leader: { own: 200, foreign: 404, missing: 404, closed: 200 },
  },
  'GET /api/cases/:id/record': {
    bureau: { own: 200, missing: 404, closed: 200 },
    operator: { own: 200, missing: 404, closed: 200 },
    agency: { own: 200, foreign: 404, missing: 404, closed: 200 },
    leader: { own: 200, foreign: 404, missing: 404, closed: 200 },
  },
  'POST /api/cases/:id/events': {
    // A closed case takes no command; operators read only; a leader may not self-correct for the agency.
    bureau: { own: 200, missing: 404, closed: CLOSED_COMMAND },
    operator: { own: 403, missing: 403, closed: 403 },
    agency: { own: 200, foreign: 404, missing: 404, closed: CLOSED_COMMAND },
    leader: { own: 409, foreign: 404, missing: 404, closed: CLOSED_COMMAND },
  },
  'POST /api/notices/:id/resend': {
    bureau: { own: 202, missing: 404, closed: 202 },
    operator: { own: 403, missing: 403, closed: 403 },
    agency: { own: 403, foreign: 403, missing: 403, closed: 403 },
    leader: { own: 403, foreign: 403, missing: 403, closed: 403 },
  },
  'GET /api/reports/indicators?agencyId=:agency': {
    bureau: { own: 200, missing: 404, closed: 200 },
    operator: { own: 200, missing: 404, closed: 200 },
    agency: { own: 200, foreign: 404, missing: 404, closed: 200 },
    leader: { own: 200, foreign: 404, missing: 404, closed: 200 },
  },
};

const roles: { name: string; token: string; kind: Kind; own: string; foreign?: string; closedIsOwn: boolean }[] = [
  { name: 'bureau', token: 'dev-bureau', kind: 'bureau', own: A, closedIsOwn: true },
  { name: 'operator', token: 'dev-operator', kind: 'operator', own: A, closedIsOwn: true },
  {
    name: 'agency natural-resources',
    token: 'dev-agency-natural-resources',
    kind: 'agency',
    own: A,
    foreign: B,
    closedIsOwn: true,
  },
  { name: 'agency hrss', token: 'dev-agency-hrss', kind: 'agency', own: B, foreign: A, closedIsOwn: false },
  {
    name: 'leader vice-head-li',
    token: 'dev-leader-vice-head-li',
    kind: 'leader',
    own: A,
    foreign: B,
    closedIsOwn: true,
  },
  {
    name: 'leader vice-head-zhang',
    token: 'dev-leader-vice-head-zhang',
    kind: 'leader',
    own: B,
    foreign: A,
    closedIsOwn: false,
  },
];
const agencyOf = (id: string) => (id === B ? 'hrss' : 'natural-resources');

/** The path of an endpoint for one case id (`missing`: an id nobody has). */
async function pathFor(endpoint: string, id: string): Promise<{ method: string; path: string; body?: unknown }> {
  switch (endpoint) {
    case 'GET /api/cases/:id':
      return { method: 'GET', path: `/api/cases/${id}` };
    case 'GET /api/cases/:id/record':
      return { method: 'GET', path: `/api/cases/${id}/record` };
    case 'POST /api/cases/:id/events':
      return { method: 'POST', path: `/api/cases/${id}/events`, body: event };
    case 'POST /api/notices/:id/resend': {
      const row = (await s.store.listNotices({ caseId: id })).find((r) => r.status !== 'delivered');
      return {
        method: 'POST',
        path: `/api/notices/${encodeURIComponent(row?.id ?? `${id}/-/inform/1#bureau#none#-1`)}/resend`,
      };
    }
    default: {
      const agency = id === MISSING ? 'no-such-agency' : agencyOf(id);
      return { method: 'GET', path: `/api/reports/indicators?from=2026-01-01&to=2027-01-01&agencyId=${agency}` };
    }
  }
}

describe.each(roles)('$name', (role) => {
  const visible = (id: string) =>
    role.kind === 'bureau' || role.kind === 'operator' || id === role.own || (id === CLOSED && role.closedIsOwn);

  test.each(Object.keys(expected))(
    '%s answers as the table says on own, foreign, missing and closed cases',
    async (endpoint) => {
      const targets: [Target, string | undefined][] = [
        ['own', role.own],
        ['foreign', role.foreign],
        ['missing', MISSING],
        ['closed', CLOSED],
      ];
      for (const [target, id] of targets) {
        if (!id) continue;
        // A closed case of another agency is a foreign case to this role.
        const want =
          target === 'closed' && !role.closedIsOwn
            ? expected[endpoint]![role.kind].foreign
            : (expected[endpoint]![role.kind][target] ?? expected[endpoint]![role.kind].own);
        const { method, path, body } = await pathFor(endpoint, id);
        const got = await call(role.token, method, path, body);
        expect({ endpoint, target, status: got.status }).toEqual({ endpoint, target, status: want });
        checks += 1;
      }
      // A foreign case answers exactly like a missing one (the id aside): nothing tells the caller it exists.
      if (role.foreign && endpoint.includes('/api/cases/')) {
        const f = await pathFor(endpoint, role.foreign);
        const m = await pathFor(endpoint, MISSING);
        expect(shape(await call(role.token, f.method, f.path, f.body), role.foreign)).toEqual(
          shape(await call(role.token, m.method, m.path, m.body), MISSING),
        );
        checks += 1;
      }
    },
  );

  test('lists carry exactly the cases the role may see: visible ones present, the others absent', async () => {
    // Per list: the cases that must be in it for a role that sees everything.
    const lists: [string, string[]][] = [
      ['/api/cases?limit=1000', [A, B, CLOSED]],
      ['/api/cases?agencyId=hrss', [B]],
      ['/api/cases?agencyId=natural-resources', [A, CLOSED]],
      ['/api/notices?limit=1000', [A, B, CLOSED]],
      [`/api/notices?caseId=${A}`, [A]],
      [`/api/notices?caseId=${B}`, [B]],
      [`/api/notices?caseId=${CLOSED}`, [CLOSED]],
      ['/api/duties?limit=1000', [A, B]],
      ['/api/duties?owner=agency:hrss', [B]],
      ['/api/duties?owner=agency:natural-resources', [A]],
    ];
    for (const [path, all] of lists) {
      const a = await call(role.token, 'GET', path);
      expect([path, a.status]).toEqual([path, 200]);
      for (const id of [A, B, CLOSED]) {
        const shouldBeThere = all.includes(id) && visible(id);
        // Duties of a closed case may be gone from the open lists; their absence is all that is checked.
        if (id === CLOSED && path.startsWith('/api/duties')) {
          if (!visible(id)) expect([path, id, mentions(a, id)]).toEqual([path, id, false]);
          continue;
        }
        expect([path, id, mentions(a, id)]).toEqual([path, id, shouldBeThere]);
        checks += 1;
      }
    }
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
