import { useQuery } from '@tanstack/react-query';
import { api, must, type Schemas } from './client';

export type Directory = Schemas['DirectoryView'];
export type JsonSchema = {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  oneOf?: JsonSchema[];
  pattern?: string;
  maxLength?: number;
  default?: unknown;
  description?: string;
};

export function useDirectory() {
  return useQuery({ queryKey: ['directory'], queryFn: () => must(api.GET('/api/directory')), staleTime: 10 * 60_000 });
}

export const agencyName = (dir: Directory | undefined, id?: string | null) =>
  id ? (dir?.agencies.find((a) => a.id === id)?.name ?? id) : '';
export const leaderName = (dir: Directory | undefined, id?: string | null) =>
  id ? (dir?.leaders.find((l) => l.id === id)?.name ?? id) : '';

/** Who an owner (`agency:<id>`, `leader:<id>`, `bureau`) is, in Chinese. */
export function ownerName(dir: Directory | undefined, owner: string): string {
  if (owner === 'bureau') return '县司法局';
  const [kind, id] = owner.split(':', 2);
  if (kind === 'agency') return agencyName(dir, id);
  if (kind === 'leader') return leaderName(dir, id);
  if (owner === 'system') return '系统';
  if (owner === 'operator') return '运维人员';
  return owner;
}

/** The API's own OpenAPI document: forms are generated from the schemas the API validates with. */
export function useOpenApi() {
  return useQuery({
    queryKey: ['openapi'],
    queryFn: async () => {
      const r = await fetch('/api/openapi.json');
      if (!r.ok) throw new Error(`openapi ${r.status}`);
      return (await r.json()) as {
        paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
      };
    },
    staleTime: Infinity,
  });
}

export function requestSchema(
  doc: ReturnType<typeof useOpenApi>['data'],
  path: string,
  method = 'post',
): JsonSchema | undefined {
  return doc?.paths[path]?.[method]?.requestBody?.content['application/json']?.schema;
}

/** The event types of the case-event union, in the document's order. */
export function eventTypesOf(union: JsonSchema | undefined): string[] {
  return (union?.oneOf ?? []).map((o) => String(o.properties?.type?.enum?.[0] ?? '')).filter(Boolean);
}
