import { RetryState } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import {
  ActivityFailure,
  CancellationScope,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { deliveryFailedKey } from '../../notifications/keys';
import type { NoticeRequest } from '../../notifications/types';
import type { NotificationActivities, OutboxRowRef } from './activities';
import {
  defaultDeliveryPolicy,
  type DeliverNoticeInput,
  type DeliverNoticeResult,
  type DeliveryPolicy,
} from './messages';

const { noticeRows, noticeDeliveryPolicy, reopenNotice, enqueueNotice, markNoticeFailed, markNoticeUndeliverable } =
  proxyActivities<NotificationActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });

type Sink = Pick<DeliverNoticeResult, 'delivered' | 'alreadyDone' | 'failed' | 'undeliverable'>;

/** The reason an activity gave up, in one line: the channel's refusal or the timeout. */
function reasonOf(err: ActivityFailure): string {
  const cause = err.cause;
  return cause ? `${cause.name}: ${cause.message}` : err.message;
}

/** The bureau's alert about one notice, by the alert route and never through the target that failed. */
function failureAlert(row: OutboxRowRef, reason: string): NoticeRequest {
  return {
    key: deliveryFailedKey(row.key),
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
    avoidTargets: [row.target],
  };
}

/**
 * Delivers the rows of one notice key, each through its channel, with backoff until delivered or until the
 * policy's horizon (7 days by default). The bureau is alerted once per notice, on its alert route: when a row is
 * undeliverable (no usable channel, a contact gone or changed since the row was written), or has failed for
 * `alertAfter` (4 hours by default; the delivery keeps trying after the alert). Never about a delivery-failed
 * notice itself, which would alert forever.
 */
