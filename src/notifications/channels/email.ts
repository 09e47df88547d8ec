import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { resolveSecret } from './secrets';
import { ChannelError, type Channel } from './types';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  /** May be an `env:NAME` reference. */
  password?: string;
  from: string;
}

/** A Message-ID derived from the notice key: a resent mail carries the same id, so mail systems can drop it. */
export function messageIdFor(key: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'yingsu.invalid';
  return `<notice-${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 40)}@${domain}>`;
}

/** Email over SMTP (nodemailer); plain text, UTF-8, the key in Message-ID and in an X-Yingsu-Notice-Key header. */
export function emailChannel(smtp: SmtpSettings, opts: { env?: NodeJS.ProcessEnv } = {}): Channel & { close(): void } {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user
      ? { auth: { user: smtp.user, pass: smtp.password ? resolveSecret(smtp.password, opts.env) : '' } }
      : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    name: 'email',
    async send(n, contact) {
      if (contact?.channel !== 'email') throw new ChannelError('email channel given a non-email contact', null, false);
      try {
        const info = await transport.sendMail({
          from: smtp.from,
          to: contact.address,
          subject: n.subject,
          text: n.body,
          messageId: messageIdFor(n.key, smtp.from),
          headers: { 'X-Yingsu-Notice-Key': encodeURIComponent(n.key) },
        });
        return { answer: `SMTP ${info.response} ${info.messageId}` };
      } catch (err) {
        const e = err as Error & { response?: string; responseCode?: number; code?: string };
        throw new ChannelError(`email failed: ${e.code ?? ''} ${e.message}`.trim(), e.response ?? null);
      }
    },
    close() {
      transport.close();
    },
  };
}

/** SMTP settings from the configuration, or undefined (email disabled) when SMTP_HOST is unset. */
export function smtpSettingsFrom(config: {
  SMTP_HOST?: string;
  SMTP_PORT: number;
  SMTP_SECURE: boolean;
  SMTP_USER?: string;
  SMTP_PASSWORD?: string;
  SMTP_FROM: string;
}): SmtpSettings | undefined {
  if (!config.SMTP_HOST) return undefined;
  return {
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    ...(config.SMTP_USER ? { user: config.SMTP_USER } : {}),
    ...(config.SMTP_PASSWORD ? { password: config.SMTP_PASSWORD } : {}),
    from: config.SMTP_FROM,
  };
}
