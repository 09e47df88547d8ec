// The outbox drainer against a real local webhook receiver, with a clock the tests move: each delivery guarantee of
// the worker (backoff, horizon, one alert per notice, the alert route, leases, restarts) without Temporal.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { deliveryFailedKey } from '../../src/notifications/keys';
import { DAY, HOUR, MINUTE, escalation, useDrainerEnv } from './fixtures/drainer-env';

const env = useDrainerEnv();
const { hook, hitsAt } = env;

test('a channel that refuses for an hour gets its notice delivered after it recovers, backing off between attempts', async () => {
  const path = `/flaky-${randomUUID()}`;
  env.receiver.behave(path, 'refuse');
  const w = await env.world({ leader: [hook(path)] });
  const drainer = w.drainer();
  const req = escalation(`c-${randomUUID()}`);
  await w.enqueue(req);
  await w.advance(drainer, HOUR);
  // At 0, 0.5, 1.5, 3.5, 7.5, 15.5 and 31.5 minutes (30 s doubling): seven attempts within the hour.
  expect(hitsAt(path)).toBe(7);
  const [pending] = await w.store.noticeRowsByKey(req.key);
  expect(pending).toMatchObject({ status: 'pending', attempts: 7, lastError: 'webhook answered HTTP 503' });
  env.receiver.behave(path, 'accept');
  await w.advance(drainer, HOUR);
  const [row] = await w.store.noticeRowsByKey(req.key);
  expect(row).toMatchObject({ status: 'delivered', attempts: 8, channelAnswer: expect.stringMatching(/^HTTP 200/) });
  expect(env.receiver.keys.get(row!.id)).toBe(8);
  // Delivered is settled: however long the clock runs, nothing is sent again and nobody is alerted.
  await w.advance(drainer, 2 * DAY);
  expect(hitsAt(path)).toBe(8);
  expect(await w.store.noticeRowsByKey(deliveryFailedKey(req.key))).toEqual([]);
});

test('a channel that never recovers is failed at the 7-day horizon, the bureau alerted once, after 4 hours', async () => {
  const dead = `/dead-${randomUUID()}`;
  const bureau = `/bureau-${randomUUID()}`;
  env.receiver.behave(dead, 'refuse');
  const w = await env.world({ leader: [hook(dead)], bureau: [hook(bureau)] });
  const drainer = w.drainer();
  const req = escalation(`c-${randomUUID()}`);
  await w.enqueue(req);
  await w.advance(drainer, 4 * HOUR - MINUTE);
  expect(hitsAt(bureau)).toBe(0);
  await w.advance(drainer, 2 * MINUTE);
  expect(hitsAt(bureau)).toBe(1);
  expect((await w.store.noticeRowsByKey(req.key))[0]).toMatchObject({ status: 'pending' });
  await w.advance(drainer, 7 * DAY);
  const [row] = await w.store.noticeRowsByKey(req.key);
  expect(row).toMatchObject({
    status: 'failed',
    failedAt: expect.any(String),
    lastError: expect.stringContaining('webhook answered HTTP 503'),
  });
  // Failed at the horizon, counted from the first attempt, after backoff capped at one hour.
  expect(Date.parse(row!.failedAt!) - Date.parse(row!.sendingAt!)).toBe(0);
  expect(Date.parse(row!.failedAt!) - Date.parse(row!.createdAt)).toBeGreaterThanOrEqual(7 * DAY);
  expect(Date.parse(row!.failedAt!) - Date.parse(row!.createdAt)).toBeLessThan(7 * DAY + 1000);
  expect(row!.attempts).toBeGreaterThan(7 * 24);
  expect(row!.attempts).toBeLessThan(7 * 24 + 12);
  // Still one alert: the failure at the horizon does not alert a notice the bureau already knows about.
  expect(hitsAt(bureau)).toBe(1);
  const alertRows = await w.store.noticeRowsByKey(deliveryFailedKey(req.key));
  expect(alertRows).toEqual([
    expect.objectContaining({ kind: 'delivery-failed', recipient: 'bureau', status: 'delivered' }),
  ]);
  const alertHit = env.receiver.hits.find((h) => h.path === bureau)!;
  expect(alertHit.json).toMatchObject({
    kind: 'delivery-failed',
    subject: expect.stringContaining('【通知投递失败】'),
  });
  expect((alertHit.json as { body: string }).body).toContain(req.key);
  expect((alertHit.json as { body: string }).body).toContain('已持续失败 4 小时');
});

