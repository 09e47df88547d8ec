import type { Directory } from '../directory';
import type { Logger } from '../log';
import type { Channels } from '../notifications/channels';
import { planOutboxRows } from '../notifications/outbox';
import type { NoticeRequest } from '../notifications/types';
import type { OutboxRow, RegistryStore } from '../registry';
import type { OutboxRowRef } from '../workflows/notifications/activities';

export { planOutboxRows } from '../notifications/outbox';

export interface NotificationDeps {
  directory: Directory;
  log: Logger;
  store: RegistryStore;
  channels: Channels;
  env?: NodeJS.ProcessEnv;
  /** Wakes the outbox drainer of this process once rows are written (src/notifications/drainer.ts). */
  nudge?: () => void;
}

export type { OutboxRowRef };

const refOf = (r: OutboxRow): OutboxRowRef => ({
  id: r.id,
  key: r.key,
  caseId: r.caseId,
  dutyId: r.dutyId,
  kind: r.kind,
  agencyId: r.agencyId,
  recipient: r.recipient,
  channel: r.channel,
  target: r.target,
  status: r.status,
  subject: r.subject,
  lastError: r.lastError,
  caseTitle: typeof r.facts.caseTitle === 'string' ? r.facts.caseTitle : '',
});

/** The outbox's activity: workflows write rows; the drainer in the worker process sends them. */
export function createNotificationActivities(deps: NotificationDeps) {
  const env = deps.env ?? process.env;
  return {
    /** Writes the notice's outbox rows, once per key: a re-run returns the rows of the first run unchanged. */
    async enqueueNotice(req: NoticeRequest): Promise<{ key: string; created: boolean; rows: OutboxRowRef[] }> {
      const planned = planOutboxRows(req, deps.directory, deps.channels, deps.log, env);
      const { rows, created } = await deps.store.enqueueNoticeRows(req.key, planned);
      if (created) {
        // The drainer reports the rows written undeliverable, as it reports every row's outcome.
        deps.log.info({ caseId: req.caseId, noticeKey: req.key, kind: req.kind, rows: rows.length }, 'notice enqueued');
        deps.nudge?.();
      }
      return { key: req.key, created, rows: rows.map(refOf) };
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
