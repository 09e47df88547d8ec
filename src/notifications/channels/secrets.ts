import { ChannelError } from './types';

/** A contact's secret as written in the directory, or the environment variable an `env:NAME` reference names. */
export function resolveSecret(value: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!value.startsWith('env:')) return value;
  const name = value.slice('env:'.length);
  const resolved = env[name];
  if (!resolved) throw new ChannelError(`secret ${value} is not set in the environment`, null, false);
  return resolved;
}

/** Where a contact points, without secrets: robots' URLs carry their token in the query string. */
export function describeTarget(
  contact: { channel: string; address?: string; url?: string; webhookUrl?: string } | undefined,
): string {
  if (!contact) return 'log';
  if (contact.channel === 'email') return contact.address ?? '';
  const raw = contact.url ?? contact.webhookUrl ?? '';
  try {
    const u = new URL(raw);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
