import { readFileSync } from 'node:fs';
import defaultCounty from './default-county.json';
import { directorySchema, type Agency, type Directory, type Leader } from './schema';

export * from './schema';

export class DirectoryError extends Error {
  override name = 'DirectoryError';
}

/** Validates a directory; a malformed one is a start-up error that names every problem. */
export function parseDirectory(raw: unknown, source: string): Directory {
  const parsed = directorySchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new DirectoryError(`directory ${source} is invalid:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** The directory file named by YINGSU_DIRECTORY_FILE, or the embedded sample county. */
export function loadDirectory(file?: string): Directory {
  if (!file) return parseDirectory(defaultCounty, 'embedded sample county');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DirectoryError(`cannot read directory ${file}: ${(err as Error).message}`);
  }
  return parseDirectory(raw, file);
}

export const findAgency = (d: Directory, agencyId: string): Agency | undefined =>
  d.agencies.find((a) => a.id === agencyId);
export const findLeader = (d: Directory, leaderId: string): Leader | undefined =>
  d.leaders.find((l) => l.id === leaderId) ?? (d.principalLeader.id === leaderId ? d.principalLeader : undefined);
export const agenciesInCharge = (d: Directory, leaderId: string): string[] =>
  d.agencies.filter((a) => a.leaderId === leaderId).map((a) => a.id);
