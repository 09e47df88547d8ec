import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { zh } from '../labels';

export type Schemas = components['schemas'];
export type Issue = { path: (string | number)[]; message: string };

/** An API answer that is not 2xx, with the API's message and its per-field issues (400). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
  /** The reason as people read it: the API's own words when Chinese, otherwise the console's Chinese for it. */
  get zh(): string {
    return zh(this.message);
  }
}

const listeners = new Set<() => void>();
/** Called whenever the API answers 401: the session ended (signed out elsewhere, expired). */
export const onUnauthorized = (fn: () => void) => {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
};

const unauthorized: Middleware = {
  onResponse({ response }) {
    if (response.status === 401) for (const fn of listeners) fn();
    return undefined;
  },
};

// Same-origin cookie session: the token is exchanged once for an httpOnly cookie and never kept by the page.
export const api = createClient<paths>({
  baseUrl: window.location.origin,
  credentials: 'same-origin',
  headers: { 'X-Requested-With': 'yingsu-console' },
});
api.use(unauthorized);

async function toError(response: Response, body?: unknown): Promise<ApiError> {
  let parsed = body as { error?: { code?: string; message?: string; issues?: Issue[] } } | undefined;
  if (parsed === undefined) parsed = (await response.json().catch(() => undefined)) as typeof parsed;
  const e = parsed?.error;
  return new ApiError(
    response.status,
    e?.code ?? String(response.status),
    e?.message ?? response.statusText,
    e?.issues ?? [],
  );
}

/** openapi-fetch's answer as data, or an ApiError thrown (what TanStack Query expects). */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw await toError(response, error);
  return data as T;
}

/** For the endpoints outside the typed document (the session's, the sign-in providers). */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      'X-Requested-With': 'yingsu-console',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    if (response.status === 401 && path !== '/api/session') for (const fn of listeners) fn();
    throw await toError(response);
  }
  return (response.status === 204 ? undefined : await response.json().catch(() => undefined)) as T;
}
