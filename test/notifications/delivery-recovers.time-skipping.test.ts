// One scenario per file: with test server 1.38.0 a second scenario in the same environment sometimes stopped
// skipping time, so each delivery scenario gets its own environment.
import { randomUUID } from 'node:crypto';
import { noticeWorkflowId, type DeliverNoticeResult } from '../../src/workflows/notifications/messages';
import { useDeliveryEnv } from './fixtures/delivery-env';
import { noticeThenDeadline } from './fixtures/workflows';

const d = useDeliveryEnv();
const { hook, workerWith, escalation } = d;

const hitsAt = (path: string) => d.receiver.hits.filter((h) => h.path === path).length;

test('a channel that refuses for an hour gets its notice delivered after it recovers, while the deadline fires on time', async () => {
  const path = `/flaky-${randomUUID()}`;
  d.receiver.behave(path, 'refuse');
  const { worker, taskQueue } = await workerWith({ leader: [hook(path)] });
  const req = escalation(`c-${randomUUID()}`);
  await worker.runUntil(async () => {
    const timing = await d.env.client.workflow.execute(noticeThenDeadline, {
      args: [req],
      taskQueue,
      workflowId: `case-${randomUUID()}`,
    });
    // The send returned before the first delivery retry (30 s) could have happened — it never waited on the channel —
    // and the 10-minute deadline fired after 10 minutes, channel down or not. (Bounds in workflow time, not load-bound.)
    expect(timing.sendReturnedAt - timing.startedAt).toBeLessThan(30_000);
    expect(timing.deadlineFiredAt - timing.sendReturnedAt).toBeGreaterThanOrEqual(10 * 60_000);
    expect(timing.deadlineFiredAt - timing.sendReturnedAt).toBeLessThan(11 * 60_000);
    await d.env.sleep('1 hour');
    const refusedHits = hitsAt(path);
    expect(refusedHits).toBeGreaterThanOrEqual(5); // 30 s, 1, 2, 4, 8, 16 min… of backoff within the hour
    expect((await d.store.noticeRowsByKey(req.key))[0]).toMatchObject({
      status: 'pending',
      lastError: 'webhook answered HTTP 503',
    });
    d.receiver.behave(path, 'accept');
    const result: DeliverNoticeResult = await d.env.client.workflow.getHandle(noticeWorkflowId(req.key)).result();
    expect(result.delivered).toHaveLength(1);
    expect(result.failed).toEqual([]);
    expect(hitsAt(path)).toBe(refusedHits + 1);
  });
  const [row] = await d.store.noticeRowsByKey(req.key);
  expect(row).toMatchObject({
    status: 'delivered',
    attempts: hitsAt(path),
    channelAnswer: expect.stringMatching(/^HTTP 200/),
  });
  expect(d.receiver.keys.get(req.key)).toBe(hitsAt(path));
});
