import type { NoticeRequest } from '../../notifications/types';
import { deliverNoticeWorkflow } from './deliver';
import { enqueueAndDeliver } from './enqueue';
import type { DeliveryPolicy } from './messages';

/**
 * Sends a notice from inside a workflow: writes its outbox rows (idempotent by `req.key`), then starts the
 * delivery child `notice-<key>` and returns as soon as it has started.
 *
 * Delivery is a separate, abandoned child: the caller's timers never wait on a slow or refusing channel, and the
 * delivery survives the caller's completion or continue-as-new. Only an unreachable registry holds the caller here.
 */
export const sendNotice = (req: NoticeRequest, opts: { policy?: Partial<DeliveryPolicy> } = {}): Promise<void> =>
  enqueueAndDeliver(req, deliverNoticeWorkflow, opts);