test('a notice that reaches its attempt cap is failed and alerted at once, before the alert delay', async () => {
  const dead = `/capped-${randomUUID()}`;
  const bureau = `/bureau-${randomUUID()}`;
  env.receiver.behave(dead, 'refuse');
  const w = await env.world({ leader: [hook(dead)], bureau: [hook(bureau)] }, { maximumAttempts: 3 });
  const drainer = w.drainer();
  const req = escalation(`c-${randomUUID()}`);
  await w.enqueue(req);
  await w.advance(drainer, 10 * MINUTE);
  expect((await w.store.noticeRowsByKey(req.key))[0]).toMatchObject({ status: 'failed', attempts: 3 });
  expect(hitsAt(dead)).toBe(3);
  expect(hitsAt(bureau)).toBe(1);
});

test('a recipient whose only channel is not configured is undeliverable at enqueue, and the bureau is alerted once', async () => {
  const bureau = `/bureau-${randomUUID()}`;
  // Email while SMTP_HOST is unset: the leader has no usable channel.
  const w = await env.world({ leader: [{ channel: 'email', address: 'li@wuping.example' }], bureau: [hook(bureau)] });
  const lines: { level: number; msg: string; recipient?: string; error?: string }[] = [];
  const drainer = w.drainer({
    log: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }),
  });
  const req = escalation(`c-${randomUUID()}`);
  await w.enqueue(req);
  await w.advance(drainer, DAY);
  // The drainer reports the row written undeliverable, once, whatever passes follow.
  await w.advance(drainer, DAY);
  expect(lines.filter((l) => l.msg === 'notice undeliverable')).toEqual([
    expect.objectContaining({
      level: 50,
      recipient: 'leader:vice-head-li',
      error: expect.stringContaining('email is not configured'),
    }),
  ]);
  const [row] = await w.store.noticeRowsByKey(req.key);
  expect(row).toMatchObject({
    recipient: 'leader:vice-head-li',
    channel: 'none',
    status: 'undeliverable',
    deliveredAt: null,
    attempts: 0,
    lastError: expect.stringContaining('email is not configured'),
  });
  expect(hitsAt(bureau)).toBe(1);
  const alertHit = env.receiver.hits.find((h) => h.path === bureau)!;
  expect(alertHit.json).toMatchObject({ kind: 'delivery-failed' });
  expect((alertHit.json as { body: string }).body).toContain('email is not configured');
});

test('a contact whose address changed after the row was written is not sent: undeliverable, the bureau alerted', async () => {
  const old = `/old-${randomUUID()}`;
  const moved = `/new-${randomUUID()}`;
  const alerts = `/alerts-${randomUUID()}`;
  const before = await env.world({ leader: [hook(old)] });
  const req = escalation(`c-${randomUUID()}`);
  await before.enqueue(req);
  // The same outbox read by a worker whose directory has the new address.
  const { createDrainer } = await import('../../src/notifications/drainer');
  const { createChannels } = await import('../../src/notifications/channels');
  const { directoryWith } = await import('./fixtures/directory');
  const { silent } = await import('./fixtures/drainer-env');
  const drainer = createDrainer({
    store: before.store,
    directory: directoryWith({ leader: [hook(moved)], bureauAlerts: [hook(alerts)] }),
    channels: createChannels({ log: silent }),
    log: silent,
    now: () => before.clock.t,
  });
  await before.advance(drainer, MINUTE);
  expect(hitsAt(old) + hitsAt(moved)).toBe(0);
  const [row] = await before.store.noticeRowsByKey(req.key);
  expect(row).toMatchObject({ status: 'undeliverable', attempts: 0, lastError: expect.stringContaining('已变更') });
  expect(hitsAt(alerts)).toBe(1);
});

