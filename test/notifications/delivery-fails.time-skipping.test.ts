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

test('a channel that never recovers ends with the row failed and a delivery-failed notice to the bureau', async () => {
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
    const result: DeliverNoticeResult = await d.env.client.workflow.getHandle(noticeWorkflowId(req.key)).result();
    expect(result.failed).toHaveLength(1);
    expect(result.alerts).toEqual([deliveryFailedKey(result.failed[0]!)]);
    const alert: DeliverNoticeResult = await d.env.client.workflow
      .getHandle(noticeWorkflowId(result.alerts[0]!))
      .result();
    expect(alert.delivered).toHaveLength(1);
  });
  const [row] = await d.store.noticeRowsByKey(req.key);
  expect(row).toMatchObject({
    status: 'failed',
    failedAt: expect.any(String),
    lastError: expect.stringContaining('webhook answered HTTP 503'),
  });
  expect(row!.attempts).toBeGreaterThan(20); // a day of backoff capped at one hour
  const [alertRow] = await d.store.noticeRowsByKey(deliveryFailedKey(row!.id));
  expect(alertRow).toMatchObject({ kind: 'delivery-failed', recipient: 'bureau', status: 'delivered' });
  const alertHit = d.receiver.hits.find((h) => h.path === bureau)!;
  expect(alertHit.json).toMatchObject({
    kind: 'delivery-failed',
    subject: expect.stringContaining('【通知投递失败】'),
  });
  expect((alertHit.json as { body: string }).body).toContain(req.key);
});
