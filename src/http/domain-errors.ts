import type { ErrorRequestHandler } from 'express';
import { ConflictError, DomainError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError, UnavailableError } from '../errors';
import { HttpError } from './errors';

/** The status each domain error class answers with; the code and the (Chinese) message are the error's own. */
export function statusOf(err: DomainError): number {
  if (err instanceof InvalidInputError) return 400;
  if (err instanceof UnauthenticatedError) return 401;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  if (err instanceof UnavailableError) return 503;
  return 500;
}

/**
 * Turns a domain error (src/errors) into the HttpError the one error middleware answers, placed just before it.
 * When that middleware maps domain errors itself, this bridge can go.
 */
export const domainErrorBridge: ErrorRequestHandler = (err, _req, _res, next) => {
  if (err instanceof DomainError) return next(new HttpError(statusOf(err), err.code, err.message, err.issues));
  next(err);
};
