// Whether every party of the directory can be reached through a channel this deployment has: production refuses to
// start otherwise, so a notice is never "sent" to nobody.
import type { Contact, Directory } from '../directory';
import type { ChannelName } from './channels/types';

/** The channels a configuration enables: the robots and webhooks always, email only with an SMTP server. */
export function enabledChannels(config: { SMTP_HOST?: string }): Set<ChannelName> {
  const names: ChannelName[] = ['wecom', 'dingtalk', 'webhook'];
  if (config.SMTP_HOST) names.push('email');
  return new Set(names);
}

/** Why a contact cannot be used here, or undefined when it can. */
export function unusableBecause(
  contact: Contact,
  enabled: { has(name: ChannelName): boolean },
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (!enabled.has(contact.channel)) return `${contact.channel} is not configured`;
  const secret = 'secret' in contact ? contact.secret : undefined;
  if (secret?.startsWith('env:') && !env[secret.slice(4)]) return `secret ${secret} is not set`;
  return undefined;
}

/** `bureau`, `agency:<id>`… with their names: every party that has no contact usable in this deployment. */
export function unreachableParties(
  d: Directory,
  enabled: { has(name: ChannelName): boolean },
  env: NodeJS.ProcessEnv = process.env,
): { ref: string; name: string; why: string }[] {
  const parties: { ref: string; name: string; contacts: Contact[] }[] = [
    { ref: 'bureau', name: d.bureau.name, contacts: d.bureau.contacts },
    { ref: 'court', name: d.court.name, contacts: d.court.contacts },
    { ref: 'principal-leader', name: d.principalLeader.name, contacts: d.principalLeader.contacts },
    { ref: 'county-government', name: d.countyGovernment.name, contacts: d.countyGovernment.contacts },
    ...d.leaders.map((l) => ({ ref: `leader:${l.id}`, name: l.name, contacts: l.contacts })),
    ...d.agencies.map((a) => ({ ref: `agency:${a.id}`, name: a.name, contacts: a.contacts })),
  ];
  const out: { ref: string; name: string; why: string }[] = [];
  for (const p of parties) {
    const reasons = p.contacts.map((c) => unusableBecause(c, enabled, env));
    if (reasons.some((r) => r === undefined)) continue;
    out.push({ ref: p.ref, name: p.name, why: reasons.length ? reasons.join('; ') : 'no contacts' });
  }
  return out;
}

export class DeliveryReadinessError extends Error {
  override name = 'DeliveryReadinessError';
}

/**
 * Production refuses the embedded sample county (it has no contacts: every notice would go nowhere) and a directory
 * with a party that cannot be reached; the message names each one. Development only warns (the caller logs it).
 */
export function checkDeliveryReadiness(opts: {
  production: boolean;
  directoryFile: string | undefined;
  directory: Directory;
  enabled: { has(name: ChannelName): boolean };
  env?: NodeJS.ProcessEnv;
}): string[] {
  const problems: string[] = [];
  if (!opts.directoryFile)
    problems.push(
      'YINGSU_DIRECTORY_FILE is unset: the embedded sample county has no contacts (生产环境不能使用内置示例名录)',
    );
  for (const p of unreachableParties(opts.directory, opts.enabled, opts.env))
    problems.push(`${p.ref} (${p.name}) has no usable contact: ${p.why}`);
  if (opts.production && problems.length > 0)
    throw new DeliveryReadinessError(
      `refusing to start in production: notices could not be delivered\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  return problems;
}
