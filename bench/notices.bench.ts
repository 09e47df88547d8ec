// Notices drained per second to a local webhook receiver by the worker's outbox drainer (claim with a lease, send,
// proof, per-row backoff), next to a raw outbox-to-webhook loop without any of that: a plain loop reading the same
// table and POSTing the same requests through the same channel. One run, the same machine, the same rows.
//   npx tsx bench/notices.bench.ts [--count 5000] [--db postgres://…]
// Exits non-zero when a notice was lost or sent twice to the same recipient key.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createChannels } from '../src/notifications/channels';
import { createDrainer } from '../src/notifications/drainer';
import { planOutboxRows } from '../src/notifications/outbox';
import { RegistryStore } from '../src/registry';
import { tempDir } from '../test/support/dev-server';
import { directoryWith } from '../test/notifications/fixtures/directory';

const log = pino({ level: 'silent' });

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { count: { type: 'string', default: '5000' }, db: { type: 'string' } },
  });
  const count = Number(values.count);
  const dir = tempDir('bench-notices');
  // The receiver counts every POST by its Idempotency-Key (the outbox row id).
  const seen = new Map<string, number>();
  const receiver = createServer((req, res) => {
    const key = String(req.headers['idempotency-key']);
    req.resume();
    req.on('end', () => {
      seen.set(key, (seen.get(key) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const directory = directoryWith({ leader: [{ channel: 'webhook', url: hook }] });
  const channels = createChannels({ log });

  /** A fresh outbox with `count` notices to the leader's webhook, written in batches. */
  async function outbox(name: string): Promise<{ store: RegistryStore; caseId: string }> {
    const store = await RegistryStore.open(values.db ?? `sqlite:${dir.path}/${name}.db`);
    const caseId = `bench-${name}-${randomUUID()}`;
    for (let i = 0; i < count; i++) {
      const req = {
        key: `${caseId}/d${i}/reminder/1`,
        caseId,
        kind: 'reminder' as const,
        recipients: ['leader:vice-head-li' as const],
        facts: { caseTitle: '基准测试案' },
        requestedAt: new Date().toISOString(),
      };
      await store.enqueueNoticeRows(req.key, planOutboxRows(req, directory, channels, log));
    }
    return { store, caseId };
  }

  /** Every row of the case delivered, and the receiver saw each row's key exactly once. */
  async function check(name: string, store: RegistryStore, caseId: string): Promise<string[]> {
    const rows = await store.listNotices({ caseId, limit: count + 1 });
    const problems: string[] = [];
    const undelivered = rows.filter((r) => r.status !== 'delivered').length;
    if (rows.length !== count || undelivered > 0)
      problems.push(`${name}: ${undelivered} of ${rows.length} not delivered`);
    const lost = rows.filter((r) => !seen.has(r.id)).length;
    const twice = rows.filter((r) => (seen.get(r.id) ?? 0) > 1).length;
    if (lost) problems.push(`${name}: ${lost} notices never reached the receiver`);
    if (twice) problems.push(`${name}: ${twice} notices sent twice to the same recipient key`);
    return problems;
  }

  // The drainer, as the worker runs it (default batch 100, 32 in flight), on its own outbox.
  const drained = await outbox('drainer');
  const drainer = createDrainer({ store: drained.store, directory, channels, log });
  let started = performance.now();
  const handled = await drainer.drainDue();
  const drainerSeconds = (performance.now() - started) / 1000;

  // The floor: a plain loop over the same table and the same channel — no lease, no attempt record, no backoff.
  const raw = await outbox('raw');
  started = performance.now();
  for (;;) {
    const batch = await raw.store.db
      .selectFrom('notices')
      .selectAll()
      .where('case_id', '=', raw.caseId)
      .where('status', '=', 'pending')
      .limit(100)
      .execute();
    if (batch.length === 0) break;
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < batch.length) {
          const r = batch[next++]!;
          const receipt = await channels.webhook!.send(
            {
              rowId: r.id,
              key: r.notice_key,
              kind: r.kind,
              caseId: r.case_id,
              dutyId: r.duty_id,
              recipient: r.recipient,
              subject: r.subject,
              body: r.body,
              requestedAt: r.requested_at,
            },
            { channel: 'webhook', url: hook },
          );
          await raw.store.markNoticeDelivered(r.id, receipt.answer);
        }
      }),
    );
  }
  const rawSeconds = (performance.now() - started) / 1000;

  const problems = [
    ...(await check('drainer', drained.store, drained.caseId)),
    ...(await check('raw loop', raw.store, raw.caseId)),
  ];
  const result = {
    notices: count,
    registry: drained.store.dialect,
    drainerPerSecond: Math.round(count / drainerSeconds),
    rawLoopPerSecond: Math.round(count / rawSeconds),
    drainerOverRaw: Number((rawSeconds / drainerSeconds).toFixed(2)),
    drainerSeconds: Number(drainerSeconds.toFixed(2)),
    rawLoopSeconds: Number(rawSeconds.toFixed(2)),
    handled,
    receiverHits: [...seen.values()].reduce((a, b) => a + b, 0),
    goal: '≥ 500 notices/s drained, none lost, none sent twice per recipient key',
    note: 'drainer, receiver and the raw loop share this process; one outbox each',
  };
  console.log(JSON.stringify(result));
  await drained.store.close();
  await raw.store.close();
  receiver.close();
  dir.remove();
  if (problems.length > 0 || result.drainerPerSecond < 500) {
    console.error([...problems, ...(result.drainerPerSecond < 500 ? ['drainer below 500 notices/s'] : [])].join('\n'));
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
