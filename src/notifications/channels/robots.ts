import { createHmac } from 'node:crypto';
import { answerText, checkRobotAnswer, headerSafe, postJson } from './http';
import { resolveSecret } from './secrets';
import { ChannelError, type Channel, type OutgoingNotice } from './types';

// Robots have no idempotency header: the key goes into the text, so people (and bots) can see a duplicate.
const robotMarkdown = (n: OutgoingNotice): string => `### ${n.subject}\n\n${n.body.split('\n').join('\n\n')}`;

/** WeCom (企业微信) group robot: `{"msgtype":"markdown","markdown":{"content":…}}`, answer `{"errcode":0}`. */
export function weComChannel(opts: { timeoutMs: number }): Channel {
  return {
    name: 'wecom',
    async send(n, contact) {
      if (contact?.channel !== 'wecom') throw new ChannelError('wecom channel given a non-wecom contact', null, false);
      const { status, text } = await postJson(
        contact.webhookUrl,
        { msgtype: 'markdown', markdown: { content: robotMarkdown(n) } },
        {},
        opts.timeoutMs,
      );
      return { answer: checkRobotAnswer('wecom', status, text) };
    },
  };
}

/** DingTalk's robot signature: base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)), URL-encoded. */
export function dingTalkSign(secret: string, timestamp: number): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
  return encodeURIComponent(digest);
}

/** DingTalk (钉钉) group robot: markdown message; with a secret the URL carries `&timestamp=…&sign=…`. */
export function dingTalkChannel(opts: { timeoutMs: number; env?: NodeJS.ProcessEnv; now?: () => number }): Channel {
  return {
    name: 'dingtalk',
    async send(n, contact) {
      if (contact?.channel !== 'dingtalk')
        throw new ChannelError('dingtalk channel given a non-dingtalk contact', null, false);
      let url = contact.webhookUrl;
      if (contact.secret) {
        const timestamp = (opts.now ?? Date.now)();
        const sign = dingTalkSign(resolveSecret(contact.secret, opts.env), timestamp);
        url += `${url.includes('?') ? '&' : '?'}timestamp=${timestamp}&sign=${sign}`;
      }
      const { status, text } = await postJson(
        url,
        { msgtype: 'markdown', markdown: { title: n.subject, text: robotMarkdown(n) } },
        {},
        opts.timeoutMs,
      );
      return { answer: checkRobotAnswer('dingtalk', status, text) };
    },
  };
}

export const WEBHOOK_SIGNATURE_HEADER = 'X-Yingsu-Signature';

/** `sha256=<hex HMAC-SHA256 of the raw body with the contact's secret>`: receivers verify it before trusting the body. */
export const webhookSignature = (secret: string, rawBody: string): string =>
  `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;

/** A generic JSON webhook: the notice as JSON, `Idempotency-Key: <notice key>`, optionally signed. Any 2xx is success. */
export function webhookChannel(opts: { timeoutMs: number; env?: NodeJS.ProcessEnv }): Channel {
  return {
    name: 'webhook',
    async send(n, contact) {
      if (contact?.channel !== 'webhook')
        throw new ChannelError('webhook channel given a non-webhook contact', null, false);
      const raw = JSON.stringify({
        key: n.key,
        kind: n.kind,
        caseId: n.caseId,
        dutyId: n.dutyId,
        recipient: n.recipient,
        subject: n.subject,
        body: n.body,
        requestedAt: n.requestedAt,
      });
      const headers: Record<string, string> = { 'Idempotency-Key': headerSafe(n.key) };
      if (contact.secret)
        headers[WEBHOOK_SIGNATURE_HEADER] = webhookSignature(resolveSecret(contact.secret, opts.env), raw);
      const { status, text } = await postJson(contact.url, raw, headers, opts.timeoutMs);
      const answer = answerText(status, text);
      if (status < 200 || status >= 300) throw new ChannelError(`webhook answered HTTP ${status}`, answer);
      return { answer };
    },
  };
}
