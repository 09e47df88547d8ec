import type { Logger } from '../../log';
import { emailChannel, type SmtpSettings } from './email';
import { dingTalkChannel, webhookChannel, weComChannel } from './robots';
import type { Channel, Channels } from './types';

export * from './email';
export * from './robots';
export * from './secrets';
export * from './types';

/** The log channel: the outbox row plus one structured log line; never fails. */
export function logChannel(log: Logger): Channel {
  return {
    name: 'log',
    async send(n) {
      log.info(
        { noticeKey: n.key, caseId: n.caseId, recipient: n.recipient, kind: n.kind, subject: n.subject },
        'notice (log channel)',
      );
      return { answer: 'logged' };
    },
  };
}

/** Every channel the configuration enables; email only when SMTP is configured. */
export function createChannels(opts: {
  smtp?: SmtpSettings;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  httpTimeoutMs?: number;
}): Channels & { close(): void } {
  const timeoutMs = opts.httpTimeoutMs ?? 15_000;
  const email = opts.smtp ? emailChannel(opts.smtp, { env: opts.env }) : undefined;
  return {
    log: logChannel(opts.log),
    wecom: weComChannel({ timeoutMs }),
    dingtalk: dingTalkChannel({ timeoutMs, env: opts.env }),
    webhook: webhookChannel({ timeoutMs, env: opts.env }),
    ...(email ? { email } : {}),
    close() {
      email?.close();
    },
  };
}
