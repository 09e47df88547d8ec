import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { caseEventSchema, caseEventTypes } from '../../src/workflows/case/schemas';
import { Client, Connection } from '@temporalio/client';
import { createAuthenticator } from '../../src/http/auth';
import { casesRouter } from '../../src/http/routes/cases';
import { dutiesRouter } from '../../src/http/routes/duties';
import { createNoticesRouter } from '../../src/http/routes/notices';
import { createReportsRouter } from '../../src/http/routes/reports';
import { createApp } from '../../src/server';
import { CaseService } from '../../src/services/cases';
import { NoticeService } from '../../src/services/notices';
import { logChannel } from '../../src/notifications/channels';
import { directory, silentLog } from '../cases/case-env';
import { freePort } from '../support/dev-server';
import { startStack } from '../e2e/stack';
import { seedFromEnv } from './support';
import { isJsonError, listen, raw, type RawAnswer } from './http';

// Property-based fuzzing of the HTTP API with real HTTP requests: whatever arrives, the answer is a 4xx with a JSON
// error, never a 5xx, and the cases already registered do not change. List query strings are fuzzed too, and one
// round runs with Temporal stopped: then 503 (with Retry-After) is the only 5xx allowed.
jest.setTimeout(180_000);

const seed = seedFromEnv();
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
let s: Awaited<ReturnType<typeof startStack>>;
let http: Awaited<ReturnType<typeof listen>>;
const caseId = `FZ-${randomUUID().slice(0, 8)}`;
const answers: RawAnswer[] = [];
const statuses = new Map<number, number>();

const send = async (method: string, path: string, opts: Parameters<typeof raw>[3] = {}) => {
  const a = await raw(http.port, method, path, { token: 'dev-bureau', ...opts });
  answers.push(a);
  statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
  return a;
};
const expect4xx = (a: RawAnswer) => {
  if (!(a.status >= 400 && a.status < 500 && isJsonError(a)))
    throw new Error(`expected a 4xx JSON error, got ${a.status} ${a.contentType}: ${a.text.slice(0, 300)}`);
};
const state = async () => (await raw(http.port, 'GET', `/api/cases/${caseId}`, { token: 'dev-bureau' })).json;
const record = async () => (await raw(http.port, 'GET', `/api/cases/${caseId}/record`, { token: 'dev-bureau' })).json;
const params = (offset: number) => ({ seed: seed + offset, numRuns: RUNS, endOnFailure: true });

beforeAll(async () => {
  s = await startStack();
  http = await listen(s.app);
  const reg = await raw(http.port, 'POST', '/api/cases', {
    token: 'dev-bureau',
    body: JSON.stringify({
      caseId,
      title: '模糊测试案',
      agencyId: 'natural-resources',
      field: 'land-taking',
      plaintiff: '某丁',
      trigger: { type: 'entrustment-letter', receivedAt: new Date(Date.now() - 86_400_000).toISOString() },
    }),
  });
  expect(reg.status).toBe(201);
}, 120_000);
afterAll(async () => {
  await http?.close();
  await s?.stop();
  const fivexx = answers.filter((a) => a.status >= 500).length;
  // eslint-disable-next-line no-console
  console.log(
    `http-fuzz: seed ${seed}, ${RUNS} runs per property, ${answers.length} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}, 5xx seen = ${fivexx}`,
  );
});

// Values of every JSON type but a string, and strings that break formats: wrong for every field of every event.
const wrong = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);
const oddText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    '\uFEFF',
    '\u202E案件',
    '\uD800',
    '𠀀𠀁',
    '../../etc/passwd',
    '%2e%2e%2f',
    '<script>',
    "' OR 1=1 --",
    '   ',
    '\n',
  ),
);
const fieldsOf = (type: string): string[] =>
  Object.keys(caseEventSchema.options.find((o) => o.shape.type.value === type)!.shape).filter((k) => k !== 'type');
const typesWithFields = caseEventTypes.filter((t) => fieldsOf(t).length > 0);

