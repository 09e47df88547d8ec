import type { z } from 'zod';

/** A request the engine cannot answer (unknown rule, malformed date, misplaced option): the caller must fix it. */
export class DeadlineInputError extends Error {
  override name = 'DeadlineInputError';
}

/** The holiday calendar data is malformed or contradicts itself: a start-up error, never a silent wrong date. */
export class CalendarDataError extends Error {
  override name = 'CalendarDataError';
}

/** The deployment's rule overrides or reminder policy are malformed. */
export class DeadlineConfigError extends Error {
  override name = 'DeadlineConfigError';
}

/** Every zod issue on its own line with its path, so an operator can fix them all at once. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `  ${i.path.length > 0 ? i.path.map(String).join('.') : '(root)'}: ${i.message}`).join('\n');
}
