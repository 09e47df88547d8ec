import type { DeadlineEngine } from '../deadlines';
import type { Directory } from '../directory';
import type { Logger } from '../log';
import type { DeliveryPolicy } from '../notifications/policy';
import { logChannel, type Channels } from '../notifications/channels';
import type { RegistryStore } from '../registry';
import { createCaseActivities } from './cases';
import { createDeadlineActivities } from './deadlines';
import { createNotificationActivities } from './notifications';
import { createReportActivities } from './reports';
import type { ReportConfigInput } from '../reports/thresholds';
import type { CaseActivities } from '../workflows/case/activities';
import type { NotificationActivities } from '../workflows/notifications/activities';
import type { OversightActivities } from '../workflows/oversight/activities';

/** What activities need from the outside world; tests hand in their own. */
export interface ActivityDeps {
  directory: Directory;
  /** China's working calendar and the notice's periods (src/deadlines). */
  deadlines: DeadlineEngine;
  log: Logger;
  /** The registry and the notice outbox (tests use `sqlite::memory:`). */
  store: RegistryStore;
  /** Delivery channels; the log channel alone when omitted. */
  channels?: Channels;
  /** The deployment's delivery horizon and alert delay, for the outbox drainer; the defaults when omitted. */
  deliveryPolicy?: Partial<DeliveryPolicy>;
  /** Wakes the outbox drainer of this process when a workflow has written notice rows. */
  nudgeOutbox?: () => void;
  /** Reminder-letter thresholds and escalation cadence (src/reports/thresholds.ts); defaults when omitted. */
  reports?: ReportConfigInput;
}

/** Every activity of the worker, built from its dependencies (workflows import the type only). */
export function createActivities(deps: ActivityDeps) {
  const { store } = deps;
  const channels = deps.channels ?? { log: logChannel(deps.log) };
  return {
    ...createNotificationActivities({
      directory: deps.directory,
      log: deps.log,
      store,
      channels,
      ...(deps.nudgeOutbox ? { nudge: deps.nudgeOutbox } : {}),
    }),
    ...createCaseActivities({
      deadlines: deps.deadlines,
      directory: deps.directory,
      store,
      channels,
      log: deps.log,
      ...(deps.nudgeOutbox ? { onNotices: deps.nudgeOutbox } : {}),
    }),
    ...createDeadlineActivities(deps.deadlines),
    ...createReportActivities({
      directory: deps.directory,
      deadlines: deps.deadlines,
      log: deps.log,
      store,
      ...(deps.reports ? { reports: deps.reports } : {}),
    }),
    // The workflow families declare what they call; the compiler holds the worker's activities to it.
  } satisfies CaseActivities & NotificationActivities & OversightActivities;
}

export type Activities = ReturnType<typeof createActivities>;
