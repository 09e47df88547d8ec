// The contract of the notice delivery workflow: its id, input, policy and result. Types and pure functions only.
import type { Duration } from '@temporalio/common';

/** One delivery workflow per notice key: its id is derived, so a second start with the same key is refused. */
export const noticeWorkflowId = (key: string): string => `notice-${key}`;

export { deliveryFailedKey } from '../../notifications/keys';

/**
 * How hard a row is retried through its channel: with backoff until delivered or until the horizon, the bureau
 * alerted once when the notice has failed for `alertAfter` (the delivery keeps trying after the alert).
 */
export interface DeliveryPolicy {
  initialInterval: Duration;
  backoffCoefficient: number;
  maximumInterval: Duration;
  /** The horizon: total time for one row, all attempts included; past it the row is failed. */
  totalTimeout: Duration;
  /** How long a row may fail before the bureau is alerted (once per notice). */
  alertAfter: Duration;
  /** One attempt (a send); a hung receiver counts as a failed attempt after it. */
  attemptTimeout: Duration;
  /** Optional cap on attempts besides `totalTimeout`. */
  maximumAttempts?: number;
}

export const defaultDeliveryPolicy: DeliveryPolicy = {
  initialInterval: '30 seconds',
  backoffCoefficient: 2,
  maximumInterval: '1 hour',
  totalTimeout: '7 days',
  alertAfter: '4 hours',
  attemptTimeout: '2 minutes',
};

export interface DeliverNoticeInput {
  key: string;
  policy?: Partial<DeliveryPolicy>;
  /** A resend (POST /api/notices/:id/resend): only this row, reopened first. */
  resendRowId?: string;
}

/** A resend's delivery workflow: its own id, so it never collides with the notice's first delivery. */
export const resendWorkflowId = (key: string, rowId: string, nth: number): string =>
  `${noticeWorkflowId(key)}/resend/${encodeURIComponent(rowId)}/${nth}`;

export interface DeliverNoticeResult {
  key: string;
  /** Outbox row ids, by what happened to them in this run. */
  delivered: string[];
  alreadyDone: string[];
  failed: string[];
  /** Rows that no retry can send (no usable channel, contact gone or changed). */
  undeliverable: string[];
  /** Keys of the delivery-failed notices sent to the bureau (at most one per notice). */
  alerts: string[];
  /** What became of the alert's own rows. */
  alertDelivery?: { delivered: string[]; alreadyDone: string[]; failed: string[]; undeliverable: string[] };
}