describe('fuzzing the HTTP API', () => {
  let before: { state: unknown; record: unknown };
  beforeAll(async () => {
    // Let registration's deliveries settle first (undeliverable rows and their bureau alerts are written a moment
    // after the registration answers): the record must be still before it can be compared.
    let last = '';
    for (let i = 0; i < 60; i++) {
      const now = JSON.stringify([await state(), await record()]);
      if (now === last) break;
      last = now;
      await new Promise((r) => setTimeout(r, 1000));
    }
    before = { state: await state(), record: await record() };
  });
  afterAll(async () => {
    // 👉 No answer above may have changed the case: its state and its registry record are exactly as before.
    expect(await state()).toEqual(before.state);
    expect(await record()).toEqual(before.record);
  });

  test('malformed JSON bodies answer 400 malformed_json', async () => {
    const notJson = fc.string({ unit: 'binary', maxLength: 200 }).filter((t) => {
      try {
        JSON.parse(t);
        return false;
      } catch {
        return true;
      }
    });
    await fc.assert(
      fc.asyncProperty(notJson, fc.constantFrom('/api/cases', `/api/cases/${caseId}/events`), async (body, path) => {
        const a = await send('POST', path, { body });
        expect4xx(a);
        // An empty body is no body at all: that is a validation error rather than a parse error.
        if (body.trim() !== '' && (a.json as { error: { code: string } }).error.code !== 'malformed_json')
          throw new Error(`not malformed_json: ${a.text}`);
      }),
      params(1),
    );
  });

  test('events of an unknown type, of any JSON shape, or with every field of the wrong type answer 400', async () => {
    const unknownType = fc.record({
      type: oddText.filter((t) => !(caseEventTypes as string[]).includes(t)),
      summary: fc.string(),
    });
    const wrongFields = fc
      .constantFrom(...typesWithFields)
      .chain((type) =>
        fc
          .tuple(...fieldsOf(type).map(() => wrong))
          .map((vals) => ({ type, ...Object.fromEntries(fieldsOf(type).map((k, i) => [k, vals[i]])) })),
      );
    const anything = fc.jsonValue({ maxDepth: 4 }).filter((v) => !caseEventSchema.safeParse(v).success);
    await fc.assert(
      fc.asyncProperty(fc.oneof(unknownType, wrongFields, anything), async (event) => {
        const a = await send('POST', `/api/cases/${caseId}/events`, { body: JSON.stringify(event) });
        expect4xx(a);
        if (a.status !== 400) throw new Error(`expected 400, got ${a.status}: ${a.text}`);
      }),
      params(2),
    );
  });

  test('registrations with one field corrupted answer 400 and register nothing', async () => {
    const valid = () => ({
      caseId: `FZ-${randomUUID().slice(0, 8)}`,
      title: '模糊测试登记',
      agencyId: 'hrss',
      field: 'other',
      plaintiff: '某戊',
      trigger: { type: 'oral-notice', receivedAt: new Date().toISOString() },
    });
    const badId = oddText.filter((t) => !/^[A-Za-z0-9][A-Za-z0-9-]{2,63}$/.test(t));
    const corruption = fc.oneof(
      fc.record({ k: fc.constant('caseId'), v: fc.oneof(badId, wrong) }),
      fc.record({
        k: fc.constant('agencyId'),
        v: fc.oneof(
          oddText.filter((t) => !/^[a-z0-9][a-z0-9-]{1,63}$/.test(t)),
          wrong,
        ),
      }),
      fc.record({ k: fc.constant('field'), v: fc.oneof(oddText, wrong) }),
      fc.record({ k: fc.constant('title'), v: fc.oneof(wrong, fc.constant('   '), fc.constant('长'.repeat(201))) }),
      fc.record({ k: fc.constant('trigger'), v: fc.oneof(wrong, fc.record({ type: oddText, receivedAt: oddText })) }),
      fc.record({
        k: fc.constant('receivedAt'),
        v: fc.oneof(
          oddText,
          wrong,
          fc.constantFrom('2026-02-30T10:00:00Z', '2026-02-10T09:30:00', '2026-13-01T00:00:00+08:00'),
        ),
      }),
    );
    const registered: string[] = [];
    await fc.assert(
      fc.asyncProperty(corruption, async ({ k, v }) => {
        const reg: Record<string, unknown> = valid();
        if (k === 'receivedAt') reg.trigger = { type: 'oral-notice', receivedAt: v };
        else reg[k] = v;
        const a = await send('POST', '/api/cases', { body: JSON.stringify(reg) });
        expect4xx(a);
        if (a.status !== 400) throw new Error(`expected 400, got ${a.status}: ${a.text}`);
        if (typeof reg.caseId === 'string') registered.push(reg.caseId);
      }),
      params(3),
    );
    // Nothing was started for any of them.
    const probe = registered.filter((id) => /^[A-Za-z0-9][A-Za-z0-9-]{2,63}$/.test(id)).slice(0, 20);
    for (const id of probe)
      expect((await raw(http.port, 'GET', `/api/cases/${id}`, { token: 'dev-bureau' })).status).toBe(404);
  });

  test('odd Unicode and path traversal in case ids answer 400 or 404, never another case', async () => {
    const traversal = fc.constantFrom(
      '..',
      '../..',
      '..%2F..%2Fetc%2Fpasswd',
      '%2e%2e',
      `${caseId}%2F..`,
      `${caseId}/../${caseId}`,
      '%00',
      `${caseId}%00`,
      '.%2E/cases',
      '%252e%252e%252f',
      `..;/${caseId}`,
      `${caseId}%20`,
      `%20${caseId}`,
      `${caseId.toLowerCase()}x`,
      '%E2%80%AE',
      '%F0%9F%98%80',
      '%C0%AE%C0%AE',
      '%',
    );
    // Non-empty: `/api/cases/` is the list, a different endpoint.
    const unicodeId = oddText
      .filter((t) => t.length > 0)
      .map((t) => [...Buffer.from(t, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
    const suffixes = ['', '/events', '/record'];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(traversal, unicodeId),
        fc.constantFrom(...suffixes),
        fc.boolean(),
        async (id, suffix, post) => {
          const method = post && suffix === '/events' ? 'POST' : 'GET';
          const body =
            method === 'POST' ? JSON.stringify({ type: 'mediation-progress', summary: '路径穿越' }) : undefined;
          const a = await send(method, `/api/cases/${id}${suffix}`, { body });
          expect4xx(a);
          if (![400, 404].includes(a.status)) throw new Error(`expected 400 or 404, got ${a.status}: ${a.text}`);
        },
      ),
      params(4),
    );
  });

  test('huge and deeply nested bodies, wrong media types and odd charsets answer 4xx', async () => {
    const huge = fc
      .integer({ min: 257, max: 2048 })
      .map((kb) => JSON.stringify({ type: 'mediation-progress', summary: '大'.repeat(Math.floor((kb * 1024) / 3)) }));
    const deep = fc.integer({ min: 1000, max: 20000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`);
    const deepObject = fc.integer({ min: 100, max: 5000 }).map((d) => `${'{"summary":'.repeat(d)}1${'}'.repeat(d)}`);
    const longText = fc
      .integer({ min: 4001, max: 20000 })
      .map((n) => JSON.stringify({ type: 'mediation-progress', summary: '长'.repeat(n) }));
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-7',
      'application/json; charset=koi8-r',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(huge, deep, deepObject, longText), contentType, async (body, ct) => {
        const a = await send('POST', `/api/cases/${caseId}/events`, { body, contentType: ct });
        expect4xx(a);
      }),
      { ...params(5), numRuns: Math.max(10, Math.floor(RUNS / 3)) },
    );
  });
});

// Query strings of the list endpoints: known parameters with odd values, unknown ones, repeats and broken escapes.
const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('limit', 'agencyId', 'stage', 'overdue', 'major', 'owner', 'status', 'caseId', 'recipient'),
        fc.constantFrom('from', 'to', 'due', 'extra', '__proto__', 'constructor', 'limit[]', 'a[b]'),
        fc.string({ maxLength: 8 }),
      ),
      fc.oneof(
        oddText,
        fc.integer().map(String),
        fc.constantFrom('-1', '0', '1e309', 'NaN', 'true', '', '%', '%zz', '%E4%B8', 'agency:hrss', '2026-13-40'),
      ),
    ),
    { maxLength: 6 },
  )
  .map((pairs) =>
    pairs
      .map(([k, v]) => {
        const enc = (x: string) => {
          // Broken escapes ('%', '%zz', '%E4%B8') go as they are; anything else a client could put on the wire is escaped
          // (a raw space or non-ASCII character is refused by the HTTP client before it reaches the server).
          if (/^%[0-9A-Za-z%]*$/.test(x)) return x;
          try {
            return encodeURIComponent(x);
          } catch {
            return '%ED%A0%80'; // a lone surrogate, as raw bytes
          }
        };
        return `${enc(k)}=${enc(v)}`;
      })
      .join('&'),
  );
const listPaths = ['/api/cases', '/api/duties', '/api/notices', '/api/reports/indicators'];

test('list query strings of any shape answer 200 or a 4xx JSON error, never a 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...listPaths), queryString, async (path, qs) => {
      const a = await send('GET', `${path}?${qs}`);
      if (a.status === 200) return;
      expect4xx(a);
    }),
    params(6),
  );
});

describe('with Temporal stopped', () => {
  // The same routers over a client whose Temporal is gone (a closed port): the registry still answers.
  let down: Awaited<ReturnType<typeof listen>>;
  let connection: Connection;
  const downAnswers: RawAnswer[] = [];
  beforeAll(async () => {
    connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    const client = new Client({ connection });
    const app = createApp({
      client,
      namespace: 'default',
      directory,
      auth: createAuthenticator({ directory, production: false }),
      log: silentLog,
      store: s.store,
      temporalDeadlineMs: 1000,
      routers: [
        casesRouter(new CaseService(client, directory)),
        dutiesRouter(s.store),
        createNoticesRouter({
          store: s.store,
          directory,
          notices: new NoticeService(s.store, { directory, channels: { log: logChannel(silentLog) }, log: silentLog }),
        }),
        createReportsRouter({ client, store: s.store, directory }),
      ],
    });
    down = await listen(app);
  });
  afterAll(async () => {
    await down?.close();
    await connection?.close();
    const byStatus = new Map<number, number>();
    for (const a of downAnswers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    // eslint-disable-next-line no-console
    console.log(
      `http-fuzz with Temporal stopped: ${downAnswers.length} requests, statuses ${JSON.stringify(Object.fromEntries(byStatus))}`,
    );
  });

  test('every request answers 503 with Retry-After, a 4xx or a 200 from the registry: zero 5xx other than 503', async () => {
    const request = fc.oneof(
      fc.record({
        method: fc.constant('GET'),
        path: fc.constantFrom(...listPaths),
        qs: queryString,
        body: fc.constant(''),
      }),
      fc.record({
        method: fc.constant('GET'),
        path: fc.constantFrom(`/api/cases/${caseId}`, `/api/cases/${caseId}/record`, '/api/cases/FZ-missing'),
        qs: fc.constant(''),
        body: fc.constant(''),
      }),
      fc.record({
        method: fc.constant('POST'),
        path: fc.constantFrom(
          '/api/cases',
          `/api/cases/${caseId}/events`,
          '/api/notices/x%23bureau%23none%23-1/resend',
        ),
        qs: fc.constant(''),
        body: fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          fc.constant(JSON.stringify({ type: 'self-correction', description: '补正' })),
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        request,
        fc.constantFrom('dev-bureau', 'dev-agency-natural-resources', 'dev-operator'),
        async (r, token) => {
          const a = await raw(down.port, r.method, r.qs ? `${r.path}?${r.qs}` : r.path, {
            token,
            ...(r.body ? { body: r.body } : {}),
          });
          downAnswers.push(a);
          if (a.status === 503) {
            if (!isJsonError(a) || !a.headers?.['retry-after'])
              throw new Error(`503 without JSON or Retry-After: ${a.text}`);
            return;
          }
          if (a.status >= 500) throw new Error(`${r.method} ${r.path}: ${a.status} ${a.text.slice(0, 300)}`);
        },
      ),
      { ...params(7), numRuns: Math.max(15, Math.floor(RUNS / 8)) },
    );
    expect(downAnswers.some((a) => a.status === 503)).toBe(true);
  });
});
