import { ChannelError } from './types';

/** The far end's answer, truncated for the outbox. */
export const answerText = (status: number, body: string): string => `HTTP ${status} ${body.slice(0, 1000)}`;

/** POSTs JSON and returns the answer; a network error or timeout is a retryable ChannelError. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    throw new ChannelError(`request failed: ${e.cause?.code ?? e.name}: ${e.message}`);
  }
  return { status: res.status, text: await res.text().catch(() => '') };
}

/** WeCom and DingTalk robots answer HTTP 200 with `errcode`; anything but errcode 0 is a refusal. */
export function checkRobotAnswer(channel: string, status: number, text: string): string {
  const answer = answerText(status, text);
  if (status < 200 || status >= 300) throw new ChannelError(`${channel} answered HTTP ${status}`, answer);
  let parsed: { errcode?: unknown; errmsg?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new ChannelError(`${channel} answered something that is not JSON`, answer);
  }
  if (parsed.errcode !== 0)
    throw new ChannelError(
      `${channel} refused: errcode ${String(parsed.errcode)} ${String(parsed.errmsg ?? '')}`,
      answer,
    );
  return answer;
}

/** Header values must be visible ASCII; a key with other characters is percent-encoded. */
export const headerSafe = (s: string): string => (/^[\x21-\x7e]+$/.test(s) ? s : encodeURIComponent(s));
