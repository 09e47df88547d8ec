// The outbox's rules, shared by whoever writes rows (the enqueue activity, the case's commit, a resend) and the
// drainer that sends them: which rows a notice gets, which contact a row stands for, the bureau's failure alert.
import { findAgency, type Contact, type Directory } from '../directory';
import type { Logger } from '../log';
import type { NewOutboxRow, OutboxRow, RegistryStore } from '../registry';
import { describeTarget, type ChannelName, type Channels } from './channels';
import { deliveryFailedKey } from './keys';
import { unusableBecause } from './readiness';
import { resolveRecipient } from './recipients';
import { renderNotice } from './templates';
import type { NoticeRequest, RecipientRef } from './types';

/** The channels a deployment has: the channel objects themselves, or just their names (the API sends nothing). */
export type EnabledChannels = Channels | { has(name: ChannelName): boolean };

const enabledOf = (channels: EnabledChannels): { has(name: ChannelName): boolean } =>
  typeof (channels as { has?: unknown }).has === 'function'
    ? (channels as { has(name: ChannelName): boolean })
    : { has: (name) => Boolean((channels as Channels)[name]) };

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
  channels: EnabledChannels,
  log?: Logger,
  env: NodeJS.ProcessEnv = process.env,
): NewOutboxRow[] {
  const enabled = enabledOf(channels);
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
      const reason = unusableBecause(contact, enabled, env);
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
export function contactOf(d: Directory, row: Pick<OutboxRow, 'recipient' | 'contactNo'>): Contact | undefined {
  if (row.contactNo >= 1000 && row.recipient === 'bureau') return d.bureau.alertContacts[row.contactNo - 1000];
  return resolveRecipient(d, row.recipient as RecipientRef)?.contacts[row.contactNo];
}

/** The bureau's alert about one row's notice, by the alert route and never through the target that failed. */
export function failureAlert(row: OutboxRow, reason: string, requestedAt: string): NoticeRequest {
  const caseTitle = typeof row.facts.caseTitle === 'string' ? row.facts.caseTitle : '';
  return {
    key: deliveryFailedKey(row.key),
    caseId: row.caseId,
    ...(row.dutyId ? { dutyId: row.dutyId } : {}),
    kind: 'delivery-failed',
    recipients: ['bureau'],
    facts: {
      caseTitle,
      ...(row.agencyId ? { agencyId: row.agencyId } : {}),
      detail: `通知「${row.subject}」（编号 ${row.key}）发送给 ${row.recipient}（${row.channel}：${row.target}）失败：${reason}`,
    },
    requestedAt,
    avoidTargets: [row.target],
  };
}

/**
 * A resend the bureau asked for: the row is pending again and due now. The bureau's explicit resend goes to the
 * contact as the directory has it now (the change is logged); a recipient that had no usable contact gets rows for
 * the contacts it has gained. Returns the rows the drainer will send (none when there is still nowhere to send).
 */
export async function reopenNotice(
  deps: {
    store: RegistryStore;
    directory: Directory;
    channels: EnabledChannels;
    log: Logger;
    env?: NodeJS.ProcessEnv;
  },
  rowId: string,
  now: Date = new Date(),
): Promise<OutboxRow[]> {
  const row = await deps.store.getNoticeRow(rowId);
  if (!row || row.status === 'delivered') return [];
  if (row.channel === 'none') {
    const planned = planOutboxRows(
      {
        key: row.key,
        caseId: row.caseId,
        ...(row.dutyId ? { dutyId: row.dutyId } : {}),
        kind: row.kind as NoticeRequest['kind'],
        recipients: [row.recipient as RecipientRef],
        facts: row.facts as NoticeRequest['facts'],
        requestedAt: row.requestedAt,
      },
      deps.directory,
      deps.channels,
      deps.log,
      deps.env,
    ).filter((r) => r.channel !== 'none');
    const added = await deps.store.addNoticeRows(planned, now);
    deps.log.info({ noticeKey: row.key, rowId, added: added.length }, 'resend: rows for contacts gained since');
    return added.filter((r) => r.status === 'pending' || r.status === 'sending');
  }
  const contact = contactOf(deps.directory, row);
  const target = contact && contact.channel === row.channel ? describeTarget(contact) : undefined;
  if (target !== undefined && target !== row.target)
    deps.log.warn({ noticeKey: row.key, rowId, from: row.target, to: target }, 'resend retargets the row');
  await deps.store.reopenNoticeRow(rowId, target, now);
  const reopened = await deps.store.getNoticeRow(rowId);
  return reopened && reopened.status === 'pending' ? [reopened] : [];
}
