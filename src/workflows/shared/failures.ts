import { ApplicationFailure } from '@temporalio/common';

// How a workflow refuses a command, shared by every family. The client maps a failed update by these types alone
// (src/temporal/update-failures.ts), never by message text.

export const CommandFailureType = {
  /** The target does not exist for this actor: a foreign case or letter looks exactly like a missing one. */
  notFound: 'NotFound',
  /** Well-formed, but the current state or the actor's role does not allow it. */
  refused: 'CommandRefused',
  /** The command's shape is wrong (the validator re-checks what the HTTP layer already checked). */
  invalid: 'InvalidCommand',
} as const;
export type CommandFailureType = (typeof CommandFailureType)[keyof typeof CommandFailureType];

export interface CommandFailureDetails {
  /** A stable English code for programs (e.g. `not_allowed`, `stage`). */
  code: string;
  /** For invalid commands: every issue with its path. */
  issues?: { path: (string | number)[]; message: string }[];
}

const fail = (type: CommandFailureType, message: string, details: CommandFailureDetails): ApplicationFailure =>
  ApplicationFailure.create({ type, message, details: [details], nonRetryable: true });

export const notFoundFailure = (message: string): ApplicationFailure =>
  fail(CommandFailureType.notFound, message, { code: 'not_found' });
export const refusedFailure = (message: string, code = 'not_allowed'): ApplicationFailure =>
  fail(CommandFailureType.refused, message, { code });
export const invalidFailure = (message: string, issues: CommandFailureDetails['issues']): ApplicationFailure =>
  fail(CommandFailureType.invalid, message, { code: 'invalid_request', issues });
