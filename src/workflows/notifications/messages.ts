// The contract of the notice delivery workflow: its id, input, policy and result. Types and pure functions only.
import type { Duration } from '@temporalio/common';

/** One delivery workflow per notice key: its id is derived, so a second start with the same key is refused. */
export const noticeWorkflowId = (key: string): string => `notice-${key}`;

export { deliveryFailedKey } from '../../notifications/keys';

/** How hard a row is retried through its channel before it is marked failed and the bureau alerted. */
export interface DeliveryPolicy {
  initialInterval: Duration;
  backoffCoefficient: number;
  maximumInterval: Duration;
  /** Total time for one row, all attempts included; past it the row is failed. */
  totalTimeout: Duration;
  /** One attempt (a send); a hung receiver counts as a failed attempt after it. */
  attemptTimeout: Duration;
  /** Optional cap on attempts besides `totalTimeout`. */
  maximumAttempts?: number;
}

export const defaultDeliveryPolicy: DeliveryPolicy = {
  initialInterval: '30 seconds',
  backoffCoefficient: 2,
  maximumInterval: '1 hour',
  totalTimeout: '24 hours',
  attemptTimeout: '2 minutes',
};

export interface DeliverNoticeInput {
  key: string;
  policy?: Partial<DeliveryPolicy>;
}

export interface DeliverNoticeResult {
  key: string;
  /** Outbox row ids, by what happened to them in this run. */
  delivered: string[];
  alreadyDone: string[];
  failed: string[];
  /** Keys of the delivery-failed notices sent to the bureau. */
  alerts: string[];
}
