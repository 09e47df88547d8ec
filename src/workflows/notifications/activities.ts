// The activities the notification workflows call, as types: workflow code never imports src/activities (it would
// pull the worker's dependencies into the bundle). The worker's implementations must satisfy these signatures.
import type { NoticeRequest } from '../../notifications/types';

/** What the delivery workflow needs of an outbox row (the row itself stays in the outbox). */
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
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  subject: string;
  caseTitle: string;
}

export type DeliverOutcome = 'delivered' | 'already-delivered' | 'already-failed';

export interface NotificationActivities {
  enqueueNotice(req: NoticeRequest): Promise<{ key: string; created: boolean; rows: OutboxRowRef[] }>;
  pendingNoticeRows(key: string): Promise<OutboxRowRef[]>;
  deliverNotice(rowId: string): Promise<{ rowId: string; outcome: DeliverOutcome; answer?: string }>;
  markNoticeFailed(input: { rowId: string; error: string }): Promise<{ marked: boolean; reason: string }>;
}
