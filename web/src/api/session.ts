import { useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client';

/** Who is signed in: `principal` is the API's Principal ({ role: 'agency', agencyId } …). */
export interface Person {
  name: string;
  role: string;
  /** The role in Chinese (县司法局, the agency's or the leader's name). */
  roleName?: string;
  principal: {
    role: 'bureau' | 'operator' | 'agency' | 'leader';
    agencyId?: string;
    leaderId?: string;
    agencyIds?: string[];
  };
}

export interface Providers {
  oidc?: boolean | { enabled?: boolean; loginUrl?: string; name?: string };
  development?: boolean;
  developmentTokens?: (string | { token: string; label?: string; role?: string })[];
  [k: string]: unknown;
}

/** Normalizes the principal whether the API sends it as an object or as `agency:<id>`. */
function normalize(p: unknown, role: string): Person['principal'] {
  if (p && typeof p === 'object' && 'role' in p) return p as Person['principal'];
  const r = typeof p === 'string' ? p : role;
  const [kind, id] = r.split(':', 2);
  if (kind === 'agency') return { role: 'agency', agencyId: id };
  if (kind === 'leader') return { role: 'leader', leaderId: id };
  return { role: kind === 'operator' ? 'operator' : 'bureau' };
}

export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async (): Promise<Person | null> => {
      try {
        const s = await request<{ person: Person }>('GET', '/api/session');
        return { ...s.person, principal: normalize(s.person.principal, s.person.role) };
      } catch (err) {
        if ((err as { status?: number }).status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export function useProviders() {
  return useQuery({
    queryKey: ['providers'],
    queryFn: () => request<Providers>('GET', '/api/session/providers').catch(() => ({}) as Providers),
    staleTime: Infinity,
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return async () => {
    await request('DELETE', '/api/session').catch(() => undefined);
    qc.clear();
    qc.setQueryData(['session'], null);
  };
}

export const signIn = (token: string) => request<{ person: Person }>('POST', '/api/session', { token });
