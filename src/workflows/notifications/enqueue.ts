import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { NoticeRequest } from '../../notifications/types';
import type { NotificationActivities } from './activities';
import { noticeWorkflowId, type DeliverNoticeInput, type DeliverNoticeResult, type DeliveryPolicy } from './messages';

// Writing the outbox is a local database write: short attempts, retried until the registry answers.
const { enqueueNotice } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The delivery workflow, handed in by reference: the delivery workflow itself enqueues alerts through here. */
export type DeliveryWorkflow = (input: DeliverNoticeInput) => Promise<DeliverNoticeResult>;

/**
 * Writes a notice's outbox rows (idempotent by `req.key`), then starts the delivery child `notice-<key>` and returns
 * as soon as it has started.
 */
export async function enqueueAndDeliver(
  req: NoticeRequest,
  delivery: DeliveryWorkflow,
  opts: { policy?: Partial<DeliveryPolicy> } = {},
): Promise<void> {
  await enqueueNotice.executeWithOptions({ summary: `登记通知 ${req.kind} → ${req.recipients.join('、')}` }, [req]);
  try {
    await startChild(delivery, {
      workflowId: noticeWorkflowId(req.key),
      args: [{ key: req.key, ...(opts.policy ? { policy: opts.policy } : {}) }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      staticSummary: `送达通知 ${req.kind}（${req.caseId}）`,
    });
  } catch (err) {
    // A replayed or repeated send of the same key: its delivery already exists, which is what we want.
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    throw err;
  }
}
