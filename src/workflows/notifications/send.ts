import { proxyActivities } from '@temporalio/workflow';
import type { NoticeRequest } from '../../notifications/types';
import type { NotificationActivities } from './activities';

// Writing the outbox is a local database write: short attempts, retried until the registry answers.
const { enqueueNotice } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Sends a notice from inside a workflow: writes its outbox rows (idempotent by `req.key`) and returns. The outbox
 * drainer in the worker process delivers them (src/notifications/drainer.ts): the caller's timers never wait on a
 * slow or refusing channel. Only an unreachable registry holds the caller here.
 */
export async function sendNotice(req: NoticeRequest): Promise<void> {
  await enqueueNotice.executeWithOptions({ summary: `登记通知 ${req.kind} → ${req.recipients.join('、')}` }, [req]);
}
