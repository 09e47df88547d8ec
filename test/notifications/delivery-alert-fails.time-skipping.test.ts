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

test('a delivery-failed notice that cannot be delivered is marked failed without alerting about itself', async () => {
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
    expect(result.alerts).toEqual([deliveryFailedKey(result.failed[0]!)]);
    const alert: DeliverNoticeResult = await d.env.client.workflow
      .getHandle(noticeWorkflowId(result.alerts[0]!))
      .result();
    expect(alert.failed).toHaveLength(1);
    expect(alert.alerts).toEqual([]);
  });
  const [alertRow] = await d.store.noticeRowsByKey(deliveryFailedKey((await d.store.noticeRowsByKey(req.key))[0]!.id));
  expect(alertRow).toMatchObject({ kind: 'delivery-failed', status: 'failed' });
  // No alert about the failed alert: no key below the delivery-failed one.
  expect(await d.store.noticeRowsByKey(deliveryFailedKey(alertRow!.id))).toEqual([]);
});
