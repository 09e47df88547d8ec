import type { Principal } from '../access';
import type { Directory } from '../directory';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { Logger } from '../log';
import { reopenNotice, type EnabledChannels } from '../notifications/outbox';
import type { RegistryStore } from '../registry';

export interface ResendAnswer {
  id: string;
  status: 'resending';
}

/**
 * Notices as the bureau acts on them: a resend of one outbox row. The row is reopened in the registry and due at
 * once; the worker's outbox drainer sends it on its next look (within its poll interval).
 */
export class NoticeService {
  constructor(
    private readonly store: RegistryStore,
    private readonly deps: {
      directory: Directory;
      /** The channels the deployment enables (a recipient's gained contacts are usable only through these). */
      channels: EnabledChannels;
      log: Logger;
      env?: NodeJS.ProcessEnv;
      now?: () => number;
    },
  ) {}

  async resend(rowId: string, p: Principal): Promise<ResendAnswer> {
    if (p.role !== 'bureau') throw new ForbiddenError('只有县司法局可以重发通知');
    const row = await this.store.getNoticeRow(rowId);
    if (!row) throw new NotFoundError(`no notice ${rowId}`);
    if (row.status === 'delivered') throw new ConflictError('该通知已送达，无需重发', 'notice_delivered');
    await reopenNotice({ store: this.store, ...this.deps }, row.id, new Date((this.deps.now ?? Date.now)()));
    return { id: row.id, status: 'resending' };
  }
}
