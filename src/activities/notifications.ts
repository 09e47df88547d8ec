import { ApplicationFailure } from '@temporalio/activity';
import { findAgency, type Contact, type Directory } from '../directory';
import type { Logger } from '../log';
import { ChannelError, describeTarget, type ChannelName, type Channels } from '../notifications/channels';
import { resolveRecipient } from '../notifications/recipients';
import { renderNotice } from '../notifications/templates';
import type { NoticeRequest } from '../notifications/types';
import type { NewOutboxRow, OutboxRow, RegistryStore } from '../registry';

export interface NotificationDeps {
  directory: Directory;
  log: Logger;
  store: RegistryStore;
  channels: Channels;
}

/** What the delivery workflow needs of a row (the row itself stays in the outbox). */
export type OutboxRowRef = Pick<
  OutboxRow,
  'id' | 'key' | 'caseId' | 'dutyId' | 'kind' | 'agencyId' | 'recipient' | 'channel' | 'target' | 'status' | 'subject'
> & { caseTitle: string };

export type DeliverOutcome = 'delivered' | 'already-delivered' | 'already-failed';

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
  caseTitle: typeof r.facts.caseTitle === 'string' ? r.facts.caseTitle : '',
});

/** The outbox rows of a request: one per recipient and usable contact, or one `log` row for a recipient without any. */
export function planOutboxRows(
  req: NoticeRequest,
  directory: Directory,
  channels: Channels,
  log?: Logger,
): NewOutboxRow[] {
  const agencyName = req.facts.agencyId ? findAgency(directory, req.facts.agencyId)?.name : undefined;
  const rows: NewOutboxRow[] = [];
  for (const ref of [...new Set(req.recipients)]) {
    const recipient = resolveRecipient(directory, ref);
    const { subject, body } = renderNotice(req, { agencyName, recipientName: recipient?.name });
    const base = {
      key: req.key,
      caseId: req.caseId,
      dutyId: req.dutyId ?? null,
      kind: req.kind,
      agencyId: req.facts.agencyId ?? null,
      recipient: ref,
      subject,
      body,
      facts: req.facts,
      requestedAt: req.requestedAt,
    };
    let usable = 0;
    recipient?.contacts.forEach((contact, contactNo) => {
      if (!channels[contact.channel]) {
        log?.warn(
          { noticeKey: req.key, recipient: ref, channel: contact.channel },
          'contact skipped: its channel is not configured',
        );
        return;
      }
      rows.push({ ...base, channel: contact.channel, contactNo, target: describeTarget(contact) });
      usable += 1;
    });
    if (usable === 0)
      rows.push({ ...base, channel: 'log', contactNo: -1, target: recipient ? 'log' : 'log (not in the directory)' });
  }
  return rows;
}