test('the alert takes the alert route, never the target that failed; with no other route it is undeliverable, unalerted', async () => {
  const dead = `/dead-${randomUUID()}`;
  env.receiver.behave(dead, 'refuse');
  // The leader and the bureau share one dead gateway: the bureau's alert would go where the notice failed.
  const w = await env.world(
    { leader: [hook(dead)], bureau: [hook(dead)] },
    { initialInterval: '1 second', maximumInterval: '1 minute', totalTimeout: '2 hours' },
  );
  const drainer = w.drainer();
  const req = escalation(`c-${randomUUID()}`);
  await w.enqueue(req);
  await w.advance(drainer, 3 * HOUR);
  expect((await w.store.noticeRowsByKey(req.key))[0]).toMatchObject({ status: 'failed' });
  const [alertRow] = await w.store.noticeRowsByKey(deliveryFailedKey(req.key));
  expect(alertRow).toMatchObject({ kind: 'delivery-failed', channel: 'none', status: 'undeliverable', attempts: 0 });
  // No alert about the undeliverable alert.
  expect(await w.store.noticeRowsByKey(deliveryFailedKey(alertRow!.key))).toEqual([]);
  expect(await w.store.nextNoticeDueAt()).toBeUndefined();
});

test('a delivery-failed notice that itself keeps failing is retried to its horizon and never alerted about', async () => {
  const dead = `/dead-${randomUUID()}`;
  const alerts = `/alerts-${randomUUID()}`;
  env.receiver.behave(dead, 'refuse');
  env.receiver.behave(alerts, 'refuse');
  const w = await env.world({ leader: [hook(dead)], bureauAlerts: [hook(alerts)] });
  const drainer = w.drainer();
  const req = escalation(`c-${randomUUID()}`);
  await w.enqueue(req);
  await w.advance(drainer, 12 * DAY);
  const [alertRow] = await w.store.noticeRowsByKey(deliveryFailedKey(req.key));
  expect(alertRow).toMatchObject({ kind: 'delivery-failed', status: 'failed' });
  expect(alertRow!.attempts).toBeGreaterThan(7 * 24);
  expect(await w.store.noticeRowsByKey(deliveryFailedKey(alertRow!.key))).toEqual([]);
  expect(await w.store.nextNoticeDueAt()).toBeUndefined();
});

test('a restarted drainer on the same database never alerts again and never resends a delivered row', async () => {
  const ok = `/ok-${randomUUID()}`;
  const dead = `/dead-${randomUUID()}`;
  const alerts = `/alerts-${randomUUID()}`;
  env.receiver.behave(dead, 'refuse');
  const w = await env.world({ agency: [hook(ok)], leader: [hook(dead)], bureauAlerts: [hook(alerts)] });
  const req = escalation(`c-${randomUUID()}`, { recipients: ['agency:natural-resources', 'leader:vice-head-li'] });
  await w.enqueue(req);
  const first = w.drainer();
  await w.advance(first, 5 * HOUR);
  expect(hitsAt(ok)).toBe(1);
  expect(hitsAt(alerts)).toBe(1);
  // A new process: another owner, nothing in memory, the same rows.
  const second = w.drainer();
  expect(second.owner).not.toBe(first.owner);
  await w.advance(second, 3 * DAY);
  expect(hitsAt(ok)).toBe(1);
  expect(hitsAt(alerts)).toBe(1);
  env.receiver.behave(dead, 'accept');
  await w.advance(w.drainer(), 2 * HOUR);
  const rows = await w.store.noticeRowsByKey(req.key);
  expect(rows.map((r) => r.status)).toEqual(['delivered', 'delivered']);
  expect(hitsAt(alerts)).toBe(1);
});

