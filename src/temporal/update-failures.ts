import { status as grpcStatus } from '@grpc/grpc-js';
import { isGrpcServiceError, ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ConflictError, InvalidInputError, type DomainError, type Issue } from '../errors';
import { CommandFailureType, type CommandFailureDetails } from '../workflows/shared/failures';

// How a failed update reaches the services: by the failure's TYPE (and its details), never by its message text.

export interface UpdateFailureAnswers {
  /** The target is missing, or foreign to the caller. */
  notFound: () => DomainError;
  /** The workflow has completed and takes no more commands. */
  closed: () => DomainError;
}

const detailsOf = (f: ApplicationFailure): Partial<CommandFailureDetails> => {
  const d: unknown = f.details?.[0];
  return d && typeof d === 'object' ? (d as Partial<CommandFailureDetails>) : {};
};

/**
 * A failed update as a domain error; anything else is returned unchanged (the caller rethrows it).
 *
 * A completed workflow: the server answers gRPC NOT_FOUND ("already completed"), which the SDK turns into the same
 * WorkflowNotFoundError as a missing one, so it answers like a missing target (as it always has); only a
 * FAILED_PRECONDITION status, which some servers use for it, is recognisable as "closed" without reading the text.
 */
export function updateFailureToDomain(err: unknown, answers: UpdateFailureAnswers): unknown {
  if (err instanceof WorkflowNotFoundError) return answers.notFound();
  if (err instanceof ServiceError && isGrpcServiceError(err.cause) && err.cause.code === grpcStatus.FAILED_PRECONDITION)
    return answers.closed();
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) return err;
  const f = err.cause;
  const details = detailsOf(f);
  switch (f.type) {
    case CommandFailureType.notFound:
      return answers.notFound();
    case CommandFailureType.invalid:
      return new InvalidInputError(f.message, details.issues as Issue[] | undefined);
    default:
      // CommandRefused, and any other refusal a workflow raises: the state does not allow it.
      return new ConflictError(f.message, details.code ?? 'not_allowed');
  }
}
