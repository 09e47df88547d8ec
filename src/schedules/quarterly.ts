import { createHash } from 'node:crypto';
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import {
  OVERSIGHT_TASK_QUEUE,
  QUARTERLY_SCHEDULE_ID,
  QUARTERLY_SCHEDULE_WORKFLOW_ID,
} from '../workflows/oversight/messages';
import { quarterlyReportScheduleWorkflow } from '../workflows/oversight/quarterly';

export interface QuarterlyScheduleOptions {
  scheduleId?: string;
  taskQueue?: string;
  /** How late a missed firing (cluster down) is still taken; must stay well under a quarter. Default 30 days. */
  catchupWindow?: Duration;
}

export type EnsureOutcome = 'created' | 'updated' | 'unchanged';

/**
 * 00:05 Shanghai on the first day of each quarter. A cron cannot know working days, so the firing only starts the
 * report workflow, which asks the working calendar for the first working day after the quarter and sleeps until
 * 09:00 of it (a holiday-long wait is a timer, and it survives restarts).
 */
export const quarterlyScheduleSpec: ScheduleSpec = {
  calendars: [
    {
      month: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'],
      dayOfMonth: 1,
      hour: 0,
      minute: 5,
      comment: '每季度首日：启动上季度行政诉讼工作情况通报',
    },
  ],
  timezone: 'Asia/Shanghai',
};

function desired(opts: QuarterlyScheduleOptions) {
  const action: ScheduleOptionsStartWorkflowAction<typeof quarterlyReportScheduleWorkflow> = {
    type: 'startWorkflow',
    workflowType: quarterlyReportScheduleWorkflow,
    workflowId: QUARTERLY_SCHEDULE_WORKFLOW_ID,
    taskQueue: opts.taskQueue ?? OVERSIGHT_TASK_QUEUE,
    args: [],
  };
  const policies = {
    // 👉 A firing missed while the cluster was down is still taken within the window; the report's id stops doubles.
    catchupWindow: opts.catchupWindow ?? '30 days',
    overlap: ScheduleOverlapPolicy.BUFFER_ONE,
  };
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify({
        spec: quarterlyScheduleSpec,
        workflowType: 'quarterlyReportScheduleWorkflow',
        id: action.workflowId,
        taskQueue: action.taskQueue,
        policies,
      }),
    )
    .digest('hex')
    .slice(0, 16);
  return { action, policies, note: `yingsu quarterly report schedule ${fingerprint}` };
}

/**
 * Creates the quarterly report schedule, or brings an existing one to this code's spec, action and policies; when it
 * already matches (its note carries a fingerprint) nothing is written. Safe at every worker start, from any number of
 * workers at once. An operator's pause is kept.
 */
export async function ensureQuarterlySchedule(
  client: Client,
  opts: QuarterlyScheduleOptions = {},
): Promise<EnsureOutcome> {
  const scheduleId = opts.scheduleId ?? QUARTERLY_SCHEDULE_ID;
  const want = desired(opts);
  try {
    await client.schedule.create({
      scheduleId,
      spec: quarterlyScheduleSpec,
      action: want.action,
      policies: want.policies,
      state: { note: want.note },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(scheduleId);
  const current = await handle.describe();
  if (current.state.note === want.note) return 'unchanged';
  await handle.update((prev) => ({
    ...prev,
    spec: quarterlyScheduleSpec,
    action: want.action,
    policies: { ...prev.policies, ...want.policies },
    state: { paused: prev.state.paused, note: want.note },
  }));
  return 'updated';
}
