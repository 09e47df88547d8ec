// Plain instant arithmetic (no calendar tables, no clock): safe inside workflow code. Anything that depends on
// the official holiday calendar goes through the deadline engine's activities instead.

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // China has had no daylight-saving time since 1991
export const DAY_MS = 24 * 3600_000;

/** The Shanghai calendar date (YYYY-MM-DD) of an instant. */
export const shanghaiDate = (iso: string): string => new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

/** Whole calendar days from date a to date b (both YYYY-MM-DD). */
export const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

export const addMs = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

export const isoMs = (iso: string): number => Date.parse(iso);
