import type { Client } from '@temporalio/client';
import type { Principal } from '../access';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { RegistryStore } from '../registry';
import { CASE_TASK_QUEUE } from '../workflows/case/messages';
import { deliverNoticeWorkflow } from '../workflows/notifications/deliver';
import { resendWorkflowId } from '../workflows/notifications/messages';

export interface ResendAnswer {
  id: string;
  status: 'resending';
  workflowId: string;
}

/** Notices as the bureau acts on them: a resend of one outbox row, through its own delivery workflow. */
export class NoticeService {
  constructor(
    private readonly client: Client,
    private readonly store: RegistryStore,
    private readonly taskQueue: string = CASE_TASK_QUEUE,
    private readonly now: () => number = Date.now,
  ) {}

  async resend(rowId: string, p: Principal): Promise<ResendAnswer> {
    if (p.role !== 'bureau') throw new ForbiddenError('只有县司法局可以重发通知');
    const row = await this.store.getNoticeRow(rowId);
    if (!row) throw new NotFoundError(`no notice ${rowId}`);
    if (row.status === 'delivered') throw new ConflictError('该通知已送达，无需重发', 'notice_delivered');
    const workflowId = resendWorkflowId(row.key, row.id, this.now());
    await this.client.workflow.start(deliverNoticeWorkflow, {
      taskQueue: this.taskQueue,
      workflowId,
      args: [{ key: row.key, resendRowId: row.id }],
      staticSummary: `重发通知（${row.caseId}）`,
    });
    return { id: row.id, status: 'resending', workflowId };
  }
}
