import { findAgency, findLeader, type Contact, type Directory } from '../directory';
import type { RecipientRef } from './types';

export interface ResolvedRecipient {
  ref: RecipientRef;
  name: string;
  contacts: Contact[];
}

/** A recipient reference resolved through the directory; undefined when the directory does not know it. */
export function resolveRecipient(d: Directory, ref: RecipientRef): ResolvedRecipient | undefined {
  const party = (() => {
    if (ref === 'bureau') return d.bureau;
    if (ref === 'court') return d.court;
    if (ref === 'principal-leader') return d.principalLeader;
    if (ref === 'county-government') return d.countyGovernment;
    if (ref.startsWith('agency:')) return findAgency(d, ref.slice('agency:'.length));
    if (ref.startsWith('leader:')) return findLeader(d, ref.slice('leader:'.length));
    return undefined;
  })();
  return party ? { ref, name: party.name, contacts: party.contacts } : undefined;
}
