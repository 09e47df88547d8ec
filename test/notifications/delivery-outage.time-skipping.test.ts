// One scenario per file (see delivery-recovers). A Golden Week outage: every ordinary route down for five days.
import { randomUUID } from 'node:crypto';
import {
  deliveryFailedKey,
  noticeWorkflowId,
  type DeliverNoticeResult,
} from '../../src/workflows/notifications/messages';
import { useDeliveryEnv } from './fixtures/delivery-env';
import { noticeThenDeadline } from './fixtures/workflows';

const d = useDeliveryEnv();
const { hook, workerWith, escalation } = d;

test('a five-day outage of every recipient channel ends with every copy delivered and exactly one bureau alert', async () => {
  const paths = {
    leader: `/leader-${randomUUID()}`,
    agency: `/agency-${randomUUID()}`,
    bureau: `/bureau-${randomUUID()}`,
  };
  const alerts = `/alerts-${randomUUID()}`;
  for (const p of Object.values(paths)) d.receiver.behave(p, 'refuse');
  const { worker, taskQueue } = await workerWith({
    leader: [hook(paths.leader)],
    agency: [hook(paths.agency)],
    bureau: [hook(paths.bureau)],
    // The bureau's alert route: not the channel that is down.
    bureauAlerts: [hook(alerts)],
  });
  const req = {
    ...escalation(`c-${randomUUID()}`),
    recipients: ['leader:vice-head-li', 'agency:natural-resources', 'bureau'],
  } as const;
  const hitsAt = (path: string) => d.receiver.hits.filter((h) => h.path === path).length;
  await worker.runUntil(async () => {
    await d.env.client.workflow.execute(noticeThenDeadline, {
      args: [{ ...req, recipients: [...req.recipients] }],
      taskQueue,
      workflowId: `case-${randomUUID()}`,
    });
    await d.env.sleep('5 days');
    // Still trying after five days, on every copy; the bureau was told once, on its alert route.
    const rows = await d.store.noticeRowsByKey(req.key);
    expect(rows.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    for (const p of Object.values(paths)) expect(hitsAt(p)).toBeGreaterThan(5 * 24 - 10);
    expect(hitsAt(alerts)).toBe(1);

    for (const p of Object.values(paths)) d.receiver.behave(p, 'accept');
    const result: DeliverNoticeResult = await d.env.client.workflow.getHandle(noticeWorkflowId(req.key)).result();
    expect(result.delivered).toHaveLength(3);
    expect(result).toMatchObject({ failed: [], undeliverable: [], alerts: [deliveryFailedKey(req.key)] });
  });
  const rows = await d.store.noticeRowsByKey(req.key);
  expect(rows.every((r) => r.status === 'delivered')).toBe(true);
  // Each copy arrived under its own idempotency key (the row id), however many refused attempts came before.
  for (const r of rows) expect(d.receiver.keys.get(r.id)).toBe(r.attempts);
  expect(hitsAt(alerts)).toBe(1);
  const alertHit = d.receiver.hits.find((h) => h.path === alerts)!;
  expect(alertHit.json).toMatchObject({ kind: 'delivery-failed', recipient: 'bureau' });
  expect(await d.store.noticeRowsByKey(deliveryFailedKey(req.key))).toEqual([
    expect.objectContaining({ status: 'delivered', target: `${d.receiver.url}${alerts}` }),
  ]);
});
