import type { ApplicationFailure } from '@temporalio/common';
import { invalidFailure } from './failures';

/** The issues of a failed zod parse (structurally typed, so this module does not need zod). */
interface ParseError {
  issues: { path: PropertyKey[]; message: string }[];
}

/** An invalid command, naming every issue with its path; the message keeps the `path: message; …` form. */
export function invalidCommand(error: ParseError): ApplicationFailure {
  const issues = error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'number' ? p : String(p))),
    message: i.message,
  }));
  return invalidFailure(issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '), issues);
}
