// One scenario per file (see delivery-recovers).
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

test('a recipient whose only channel is not configured ends undeliverable, never delivered, and the bureau is alerted', async () => {
  const bureau = `/bureau-${randomUUID()}`;
  // Email while SMTP_HOST is unset: the leader has no usable channel.
  const { worker, taskQueue } = await workerWith({
    leader: [{ channel: 'email', address: 'li@wuping.example' }],
    bureau: [hook(bureau)],
  });
  const req = escalation(`c-${randomUUID()}`);
  await worker.runUntil(async () => {
    await d.env.client.workflow.execute(noticeThenDeadline, {
      args: [req],
      taskQueue,
      workflowId: `case-${randomUUID()}`,
    });
    const result: DeliverNoticeResult = await d.env.client.workflow.getHandle(noticeWorkflowId(req.key)).result();
    expect(result).toMatchObject({ delivered: [], failed: [], undeliverable: [expect.any(String)] });
    expect(result.alerts).toEqual([deliveryFailedKey(req.key)]);
    expect(result.alertDelivery?.delivered).toHaveLength(1);
  });
  const [row] = await d.store.noticeRowsByKey(req.key);
  expect(row).toMatchObject({
    recipient: 'leader:vice-head-li',
    channel: 'none',
    status: 'undeliverable',
    deliveredAt: null,
    lastError: expect.stringContaining('email is not configured'),
  });
  const alertHit = d.receiver.hits.find((h) => h.path === bureau)!;
  expect(alertHit.json).toMatchObject({ kind: 'delivery-failed' });
  expect((alertHit.json as { body: string }).body).toContain('email is not configured');
});
