// Who may see and do what: the one module that decides it. The HTTP layer authenticates a caller into a `Principal`;
// services, routes and the case and letter workflows all ask these functions. Pure and deterministic (no I/O, no
// clock): workflow code imports it too.

/** Who is calling. `bureau` does everything; `operator` reads only; agencies and leaders see their own cases. */
export type Principal =
  | { role: 'bureau' }
  | { role: 'operator' }
  | { role: 'agency'; agencyId: string }
  | { role: 'leader'; leaderId: string; agencyIds: string[] };

export type Role = Principal['role'];

/** A principal as it travels in workflow commands and records: `bureau`, `operator`, `agency:<id>`, `leader:<id>`. */
export type Actor = string;

export const actorOf = (p: Principal): Actor =>
  p.role === 'agency' ? `agency:${p.agencyId}` : p.role === 'leader' ? `leader:${p.leaderId}` : p.role;

/** The parties of a case (or a letter) that access depends on. */
export interface CaseParties {
  agencyId: string;
  leaderId: string;
}

/** How an actor stands to one case: its agency, its leader in charge, the bureau, an operator, or a stranger. */
export type CaseRelation = 'bureau' | 'agency' | 'leader' | 'operator' | 'none';

export function relationTo(actor: Actor, c: CaseParties): CaseRelation {
  if (actor === 'bureau') return 'bureau';
  if (actor === 'operator') return 'operator';
  if (actor === `agency:${c.agencyId}`) return 'agency';
  if (actor === `leader:${c.leaderId}`) return 'leader';
  return 'none';
}

/** Whether an actor takes part in the case at all; a stranger's command must look like one on a missing case. */
export const actsOnCase = (actor: Actor, c: CaseParties): boolean => {
  const r = relationTo(actor, c);
  return r === 'bureau' || r === 'agency' || r === 'leader';
};

/** Whether the principal may see a case of this agency (an agency: its own; a leader: the agencies in charge). */
export function canSeeAgency(p: Principal, agencyId: string): boolean {
  switch (p.role) {
    case 'bureau':
    case 'operator':
      return true;
    case 'agency':
      return p.agencyId === agencyId;
    case 'leader':
      return p.agencyIds.includes(agencyId);
  }
}

/** Operators read only: every command is refused to them. */
export const mayCommand = (p: Principal): boolean => p.role !== 'operator';

/** The bureau, or the agency itself, registers a case of that agency. */
export const mayRegister = (p: Principal, agencyId: string): boolean =>
  p.role === 'bureau' || (p.role === 'agency' && p.agencyId === agencyId);

/**
 * The rows of the registry a principal may read: undefined for everything (bureau, operators), else the cases of
 * some agencies plus what is addressed to (or owned by) the principal itself.
 */
export function registryScope(p: Principal): { agencyIds: string[]; parties: string[] } | undefined {
  switch (p.role) {
    case 'bureau':
    case 'operator':
      return undefined;
    case 'agency':
      return { agencyIds: [p.agencyId], parties: [`agency:${p.agencyId}`] };
    case 'leader':
      return { agencyIds: p.agencyIds, parties: [`leader:${p.leaderId}`] };
  }
}

/**
 * Which cases a principal may list from Temporal visibility: undefined for all; an agency its own; a leader the cases
 * recorded with it as the leader in charge (the `LeaderId` search attribute).
 */
export function caseListScope(p: Principal): { agencyId: string } | { leaderId: string } | undefined {
  switch (p.role) {
    case 'bureau':
    case 'operator':
      return undefined;
    case 'agency':
      return { agencyId: p.agencyId };
    case 'leader':
      return { leaderId: p.leaderId };
  }
}

/** Only the bureau runs a quarterly report by hand. */
export const mayRunReport = (p: Principal): boolean => p.role === 'bureau';

/** County-wide figures are for the bureau and operators; agencies and leaders see agencies only. */
export const seesCounty = (p: Principal): boolean => p.role === 'bureau' || p.role === 'operator';

/** A reminder letter is acknowledged and answered by the agency it is addressed to (the actor it acts as). */
export const letterActorOf = (p: Principal): Actor | undefined => (p.role === 'agency' ? actorOf(p) : undefined);
