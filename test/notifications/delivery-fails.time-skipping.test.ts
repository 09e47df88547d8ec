// One scenario per file: with test server 1.38.0 a second scenario in the same environment sometimes stopped
// skipping time, so each delivery scenario gets its own environment.
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

test('a channel that never recovers is retried to the 7-day horizon, the bureau alerted once after 4 hours', async () => {
  const dead = `/dead-${randomUUID()}`;
  const bureau = `/bureau-${randomUUID()}`;
  d.receiver.behave(dead, 'refuse');
  const { worker, taskQueue } = await workerWith({ leader: [hook(dead)], bureau: [hook(bureau)] });
  const req = escalation(`c-${randomUUID()}`);
  await worker.runUntil(async () => {
    await d.env.client.workflow.execute(noticeThenDeadline, {
      args: [req],
      taskQueue,
      workflowId: `case-${randomUUID()}`,
    });
    // No alert in the first hours of failing; one once the notice has failed for four hours.
    const alertsAtBureau = () => d.receiver.hits.filter((h) => h.path === bureau).length;
    await d.env.sleep('3 hours');
    expect(alertsAtBureau()).toBe(0);
    await d.env.sleep('90 minutes');
    expect(alertsAtBureau()).toBe(1);
    const result: DeliverNoticeResult = await d.env.client.workflow.getHandle(noticeWorkflowId(req.key)).result();
    expect(result.failed).toHaveLength(1);
    expect(result.alerts).toEqual([deliveryFailedKey(req.key)]);
    expect(result.alertDelivery?.delivered).toHaveLength(1);
  });
  const [row] = await d.store.noticeRowsByKey(req.key);
  expect(row).toMatchObject({
    status: 'failed',
    failedAt: expect.any(String),
    lastError: expect.stringContaining('webhook answered HTTP 503'),
  });
  // Seven days of backoff capped at one hour: more than 7 × 24 attempts.
  expect(row!.attempts).toBeGreaterThan(7 * 24);
  const alertRows = await d.store.noticeRowsByKey(deliveryFailedKey(req.key));
  expect(alertRows).toEqual([
    expect.objectContaining({ kind: 'delivery-failed', recipient: 'bureau', status: 'delivered' }),
  ]);
  expect(d.receiver.hits.filter((h) => h.path === bureau)).toHaveLength(1);
  const alertHit = d.receiver.hits.find((h) => h.path === bureau)!;
  expect(alertHit.json).toMatchObject({
    kind: 'delivery-failed',
    subject: expect.stringContaining('【通知投递失败】'),
  });
  expect((alertHit.json as { body: string }).body).toContain(req.key);
});
