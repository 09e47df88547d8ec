import { ApplicationFailure } from '@temporalio/activity';
import { findAgency, type Contact, type Directory } from '../directory';
import type { Logger } from '../log';
import { ChannelError, describeTarget, type ChannelName, type Channels } from '../notifications/channels';
import { unusableBecause } from '../notifications/readiness';
import { resolveRecipient } from '../notifications/recipients';
import { renderNotice } from '../notifications/templates';
import type { NoticeRequest, RecipientRef } from '../notifications/types';
import type { NewOutboxRow, OutboxRow, RegistryStore } from '../registry';
import type { DeliverOutcome } from '../workflows/notifications/activities';
import type { DeliveryPolicy } from '../workflows/notifications/messages';

export interface NotificationDeps {
  directory: Directory;
  log: Logger;
  store: RegistryStore;
  channels: Channels;
  /** The deployment's delivery horizon and alert delay (YINGSU_DELIVERY_*); the defaults when omitted. */
  deliveryPolicy?: Partial<DeliveryPolicy>;
  env?: NodeJS.ProcessEnv;
}

/** What the delivery workflow needs of a row (the row itself stays in the outbox). */
export type OutboxRowRef = Pick<
  OutboxRow,
  | 'id'
  | 'key'
  | 'caseId'
  | 'dutyId'
  | 'kind'
  | 'agencyId'
  | 'recipient'
  | 'channel'
  | 'target'
  | 'status'
  | 'subject'
  | 'lastError'
> & { caseTitle: string };

export type { DeliverOutcome };

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

/** The contacts a recipient is reached through for this request: a delivery-failed alert takes the alert route. */
function contactsFor(req: NoticeRequest, ref: RecipientRef, directory: Directory, found: Contact[]): Contact[] {
  if (req.kind !== 'delivery-failed' || ref !== 'bureau') return found;
  const route = directory.bureau.alertContacts.length > 0 ? directory.bureau.alertContacts : found;
  // Another route than the one that failed: a contact pointing where the failed notice went is no alert route.
  const avoid = new Set(req.avoidTargets ?? []);
  return route.filter((c) => !avoid.has(describeTarget(c)));
}

/**
 * The outbox rows of a request: one per recipient and usable contact. A recipient without any usable contact gets
 * one `undeliverable` row (channel `none`) saying why: nothing is ever marked delivered that went nowhere.
 */
export function planOutboxRows(
  req: NoticeRequest,
  directory: Directory,
  channels: Channels,
  log?: Logger,
  env: NodeJS.ProcessEnv = process.env,
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
    const why: string[] = [];
    let usable = 0;
    const contacts = recipient ? contactsFor(req, ref, directory, recipient.contacts) : [];
    contacts.forEach((contact) => {
      const contactNo = recipient!.contacts.indexOf(contact);
      const reason = unusableBecause(contact, { has: (name) => Boolean(channels[name]) }, env);
      if (reason) {
        log?.warn({ noticeKey: req.key, recipient: ref, channel: contact.channel, reason }, 'contact skipped');
        why.push(reason);
        return;
      }
      // Alert-route contacts are not among the ordinary contacts: numbered after them.
      const no = contactNo >= 0 ? contactNo : 1000 + directory.bureau.alertContacts.indexOf(contact);
      rows.push({ ...base, channel: contact.channel, contactNo: no, target: describeTarget(contact) });
      usable += 1;
    });
    if (usable === 0) {
      const reason = !recipient
        ? `${ref} 不在名录中（not in the directory）`
        : `${recipient.name} 没有可用的联系方式（${why.length ? why.join('; ') : 'no contacts'}）`;
      rows.push({
        ...base,
        channel: 'none',
        contactNo: -1,
        target: 'none',
        status: 'undeliverable',
        lastError: reason,
      });
    }
  }
  return rows;
}

/** The contact an outbox row was written for, as the directory has it now. */
function contactOf(d: Directory, row: Pick<OutboxRow, 'recipient' | 'contactNo'>): Contact | undefined {
  if (row.contactNo >= 1000 && row.recipient === 'bureau') return d.bureau.alertContacts[row.contactNo - 1000];
  return resolveRecipient(d, row.recipient as RecipientRef)?.contacts[row.contactNo];
}