test('two drainers on one database send every row exactly once', async () => {
  const path = `/shared-${randomUUID()}`;
  env.receiver.behave(path, 'slow');
  const w = await env.world({ leader: [hook(path)] });
  const caseId = `c-${randomUUID()}`;
  for (let i = 0; i < 300; i++) await w.enqueue(escalation(caseId, { key: `${caseId}/d${i}/escalation/1` }));
  const a = w.drainer({ concurrency: 8, batchSize: 20 });
  const b = w.drainer({ concurrency: 8, batchSize: 20 });
  const [na, nb] = await Promise.all([a.drainDue(), b.drainDue()]);
  // Both took part, and between them every row went out once.
  expect(na).toBeGreaterThan(0);
  expect(nb).toBeGreaterThan(0);
  expect(na + nb).toBe(300);
  const rows = await w.store.listNotices({ caseId, limit: 1000 });
  expect(rows.filter((r) => r.status !== 'delivered')).toEqual([]);
  expect(hitsAt(path)).toBe(300);
  for (const r of rows) expect(env.receiver.keys.get(r.id)).toBe(1);
});

test('a lease left by a drainer killed mid-send is taken over once it expires, and the row resent with the same Idempotency-Key', async () => {
  const path = `/held-${randomUUID()}`;
  env.receiver.behave(path, 'hold');
  const w = await env.world({ leader: [hook(path)] }, { attemptTimeout: '2 seconds' });
  const req = escalation(`c-${randomUUID()}`);
  const { rows } = await w.enqueue(req);
  const id = rows[0]!.id;
  // The first drainer sends and never hears back: as good as killed while the receiver holds the request.
  const killed = w.drainer({ leaseMs: 5 * MINUTE });
  const abandoned = killed.drainDue();
  while (hitsAt(path) < 1) await new Promise((r) => setTimeout(r, 10));
  // The attempt is recorded with its outcome (the lease outlasts it): a killed attempt leaves the row as claimed.
  expect(await w.store.getNoticeRow(id)).toMatchObject({ status: 'pending', attempts: 0 });
  env.receiver.behave(path, 'accept');
  const heir = w.drainer();
  // Before the lease runs out the row is not the heir's to take.
  w.clock.t += 5 * MINUTE - 1;
  expect(await heir.drainDue()).toBe(0);
  w.clock.t += 1;
  expect(await heir.drainDue()).toBe(1);
  expect(await w.store.getNoticeRow(id)).toMatchObject({ status: 'delivered', attempts: 1 });
  const keys = env.receiver.hits.filter((h) => h.path === path).map((h) => h.headers['idempotency-key']);
  expect(keys).toEqual([id, id]);
  // The abandoned attempt times out later: it never downgrades the delivered row.
  await abandoned;
  expect(await w.store.getNoticeRow(id)).toMatchObject({ status: 'delivered', attempts: 1 });
});

