import { ActivityFailure, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import { deliveryFailedKey } from '../../notifications/keys';
import type { NoticeRequest } from '../../notifications/types';
import type { NotificationActivities, OutboxRowRef } from './activities';
import { enqueueAndDeliver } from './enqueue';
import { defaultDeliveryPolicy, type DeliverNoticeInput, type DeliverNoticeResult } from './messages';

const { pendingNoticeRows, markNoticeFailed } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The reason an activity gave up, in one line: the channel's refusal or the timeout. */
function reasonOf(err: ActivityFailure): string {
  const cause = err.cause;
  return cause ? `${cause.name}: ${cause.message}` : err.message;
}

function failureAlert(row: OutboxRowRef, reason: string): NoticeRequest {
  return {
    key: deliveryFailedKey(row.id),
    caseId: row.caseId,
    ...(row.dutyId ? { dutyId: row.dutyId } : {}),
    kind: 'delivery-failed',
    recipients: ['bureau'],
    facts: {
      caseTitle: row.caseTitle,
      ...(row.agencyId ? { agencyId: row.agencyId } : {}),
      detail: `通知「${row.subject}」（编号 ${row.key}）发送给 ${row.recipient}（${row.channel}：${row.target}）失败：${reason}`,
    },
    requestedAt: new Date().toISOString(),
  };
}

/**
 * Delivers every pending outbox row of one notice key, each through its channel with retries and backoff. A row
 * that exhausts its policy is marked failed and the bureau gets a delivery-failed notice — except about a
 * delivery-failed notice itself, which would alert forever.
 */
export async function deliverNoticeWorkflow(input: DeliverNoticeInput): Promise<DeliverNoticeResult> {
  const policy = { ...defaultDeliveryPolicy, ...input.policy };
  const { deliverNotice } = proxyActivities<NotificationActivities>({
    startToCloseTimeout: policy.attemptTimeout,
    scheduleToCloseTimeout: policy.totalTimeout,
    retry: {
      initialInterval: policy.initialInterval,
      backoffCoefficient: policy.backoffCoefficient,
      maximumInterval: policy.maximumInterval,
      ...(policy.maximumAttempts ? { maximumAttempts: policy.maximumAttempts } : {}),
      nonRetryableErrorTypes: ['UnknownOutboxRow', 'ChannelNotConfigured', 'ContactGone'],
    },
  });
  const result: DeliverNoticeResult = { key: input.key, delivered: [], alreadyDone: [], failed: [], alerts: [] };
  const rows = await pendingNoticeRows.executeWithOptions({ summary: `读取待送达通知 ${input.key}` }, [input.key]);
  setCurrentDetails(`通知 ${input.key}：${rows.length} 条待送达（${workflowInfo().workflowId}）`);

  await Promise.all(
    rows.map(async (row) => {
      try {
        const r = await deliverNotice.executeWithOptions({ summary: `送达 ${row.recipient} 经 ${row.channel}` }, [
          row.id,
        ]);
        (r.outcome === 'delivered' ? result.delivered : result.alreadyDone).push(row.id);
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const { marked, reason } = await markNoticeFailed.executeWithOptions({ summary: `标记送达失败 ${row.id}` }, [
          { rowId: row.id, error: reasonOf(err) },
        ]);
        if (!marked) return;
        result.failed.push(row.id);
        if (row.kind !== 'delivery-failed') {
          const alert = failureAlert(row, reason);
          await enqueueAndDeliver(alert, deliverNoticeWorkflow, { policy: input.policy });
          result.alerts.push(alert.key);
        }
      }
      setCurrentDetails(
        `通知 ${input.key}：已送达 ${result.delivered.length + result.alreadyDone.length}，失败 ${result.failed.length}，共 ${rows.length}`,
      );
    }),
  );
  return result;
}
