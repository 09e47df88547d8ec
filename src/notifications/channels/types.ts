import type { Contact } from '../../directory';

export const channelNames = ['email', 'wecom', 'dingtalk', 'webhook', 'log'] as const;
/** `log` is the outbox plus a structured log line: what a recipient without contacts gets. */
export type ChannelName = (typeof channelNames)[number];

/** What a channel sends: the rendered notice and its key, which every channel carries so receivers can dedupe. */
export interface OutgoingNotice {
  /**
   * The outbox row's id (`key#recipient#channel#contactNo`): the idempotency key a receiver dedupes by. Per recipient
   * row, never the notice key, which the agency's, the leader's and the bureau's copies share.
   */
  rowId: string;
  key: string;
  kind: string;
  caseId: string;
  dutyId: string | null;
  recipient: string;
  subject: string;
  body: string;
  requestedAt: string;
}

/** The channel's answer on success, kept in the outbox as proof. */
export interface ChannelReceipt {
  answer: string;
}

/** A refused or failed send; `answer` is what the far end said (HTTP status and body, SMTP response), if anything. */
export class ChannelError extends Error {
  override name = 'ChannelError';
  constructor(
    message: string,
    readonly answer: string | null = null,
    /** False for mistakes no retry can fix (a channel that is not configured). */
    readonly retryable = true,
  ) {
    super(message);
  }
}

export interface Channel {
  readonly name: ChannelName;
  /** `contact` is undefined only for the log channel. */
  send(notice: OutgoingNotice, contact: Contact | undefined): Promise<ChannelReceipt>;
}

export type Channels = { [K in ChannelName]?: Channel };