/** Activities of the notice outbox; the delivery workflow drives them, never the case workflow directly. */
export function createNotificationActivities(deps: NotificationDeps) {
  const env = deps.env ?? process.env;
  const alertIfUndeliverable = (rows: OutboxRow[]) => {
    for (const r of rows)
      if (r.status === 'undeliverable')
        deps.log.error(
          { caseId: r.caseId, noticeKey: r.key, rowId: r.id, recipient: r.recipient, error: r.lastError },
          'notice undeliverable',
        );
  };
  return {
    /** Writes the notice's outbox rows, once per key: a re-run returns the rows of the first run unchanged. */
    async enqueueNotice(req: NoticeRequest): Promise<{ key: string; created: boolean; rows: OutboxRowRef[] }> {
      const planned = planOutboxRows(req, deps.directory, deps.channels, deps.log, env);
      const { rows, created } = await deps.store.enqueueNoticeRows(req.key, planned);
      if (created) {
        deps.log.info({ caseId: req.caseId, noticeKey: req.key, kind: req.kind, rows: rows.length }, 'notice enqueued');
        alertIfUndeliverable(rows);
      }
      return { key: req.key, created, rows: rows.map(refOf) };
    },

    /** The rows of a key still to deliver (pending, or sending when an earlier attempt's outcome is unknown). */
    async pendingNoticeRows(key: string): Promise<OutboxRowRef[]> {
      const rows = await deps.store.noticeRowsByKey(key);
      return rows.filter((r) => r.status === 'pending' || r.status === 'sending').map(refOf);
    },

    /** Every row of a key, whatever its status: the delivery workflow alerts about the undeliverable ones. */
    async noticeRows(key: string): Promise<OutboxRowRef[]> {
      return (await deps.store.noticeRowsByKey(key)).map(refOf);
    },

    /** The deployment's delivery policy, recorded in the delivery workflow's history (configuration may change). */
    async noticeDeliveryPolicy(): Promise<Partial<DeliveryPolicy>> {
      return deps.deliveryPolicy ?? {};
    },

    /**
     * A resend the bureau asked for: the row is pending again. The bureau's explicit resend goes to the contact as the
     * directory has it now (the change is logged); a recipient that had no usable contact gets rows for the contacts
     * it has gained. Returns the rows to deliver (none when there is still nowhere to send).
     */
    async reopenNotice(rowId: string): Promise<OutboxRowRef[]> {
      const row = await deps.store.getNoticeRow(rowId);
      if (!row) throw ApplicationFailure.nonRetryable(`no outbox row ${rowId}`, 'UnknownOutboxRow');
      if (row.status === 'delivered') return [];
      if (row.channel === 'none') {
        const facts = row.facts as NoticeRequest['facts'];
        const planned = planOutboxRows(
          {
            key: row.key,
            caseId: row.caseId,
            ...(row.dutyId ? { dutyId: row.dutyId } : {}),
            kind: row.kind as NoticeRequest['kind'],
            recipients: [row.recipient as RecipientRef],
            facts,
            requestedAt: row.requestedAt,
          },
          deps.directory,
          deps.channels,
          deps.log,
          env,
        ).filter((r) => r.channel !== 'none');
        const added = await deps.store.addNoticeRows(planned);
        deps.log.info({ noticeKey: row.key, rowId, added: added.length }, 'resend: rows for contacts gained since');
        return added.filter((r) => r.status === 'pending' || r.status === 'sending').map(refOf);
      }
      const contact = contactOf(deps.directory, row);
      const target = contact && contact.channel === row.channel ? describeTarget(contact) : undefined;
      if (target !== undefined && target !== row.target)
        deps.log.warn({ noticeKey: row.key, rowId, from: row.target, to: target }, 'resend retargets the row');
      await deps.store.reopenNoticeRow(rowId, target);
      const now = await deps.store.getNoticeRow(rowId);
      return now && now.status === 'pending' ? [refOf(now)] : [];
    },

    /**
     * Sends one outbox row through its channel, at most once per successful attempt: a delivered row is skipped.
     *
     * The crash window: if the process dies after the channel accepted the notice and before the row is marked
     * delivered, the row stays `sending` and the retry sends again. That second send carries the same row id
     * (Idempotency-Key header, a Message-ID derived from it, the key in robot texts), so a receiver that dedupes
     * sees it once; a WeCom/DingTalk group will show it twice, with the same key. Exactly-once across a crash is not
     * possible without the receiver's help.
     */
    async deliverNotice(rowId: string): Promise<{ rowId: string; outcome: DeliverOutcome; answer?: string }> {
      const row = await deps.store.getNoticeRow(rowId);
      if (!row) throw ApplicationFailure.nonRetryable(`no outbox row ${rowId}`, 'UnknownOutboxRow');
      if (row.status === 'delivered') return { rowId, outcome: 'already-delivered' };
      if (row.status === 'failed') return { rowId, outcome: 'already-failed' };
      if (row.status === 'undeliverable') return { rowId, outcome: 'undeliverable' };
      const channel = deps.channels[row.channel as ChannelName];
      if (!channel || row.channel === 'log')
        throw ApplicationFailure.nonRetryable(`channel ${row.channel} is not configured`, 'ChannelNotConfigured');
      const contact = contactOf(deps.directory, row);
      if (contact?.channel !== row.channel) {
        throw ApplicationFailure.nonRetryable(
          `${row.recipient} has no ${row.channel} contact #${row.contactNo} any more`,
          'ContactGone',
        );
      }
      // The row was written for one address: a directory edited since must not silently send it elsewhere.
      const now = describeTarget(contact);
      if (now !== row.target)
        throw ApplicationFailure.nonRetryable(
          `${row.recipient} 的联系方式已变更：通知写入时为 ${row.target}，现为 ${now}；未发送，请核实后重发`,
          'ContactChanged',
        );
      // Delivered or failed between the read and now (another attempt won): nothing to send.
      if (!(await deps.store.markNoticeSending(rowId))) {
        const again = await deps.store.getNoticeRow(rowId);
        return { rowId, outcome: again?.status === 'delivered' ? 'already-delivered' : 'already-failed' };
      }
      try {
        const receipt = await channel.send(
          {
            rowId: row.id,
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

    /** No retry can send it (no usable channel, the contact gone or changed): undeliverable, with the reason. */
    async markNoticeUndeliverable(input: {
      rowId: string;
      error: string;
    }): Promise<{ marked: boolean; reason: string }> {
      const marked = await deps.store.markNoticeUndeliverable(input.rowId, input.error);
      const row = await deps.store.getNoticeRow(input.rowId);
      if (marked)
        deps.log.error(
          { caseId: row?.caseId, noticeKey: row?.key, rowId: input.rowId, error: input.error },
          'notice undeliverable',
        );
      return { marked, reason: row?.lastError ?? input.error };
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
