// The activity the notification side of workflows calls, as a type: workflow code never imports src/activities (it
// would pull the worker's dependencies into the bundle). The worker's implementation must satisfy this signature.
import type { NoticeRequest } from '../../notifications/types';

/** What a workflow learns of an outbox row it wrote (the row itself stays in the outbox). */
export interface OutboxRowRef {
  id: string;
  key: string;
  caseId: string;
  dutyId: string | null;
  kind: string;
  agencyId: string | null;
  recipient: string;
  channel: string;
  target: string;
  status: 'pending' | 'sending' | 'delivered' | 'failed' | 'undeliverable';
  subject: string;
  lastError: string | null;
  caseTitle: string;
}

export interface NotificationActivities {
  enqueueNotice(req: NoticeRequest): Promise<{ key: string; created: boolean; rows: OutboxRowRef[] }>;
}
