import { createHmac } from 'node:crypto';
import { pino } from 'pino';
import {
  ChannelError,
  createChannels,
  describeTarget,
  dingTalkChannel,
  emailChannel,
  messageIdFor,
  webhookChannel,
  webhookSignature,
  weComChannel,
  type OutgoingNotice,
} from '../../src/notifications/channels';
import { renderNotice } from '../../src/notifications/templates';
import { startReceiver, type Receiver } from './fixtures/receiver';
import { mailHeader, startSmtpServer } from './fixtures/smtp';

const rendered = renderNotice(
  {
    key: 'case-7/d2/reminder/1',
    caseId: 'case-7',
    dutyId: 'd2',
    kind: 'reminder',
    recipients: ['agency:hrss'],
    facts: {
      caseTitle: '李某诉县人社局工伤认定案',
      dutyTitle: '备案生效裁判文书',
      dueDate: '2026-06-10',
      basis: '武政办〔2023〕47号 五',
    },
    requestedAt: '2026-06-08T01:00:00.000Z',
  },
  { agencyName: '县人力资源和社会保障局', recipientName: '县人力资源和社会保障局' },
);
const notice: OutgoingNotice = {
  key: 'case-7/d2/reminder/1',
  kind: 'reminder',
  caseId: 'case-7',
  dutyId: 'd2',
  recipient: 'agency:hrss',
  requestedAt: '2026-06-08T01:00:00.000Z',
  ...rendered,
};

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});

test('an SMTP server receives the mail with its Chinese subject, and its Message-ID derives from the key', async () => {
  const smtp = await startSmtpServer();
  const from = '县司法局 <notices@wuping.example>';
  const channel = emailChannel({ host: '127.0.0.1', port: smtp.port, secure: false, from });
  try {
    const receipt = await channel.send(notice, { channel: 'email', address: 'hrss@wuping.example' });
    expect(receipt.answer).toMatch(/^SMTP 250/);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.to).toEqual(['hrss@wuping.example']);
    expect(mailHeader(mail.raw, 'Subject')).toBe('【期限提醒】李某诉县人社局工伤认定案：备案生效裁判文书');
    expect(mailHeader(mail.raw, 'Message-ID')).toBe(messageIdFor(notice.key, from));
    expect(messageIdFor(notice.key, from)).toMatch(/^<notice-[0-9a-f]{40}@wuping\.example>$/);
  } finally {
    channel.close();
    await smtp.close();
  }
});

test('a refused SMTP connection is a retryable channel error', async () => {
  const channel = emailChannel({ host: '127.0.0.1', port: 1, secure: false, from: 'x <x@example.org>' });
  await expect(channel.send(notice, { channel: 'email', address: 'a@example.org' })).rejects.toMatchObject({
    name: 'ChannelError',
    retryable: true,
  });
  channel.close();
});

test('the WeCom robot receives a markdown message carrying the notice key', async () => {
  const receipt = await weComChannel({ timeoutMs: 5000 }).send(notice, {
    channel: 'wecom',
    webhookUrl: `${receiver.url}/wecom/send?key=ROBOT-KEY`,
  });
  const hit = receiver.hits.at(-1)!;
  expect(hit.path).toBe('/wecom/send');
  expect(hit.query.get('key')).toBe('ROBOT-KEY');
  expect(hit.json).toEqual({
    msgtype: 'markdown',
    markdown: { content: expect.stringContaining('### 【期限提醒】李某诉县人社局工伤认定案') },
  });
  expect((hit.json as { markdown: { content: string } }).markdown.content).toContain('通知编号：case-7/d2/reminder/1');
  expect(receipt.answer).toContain('HTTP 200');
});

test('a WeCom answer with a non-zero errcode is a failure that keeps the answer', async () => {
  receiver.behave('/wecom-bad', 'errcode');
  const err = await weComChannel({ timeoutMs: 5000 })
    .send(notice, { channel: 'wecom', webhookUrl: `${receiver.url}/wecom-bad` })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ChannelError);
  expect((err as ChannelError).answer).toContain('310000');
});

test('the DingTalk robot receives a markdown message on a URL signed with HMAC-SHA256 of timestamp and secret', async () => {
  const secret = 'SECdingtalk-test-secret';
  const now = 1_780_000_000_000;
  await dingTalkChannel({ timeoutMs: 5000, env: { DINGTALK_SECRET: secret }, now: () => now }).send(notice, {
    channel: 'dingtalk',
    webhookUrl: `${receiver.url}/dingtalk/robot/send?access_token=TOKEN`,
    secret: 'env:DINGTALK_SECRET',
  });
  const hit = receiver.hits.at(-1)!;
  expect(hit.path).toBe('/dingtalk/robot/send');
  expect(hit.query.get('access_token')).toBe('TOKEN');
  expect(hit.query.get('timestamp')).toBe(String(now));
  // Verified the way DingTalk does: recompute the signature from the timestamp and the shared secret.
  const expected = createHmac('sha256', secret)
    .update(`${hit.query.get('timestamp')}\n${secret}`)
    .digest('base64');
  expect(hit.query.get('sign')).toBe(expected);
  expect(hit.json).toEqual({
    msgtype: 'markdown',
    markdown: { title: rendered.subject, text: expect.stringContaining('通知编号：case-7/d2/reminder/1') },
  });
});

test('a DingTalk secret given as an unset env reference is a non-retryable error', async () => {
  const err = await dingTalkChannel({ timeoutMs: 5000, env: {} })
    .send(notice, { channel: 'dingtalk', webhookUrl: `${receiver.url}/dingtalk`, secret: 'env:MISSING' })
    .catch((e: unknown) => e);
  expect(err).toMatchObject({ name: 'ChannelError', retryable: false });
});

test('the webhook receives the notice as JSON with the Idempotency-Key header and a verifiable signature', async () => {
  await webhookChannel({ timeoutMs: 5000, env: { HOOK_SECRET: 'hook-secret' } }).send(notice, {
    channel: 'webhook',
    url: `${receiver.url}/hook`,
    secret: 'env:HOOK_SECRET',
  });
  const hit = receiver.hits.at(-1)!;
  expect(hit.headers['idempotency-key']).toBe('case-7/d2/reminder/1');
  expect(hit.headers['x-yingsu-signature']).toBe(webhookSignature('hook-secret', hit.raw));
  expect(hit.json).toMatchObject({
    key: 'case-7/d2/reminder/1',
    kind: 'reminder',
    caseId: 'case-7',
    dutyId: 'd2',
    subject: rendered.subject,
    body: rendered.body,
  });
});

test('a webhook answering 503 is a retryable failure recording the answer', async () => {
  receiver.behave('/hook-down', 'refuse');
  const err = await webhookChannel({ timeoutMs: 5000 })
    .send(notice, { channel: 'webhook', url: `${receiver.url}/hook-down` })
    .catch((e: unknown) => e);
  expect(err).toMatchObject({ name: 'ChannelError', retryable: true, answer: 'HTTP 503 busy' });
});

test('the email channel is absent when SMTP is not configured, and targets never show robot tokens', () => {
  const channels = createChannels({ log: pino({ level: 'silent' }) });
  expect(
    Object.keys(channels)
      .filter((k) => k !== 'close')
      .sort(),
  ).toEqual(['dingtalk', 'log', 'webhook', 'wecom']);
  expect(
    describeTarget({ channel: 'wecom', webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET' }),
  ).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send');
});
