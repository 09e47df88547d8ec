// How hard the outbox drainer tries one row: the backoff, the horizon, the alert delay. Pure data and arithmetic.
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';

/**
 * How hard a row is retried through its channel: with backoff until delivered or until the horizon, the bureau
 * alerted once when the notice has failed for `alertAfter` (the delivery keeps trying after the alert).
 */
export interface DeliveryPolicy {
  initialInterval: Duration;
  backoffCoefficient: number;
  maximumInterval: Duration;
  /** The horizon, counted from the row's first attempt (a resend starts it again); past it the row is failed. */
  totalTimeout: Duration;
  /** How long a row may fail, from its first attempt, before the bureau is alerted (once per notice). */
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

/** The policy in milliseconds, with the deployment's and the caller's overrides applied. */
export interface DeliveryPolicyMs {
  initialMs: number;
  coefficient: number;
  maximumMs: number;
  horizonMs: number;
  alertMs: number;
  attemptMs: number;
  maximumAttempts?: number;
}

export function policyMs(...overrides: (Partial<DeliveryPolicy> | undefined)[]): DeliveryPolicyMs {
  const p: DeliveryPolicy = Object.assign({}, defaultDeliveryPolicy, ...overrides.filter(Boolean));
  const horizonMs = msToNumber(p.totalTimeout);
  return {
    initialMs: msToNumber(p.initialInterval),
    coefficient: p.backoffCoefficient,
    maximumMs: msToNumber(p.maximumInterval),
    horizonMs,
    // An alert after the horizon would never come: the failure alerts at the horizon instead.
    alertMs: Math.min(msToNumber(p.alertAfter), horizonMs),
    attemptMs: msToNumber(p.attemptTimeout),
    ...(p.maximumAttempts ? { maximumAttempts: p.maximumAttempts } : {}),
  };
}

/** The wait after the n-th failed attempt (n ≥ 1): initial × coefficient^(n−1), capped at the maximum. */
export function backoffMs(p: DeliveryPolicyMs, attempts: number): number {
  const n = Math.max(1, attempts);
  return Math.min(p.initialMs * p.coefficient ** (n - 1), p.maximumMs);
}
