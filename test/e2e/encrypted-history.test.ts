import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { ENCRYPTED_ENCODING } from '../../src/temporal/codec';
import { caseWorkflowId } from '../../src/workflows/case/messages';
import { bearer, startStack } from './stack';

// What someone who reaches the Temporal frontend, without the codec keys, can read of a case: nothing of its parties.
let s: Awaited<ReturnType<typeof startStack>>;
let raw: Connection;
beforeAll(async () => {
  s = await startStack();
  raw = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
}, 120_000);
afterAll(async () => {
  await raw?.close();
  await s?.stop();
});

test("a case's history, queries and metadata reach Temporal encrypted: a client without the keys reads no party", async () => {
  const caseId = `ENC-${randomUUID().slice(0, 8)}`;
  const plaintiff = `欧阳${randomUUID().slice(0, 4)}`;
  const title = `${plaintiff}诉县住建局规划许可案`;
  await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send({
      caseId,
      title,
      agencyId: 'housing',
      field: 'planning',
      plaintiff,
      trigger: { type: 'response-notice', receivedAt: new Date().toISOString() },
    })
    .expect(201);

  const stranger = new Client({ connection: raw });
  const handle = stranger.workflow.getHandle(caseWorkflowId(caseId));
  const history = await handle.fetchHistory();
  const text = Buffer.from(JSON.stringify(history)).toString('utf8');
  const payloads: { metadata?: Record<string, Uint8Array | null> | null }[] = [];
  const plainPaths: string[] = [];
  const markerMeta: Record<string, unknown>[] = [];
  const collect = (v: unknown, path: string): void => {
    if (!v || typeof v !== 'object') return;
    if (v instanceof Uint8Array) return;
    const o = v as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && 'data' in o) {
      // Search attributes are indexed by the server, so never encoded: they carry ids and stages only. A local
      // activity's marker carries the SDK core's own bookkeeping (sequence, attempt, activity id and type, time) as
      // plain JSON beside the encrypted result: checked below to hold nothing else.
      if (path.includes('.searchAttributes.')) plainPaths.push(path);
      else if (/\.markerRecordedEventAttributes\.details\.data\.payloads\.0$/.test(path)) markerMeta.push(o);
      else payloads.push(o as (typeof payloads)[number]);
    }
    for (const [k, x] of Object.entries(o)) collect(x, `${path}.${k}`);
  };
  collect(history, '');
  expect(plainPaths.length).toBeGreaterThan(0);
  expect(markerMeta.length).toBeGreaterThan(0);
  for (const m of markerMeta) {
    const meta = JSON.parse(Buffer.from(m.data as Uint8Array).toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(meta).sort()).toEqual([
      'activity_id',
      'activity_type',
      'attempt',
      'backoff',
      'complete_time',
      'original_schedule_time',
      'seq',
    ]);
  }
  expect(payloads.length).toBeGreaterThan(3);
  const encodings = payloads.map((p) => Buffer.from(p.metadata!.encoding ?? []).toString('utf8'));
  expect(encodings.filter((e) => e !== ENCRYPTED_ENCODING)).toEqual([]);
  // Nothing of the parties anywhere in the raw history (inputs, update arguments, results, markers, metadata)...
  for (const p of payloads) {
    const data = Buffer.from((p as { data?: Uint8Array }).data ?? []);
    expect(data.includes(Buffer.from(plaintiff))).toBe(false);
  }
  expect(text).not.toContain(plaintiff);
  // ...and a query answered to a client without the keys is sealed too.
  await expect(handle.query('state')).rejects.toThrow();
  // The API, holding the keys, reads the case as ever.
  const res = await request(s.app).get(`/api/cases/${caseId}`).set(bearer('dev-bureau')).expect(200);
  expect(res.body.plaintiff).toBe(plaintiff);
});
