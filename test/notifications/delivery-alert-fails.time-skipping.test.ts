// One scenario per file: with test server 1.38.0 a second scenario in the same environment sometimes stopped
// skipping time, so each delivery scenario gets its own environment.
import { randomUUID } from 'node:crypto';
import {
  deliveryFailedKey,
  noticeWorkflowId,
  type DeliverNoticeResult,
} from '../../src/workflows/notifications/messages';
import { useDeliveryEnv } from './fixtures/delivery-env';
import { deliverNoticeWorkflow } from './fixtures/workflows';

const d = useDeliveryEnv();
const { hook, workerWith, escalation } = d;

test('an alert whose only route is the one that failed is undeliverable, without alerting about itself', async () => {
  const dead = `/dead-${randomUUID()}`;
  d.receiver.behave(dead, 'refuse');
  const { worker, taskQueue, acts } = await workerWith({ leader: [hook(dead)], bureau: [hook(dead)] });
  const req = escalation(`c-${randomUUID()}`);
  await worker.runUntil(async () => {
    // Enqueued and started directly, as sendNotice does: a parent that is still running when its notice's
    // delivery completes stops the Java time-skipping server from skipping its timers (the real server is fine:
    // see send-notice.e2e.test.ts), so this scenario has no case-like parent.
    await acts.enqueueNotice(req);
    const policy = { initialInterval: '1 second', maximumInterval: '1 minute', totalTimeout: '2 hours' } as const;
    const result: DeliverNoticeResult = await d.env.client.workflow.execute(deliverNoticeWorkflow, {
      args: [{ key: req.key, policy }],
      taskQueue,
      workflowId: noticeWorkflowId(req.key),
    });
    expect(result.failed).toHaveLength(1);
    expect(result.alerts).toEqual([deliveryFailedKey(req.key)]);
    expect(result.alertDelivery).toMatchObject({ delivered: [], undeliverable: [expect.any(String)] });
  });
  const [alertRow] = await d.store.noticeRowsByKey(deliveryFailedKey(req.key));
  // The bureau's only contact is the route that failed: "another route" does not exist, and the row says so.
  expect(alertRow).toMatchObject({ kind: 'delivery-failed', channel: 'none', status: 'undeliverable', attempts: 0 });
  // No alert about the undeliverable alert: no key below the delivery-failed one.
  expect(await d.store.noticeRowsByKey(deliveryFailedKey(alertRow!.key))).toEqual([]);
});