test('the running loop sends a row as soon as it is nudged, and on its own at the next poll', async () => {
  const path = `/loop-${randomUUID()}`;
  const w = await env.world({ leader: [hook(path)] });
  const drainer = w.drainer({ pollMs: 60_000 });
  drainer.start();
  try {
    const wait = async (n: number) => {
      const end = Date.now() + 5000;
      while (hitsAt(path) < n && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    };
    const caseId = `c-${randomUUID()}`;
    await w.enqueue(escalation(caseId, { key: `${caseId}/d1/escalation/1` }));
    drainer.nudge();
    await wait(1);
    expect(hitsAt(path)).toBe(1);
  } finally {
    await drainer.stop();
  }
  const polling = w.drainer({ pollMs: 50 });
  polling.start();
  try {
    const caseId = `c-${randomUUID()}`;
    await w.enqueue(escalation(caseId, { key: `${caseId}/d1/escalation/1` }));
    const end = Date.now() + 5000;
    while (hitsAt(path) < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(hitsAt(path)).toBe(2);
  } finally {
    await polling.stop();
  }
});

test('commits nudging within a quarter of a second share one pass: the first nudge waits, the next joins it', async () => {
  const path = `/burst-${randomUUID()}`;
  const w = await env.world({ leader: [hook(path)] });
  const claims = jest.spyOn(w.store, 'claimDueNotices');
  const drainer = w.drainer({ pollMs: 60_000 });
  drainer.start();
  try {
    const first = `c-${randomUUID()}`;
    await w.enqueue(escalation(first, { key: `${first}/d1/escalation/1` }));
    drainer.nudge();
    // A command later (~15 ms; 50 here): the first commit's notice has not gone out on its own.
    await new Promise((r) => setTimeout(r, 50));
    expect(hitsAt(path)).toBe(0);
    const second = `c-${randomUUID()}`;
    await w.enqueue(escalation(second, { key: `${second}/d1/escalation/1` }));
    drainer.nudge();
    const end = Date.now() + 5000;
    while (hitsAt(path) < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(hitsAt(path)).toBe(2);
    // Both notices came out of one claim, which the start's first pass did not make (it found nothing).
    expect(claims.mock.calls.length).toBe(2);
  } finally {
    await drainer.stop();
  }
});

test('a five-day outage of every ordinary channel ends with every copy delivered and exactly one alert per stuck notice', async () => {
  const paths = {
    leader: `/leader-${randomUUID()}`,
    agency: `/agency-${randomUUID()}`,
    bureau: `/bureau-${randomUUID()}`,
  };
  const alerts = `/alerts-${randomUUID()}`;
  for (const p of Object.values(paths)) env.receiver.behave(p, 'refuse');
  const w = await env.world({
    leader: [hook(paths.leader)],
    agency: [hook(paths.agency)],
    bureau: [hook(paths.bureau)],
    // The bureau's alert route: not the channel that is down.
    bureauAlerts: [hook(alerts)],
  });
  const drainer = w.drainer();
  const caseId = `c-${randomUUID()}`;
  // Golden Week: five notices of one case, three copies each, written over the first day of the outage.
  const keys: string[] = [];
  for (let i = 0; i < 5; i++) {
    const req = escalation(caseId, {
      key: `${caseId}/d${i}/escalation/1`,
      recipients: ['leader:vice-head-li', 'agency:natural-resources', 'bureau'],
    });
    keys.push(req.key);
    await w.enqueue(req);
    await w.advance(drainer, 5 * HOUR);
  }
  await w.advance(drainer, 5 * DAY - 25 * HOUR);
  const stuck = await w.store.listNotices({ caseId, limit: 100 });
  expect(stuck.filter((r) => r.kind === 'escalation').map((r) => r.status)).toEqual(Array(15).fill('pending'));
  for (const p of Object.values(paths)) expect(hitsAt(p)).toBeGreaterThan(5 * (4 * 24 - 10));
  const alertKeys = () =>
    env.receiver.hits.filter((h) => h.path === alerts).map((h) => (h.json as { key: string }).key);
  expect(alertKeys().sort()).toEqual(keys.map(deliveryFailedKey).sort());

  for (const p of Object.values(paths)) env.receiver.behave(p, 'accept');
  await w.advance(drainer, 2 * HOUR);
  const rows = await w.store.listNotices({ caseId, limit: 100 });
  expect(rows.filter((r) => r.status !== 'delivered')).toEqual([]);
  // Each copy arrived under its own idempotency key (the row id), once per attempt, however many were refused.
  for (const r of rows) expect(env.receiver.keys.get(r.id)).toBe(r.attempts);
  expect(alertKeys()).toHaveLength(5);
});