export async function deliverNoticeWorkflow(input: DeliverNoticeInput): Promise<DeliverNoticeResult> {
  const configured = await noticeDeliveryPolicy.executeWithOptions({ summary: '读取送达策略' }, []);
  const policy: DeliveryPolicy = { ...defaultDeliveryPolicy, ...configured, ...input.policy };
  const horizonMs = msToNumber(policy.totalTimeout);
  const alertMs = Math.min(msToNumber(policy.alertAfter), horizonMs);
  const deliverWithin = (withinMs: number, resumed: boolean) =>
    proxyActivities<NotificationActivities>({
      startToCloseTimeout: policy.attemptTimeout,
      scheduleToCloseTimeout: withinMs,
      retry: {
        // After the alert the backoff resumes where it was (the longest interval), not from the first one.
        initialInterval: resumed ? policy.maximumInterval : policy.initialInterval,
        backoffCoefficient: policy.backoffCoefficient,
        maximumInterval: policy.maximumInterval,
        ...(policy.maximumAttempts ? { maximumAttempts: policy.maximumAttempts } : {}),
        nonRetryableErrorTypes: ['UnknownOutboxRow', 'ChannelNotConfigured', 'ContactGone', 'ContactChanged'],
      },
    }).deliverNotice;

  const result: DeliverNoticeResult = {
    key: input.key,
    delivered: [],
    alreadyDone: [],
    failed: [],
    undeliverable: [],
    alerts: [],
  };
  const rows = input.resendRowId
    ? await reopenNotice.executeWithOptions({ summary: `重发通知 ${input.key}` }, [input.resendRowId])
    : await noticeRows.executeWithOptions({ summary: `读取待送达通知 ${input.key}` }, [input.key]);
  setCurrentDetails(`通知 ${input.key}：${rows.length} 条待送达（${workflowInfo().workflowId}）`);

  const alertSink: Sink = { delivered: [], alreadyDone: [], failed: [], undeliverable: [] };
  // The alert runs beside the deliveries: a row keeps retrying while the bureau is told about it.
  const alerts: Promise<void>[] = [];
  let alerted = false;
  const alert = (row: OutboxRowRef, reason: string): void => {
    if (alerted || row.kind === 'delivery-failed') return;
    alerted = true;
    const req = failureAlert(row, reason);
    result.alerts.push(req.key);
    alerts.push(
      (async () => {
        const { rows: alertRows } = await enqueueNotice.executeWithOptions({ summary: `登记送达失败提醒 ${row.key}` }, [
          req,
        ]);
        await Promise.all(alertRows.map((r) => deliverRow(r, alertSink)));
      })(),
    );
  };

  const undeliverable = async (row: OutboxRowRef, reason: string, sink: Sink): Promise<void> => {
    const r = await markNoticeUndeliverable.executeWithOptions({ summary: `标记无法送达 ${row.id}` }, [
      { rowId: row.id, error: reason },
    ]);
    if (r.marked) sink.undeliverable.push(row.id);
    alert(row, r.reason);
  };

  async function deliverRow(row: OutboxRowRef, sink: Sink): Promise<void> {
    if (row.status === 'delivered' || row.status === 'failed') {
      sink.alreadyDone.push(row.id);
      return;
    }
    if (row.status === 'undeliverable') {
      sink.undeliverable.push(row.id);
      alert(row, row.lastError ?? '没有可用的送达渠道');
      return;
    }
    const rowStarted = Date.now();
    let reason = '';
    // The server ends an activity's retries early when the next backoff would pass its deadline, so the first phase
    // may end before `alertAfter`: the alert then waits on its own timer, cancelled if the row gets through first.
    const alertTimer = new CancellationScope();
    try {
      for (const [phaseEnd, resumed] of [
        [alertMs, false],
        [horizonMs, true],
      ] as const) {
        const remaining = phaseEnd - (Date.now() - rowStarted);
        if (remaining <= 0) continue;
        try {
          const r = await deliverWithin(remaining, resumed).executeWithOptions(
            { summary: `送达 ${row.recipient} 经 ${row.channel}` },
            [row.id],
          );
          if (r.outcome === 'delivered') sink.delivered.push(row.id);
          else if (r.outcome === 'undeliverable') sink.undeliverable.push(row.id);
          else sink.alreadyDone.push(row.id);
          return;
        } catch (err) {
          if (!(err instanceof ActivityFailure)) throw err;
          reason = reasonOf(err);
          if (err.retryState === RetryState.NON_RETRYABLE_FAILURE) return await undeliverable(row, reason, sink);
          // The attempt cap is for the whole delivery, not per phase.
          if (err.retryState === RetryState.MAXIMUM_ATTEMPTS_REACHED) break;
          if (!resumed && phaseEnd < horizonMs) {
            const why = `已持续失败 ${String(policy.alertAfter)}，仍在重试：${reason}`;
            const due = Math.max(0, alertMs - (Date.now() - rowStarted));
            alerts.push(
              alertTimer
                .run(() => sleep(due, { summary: `送达失败提醒 ${row.id}` }))
                .then(
                  () => alert(row, why),
                  (e: unknown) => {
                    if (!isCancellation(e)) throw e;
                  },
                ),
            );
          }
        }
      }
    } finally {
      alertTimer.cancel();
    }
    const { marked, reason: why } = await markNoticeFailed.executeWithOptions({ summary: `标记送达失败 ${row.id}` }, [
      { rowId: row.id, error: reason },
    ]);
    if (!marked) return;
    sink.failed.push(row.id);
    alert(row, why);
  }

  await Promise.all(
    rows.map(async (row) => {
      await deliverRow(row, result);
      setCurrentDetails(
        `通知 ${input.key}：已送达 ${result.delivered.length + result.alreadyDone.length}，失败 ${result.failed.length}，无法送达 ${result.undeliverable.length}，共 ${rows.length}`,
      );
    }),
  );
  // Alerts may start while others finish: wait until none is left running.
  for (let i = 0; i < alerts.length; i++) await alerts[i];
  if (result.alerts.length > 0) result.alertDelivery = alertSink;
  return result;
}
