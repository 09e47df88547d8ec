import type { ApplicationFailure } from '@temporalio/common';
import { invalidFailure } from './failures';
import type { Issue } from './json-check';

/** The issues of a failed zod parse (structurally typed, so this module does not need zod). */
interface ParseError {
  issues: { path: PropertyKey[]; message: string }[];
}

/**
 * An invalid command, naming every issue with its path; the message keeps the `path: message; …` form. Takes a
 * zod error or the issues of the zod-free check (json-check.ts), so both carry the same details to the API.
 */
export function invalidCommand(error: ParseError | readonly Issue[]): ApplicationFailure {
  const issues = (Array.isArray(error) ? (error as readonly Issue[]) : (error as ParseError).issues).map((i) => ({
    path: i.path.map((p) => (typeof p === 'number' ? p : String(p))),
    message: i.message,
  }));
  return invalidFailure(issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '), issues);
}