/** Activities of the notice outbox; the delivery workflow drives them, never the case workflow directly. */
export function createNotificationActivities(deps: NotificationDeps) {
  return {
    /** Writes the notice's outbox rows, once per key: a re-run returns the rows of the first run unchanged. */
    async enqueueNotice(req: NoticeRequest): Promise<{ key: string; created: boolean; rows: OutboxRowRef[] }> {
      const planned = planOutboxRows(req, deps.directory, deps.channels, deps.log);
      const { rows, created } = await deps.store.enqueueNoticeRows(req.key, planned);
      if (created)
        deps.log.info({ caseId: req.caseId, noticeKey: req.key, kind: req.kind, rows: rows.length }, 'notice enqueued');
      return { key: req.key, created, rows: rows.map(refOf) };
    },

    /** The rows of a key still to deliver (pending, or sending when an earlier attempt's outcome is unknown). */
    async pendingNoticeRows(key: string): Promise<OutboxRowRef[]> {
      const rows = await deps.store.noticeRowsByKey(key);
      return rows.filter((r) => r.status === 'pending' || r.status === 'sending').map(refOf);
    },

    /**
     * Sends one outbox row through its channel, at most once per successful attempt: a delivered row is skipped.
     *
     * 👉 The crash window: if the process dies after the channel accepted the notice and before the row is marked
     * delivered, the row stays `sending` and the retry sends again. That second send carries the same key
     * (Idempotency-Key header, a Message-ID derived from the key, the key in robot texts), so a receiver that dedupes
     * sees it once; a WeCom/DingTalk group will show it twice, with the same key. Exactly-once across a crash is not
     * possible without the receiver's help.
     */
    async deliverNotice(rowId: string): Promise<{ rowId: string; outcome: DeliverOutcome; answer?: string }> {
      const row = await deps.store.getNoticeRow(rowId);
      if (!row) throw ApplicationFailure.nonRetryable(`no outbox row ${rowId}`, 'UnknownOutboxRow');
      if (row.status === 'delivered') return { rowId, outcome: 'already-delivered' };
      if (row.status === 'failed') return { rowId, outcome: 'already-failed' };
      const channel = deps.channels[row.channel as ChannelName];
      if (!channel)
        throw ApplicationFailure.nonRetryable(`channel ${row.channel} is not configured`, 'ChannelNotConfigured');
      let contact: Contact | undefined;
      if (row.channel !== 'log') {
        contact = resolveRecipient(deps.directory, row.recipient as NoticeRequest['recipients'][number])?.contacts[
          row.contactNo
        ];
        if (contact?.channel !== row.channel) {
          throw ApplicationFailure.nonRetryable(
            `${row.recipient} has no ${row.channel} contact #${row.contactNo} any more`,
            'ContactGone',
          );
        }
      }
      // Delivered or failed between the read and now (another attempt won): nothing to send.
      if (!(await deps.store.markNoticeSending(rowId))) {
        const now = await deps.store.getNoticeRow(rowId);
        return { rowId, outcome: now?.status === 'failed' ? 'already-failed' : 'already-delivered' };
      }
      try {
        const receipt = await channel.send(
          {
            key: row.key,
            kind: row.kind,
            caseId: row.caseId,
            dutyId: row.dutyId,
            recipient: row.recipient,
            subject: row.subject,
            body: row.body,
            requestedAt: row.requestedAt,
          },
          contact,
        );
        await deps.store.markNoticeDelivered(rowId, receipt.answer);
        deps.log.info(
          { caseId: row.caseId, noticeKey: row.key, recipient: row.recipient, channel: row.channel },
          'notice delivered',
        );
        return { rowId, outcome: 'delivered', answer: receipt.answer };
      } catch (err) {
        const e = err instanceof ChannelError ? err : new ChannelError((err as Error).message ?? String(err));
        await deps.store.markNoticeAttemptFailed(rowId, e.message, e.answer);
        deps.log.warn(
          { caseId: row.caseId, noticeKey: row.key, recipient: row.recipient, channel: row.channel, error: e.message },
          'notice attempt failed',
        );
        throw ApplicationFailure.create({
          message: e.message,
          type: 'ChannelError',
          nonRetryable: !e.retryable,
          details: [e.answer],
        });
      }
    },

    /**
     * The retries are exhausted: the row is failed for good, keeping the channel's last answer in the reason.
     * `marked` is false when the row was delivered (or failed) meanwhile.
     */
    async markNoticeFailed(input: { rowId: string; error: string }): Promise<{ marked: boolean; reason: string }> {
      const row = await deps.store.getNoticeRow(input.rowId);
      const reason =
        row?.lastError && !input.error.includes(row.lastError)
          ? `${input.error}；最后一次：${row.lastError}`
          : input.error;
      const marked = await deps.store.markNoticeFailed(input.rowId, reason);
      if (marked)
        deps.log.error(
          { caseId: row?.caseId, noticeKey: row?.key, rowId: input.rowId, error: reason },
          'notice failed for good',
        );
      return { marked, reason };
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
